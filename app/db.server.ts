import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./utils/env.server";

declare global {
  // Survives Vite's module reloads in development so connections are not leaked.
  var __creatorLedgerPrisma: PrismaClient | undefined;
}

export function createPrismaClient(connectionString = env().DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

export const prisma: PrismaClient = (globalThis.__creatorLedgerPrisma ??= createPrismaClient());
