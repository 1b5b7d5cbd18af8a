// Throwaway databases for tests that run whole app processes (their worker sweeps every shop's inbox, so they must
// not share a database with other test files).
import pg from "pg";
import { runCommand } from "./processes";

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates `name` next to the database at `baseUrl` and applies the migrations with `prisma migrate deploy`. */
export async function createMigratedDatabase(baseUrl: string, name: string, cwd: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl(baseUrl) });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quote(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await runCommand("npx", ["prisma", "migrate", "deploy"], { cwd, env: { ...process.env, DATABASE_URL: url.toString() }, timeoutMs: 120_000 });
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quote(databaseName(url))} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
