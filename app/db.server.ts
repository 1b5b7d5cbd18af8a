import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./utils/env.server";
import { logger } from "./utils/logger.server";

declare global {
  // Survive Vite's module reloads in development so connections are not leaked.
  var __creatorLedgerPrisma: PrismaClient | undefined;
  var __creatorLedgerPgPools: Map<string, pg.Pool> | undefined;
}

/**
 * Connections per process. A job's transaction holds its connection from start to end, and the worker runs 16 inbox
 * jobs and 4 settlements at once (the web process as many webhooks as arrive); with pg's default of 10 they queued
 * for connections while PostgreSQL idled. With the pools of `pgPool` (web: webhooks 10; worker: statement locks 16),
 * web + worker stay inside PostgreSQL's default 100.
 */
const POOL_SIZE = 20;

export function createPrismaClient(connectionString = env().DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: POOL_SIZE }) });
}

export const prisma: PrismaClient = (globalThis.__creatorLedgerPrisma ??= createPrismaClient());

/**
 * A node-postgres pool of its own for one hot path (`purpose`), where Prisma's per-statement CPU (its query engine
 * and driver adapter, ~0.2 ms) would be a large share of the work: one per purpose and database URL, kept on
 * globalThis so that Vite's reloads share it. A connection that breaks while idle (the database restarted) is
 * dropped and replaced; without the listener it would crash the process.
 */
export function pgPool(purpose: string, options: Omit<pg.PoolConfig, "connectionString">): pg.Pool {
  const url = env().DATABASE_URL;
  const pools = (globalThis.__creatorLedgerPgPools ??= new Map());
  const key = `${purpose} ${url}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new pg.Pool({ ...options, connectionString: url });
    pool.on("error", (error: Error) => logger.warn({ err: error, purpose }, "idle database connection lost"));
    pools.set(key, pool);
  }
  return pool;
}
