import type { PrismaClient } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import {
  MissingSessionStorageError,
  MissingSessionTableError,
  PrismaSessionStorage,
} from "@shopify/shopify-app-session-storage-prisma";

/**
 * Shopify's Prisma session storage checks its table once, at boot: if PostgreSQL is down at that moment it
 * refuses every call until the process restarts. This wrapper checks again on the next call instead.
 */
export class RecoveringPrismaSessionStorage implements SessionStorage {
  private readonly inner: PrismaSessionStorage<PrismaClient>;

  constructor(prisma: PrismaClient) {
    this.inner = new PrismaSessionStorage(prisma, { connectionRetries: 1, connectionRetryIntervalMs: 200 });
    // The boot check's promise rejects when PostgreSQL is down at boot; unhandled, that would end the process.
    // Calls still see the failure through isReady() and recover.
    (this.inner as unknown as { ready: Promise<boolean> }).ready.catch(() => undefined);
  }

  storeSession = (session: Session) => this.recovering(() => this.inner.storeSession(session));
  loadSession = (id: string) => this.recovering(() => this.inner.loadSession(id));
  deleteSession = (id: string) => this.recovering(() => this.inner.deleteSession(id));
  deleteSessions = (ids: string[]) => this.recovering(() => this.inner.deleteSessions(ids));
  findSessionsByShop = (shop: string) => this.recovering(() => this.inner.findSessionsByShop(shop));

  private async recovering<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof MissingSessionTableError || error instanceof MissingSessionStorageError)) throw error;
      if (!(await this.inner.isReady())) throw error;
      return call();
    }
  }
}
