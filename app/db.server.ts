import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./utils/env.server";

declare global {
  // Survives Vite's module reloads in development so connections are not leaked.
  var __creatorLedgerPrisma: PrismaClient | undefined;
}

/**
 * Connections per process. A job's transaction holds its connection from start to end, and the worker runs 16 inbox
 * jobs and 4 settlements at once (the web process as many webhooks as arrive); with pg's default of 10 they queued
 * for connections while PostgreSQL idled. Web + worker stay well inside PostgreSQL's default 100.
 */
const POOL_SIZE = 20;

export function createPrismaClient(connectionString = env().DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: POOL_SIZE }) });
}

export const prisma: PrismaClient = (globalThis.__creatorLedgerPrisma ??= createPrismaClient());
