// The machine a run was measured on, recorded with its results so that a reviewer can compare like with like.
import { execFileSync } from "node:child_process";
import { cpus, totalmem, release, platform } from "node:os";
import pg from "pg";
import { Redis } from "ioredis";

export interface MachineDetails {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  os: string;
  node: string;
  postgres: string;
  /** Settings that bound commit and query speed. */
  postgresSettings: Record<string, string>;
  redis: string;
  gitCommit: string;
  /** Uncommitted changes were present when the run started. */
  gitDirty: boolean;
  /** Load average over the last minute when the run started: other work on the machine skews the numbers. */
  loadAverage1m: number;
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export async function machineDetails(options: { databaseUrl: string; redisUrl: string; root: string }): Promise<MachineDetails> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  let postgres: string;
  const postgresSettings: Record<string, string> = {};
  try {
    postgres = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    for (const name of ["shared_buffers", "synchronous_commit", "fsync", "wal_level", "max_connections", "work_mem"]) {
      postgresSettings[name] = (await client.query(`SHOW ${name}`)).rows[0]![name];
    }
  } finally {
    await client.end();
  }
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion = "unknown";
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown";
  } finally {
    redis.disconnect();
  }
  const { readFileSync } = await import("node:fs");
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres,
    postgresSettings,
    redis: redisVersion,
    gitCommit: git(["rev-parse", "HEAD"], options.root),
    gitDirty: git(["status", "--porcelain"], options.root) !== "",
    loadAverage1m: Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]),
  };
}
