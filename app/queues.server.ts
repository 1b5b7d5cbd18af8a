import { Queue, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { env } from "./utils/env.server";

export const INBOX_QUEUE = "inbox";
export const COMMISSIONS_QUEUE = "commissions";
/** Work that calls Shopify's Admin API: rate-limited together, and paused as a whole when Shopify throttles. */
export const SHOPIFY_ADMIN_QUEUE = "shopify-admin";

export const JOB = {
  processInboxEvent: "process-inbox-event",
  sweepInbox: "sweep-inbox",
  settleCreatorPeriod: "settle-creator-period",
  sweepCreatorPeriods: "sweep-creator-periods",
  fetchJourney: "fetch-journey",
  sweepJourneys: "sweep-journeys",
  syncOrders: "sync-orders",
  reconcileOrders: "reconcile-orders",
} as const;

export type ShopifyAdminJob =
  | { kind: "fetch-journey"; shopId: string; orderId: string }
  | { kind: "sync-orders"; syncId: string }
  | { kind: "sweep" };

export interface SettleCreatorPeriodJob {
  shopId: string;
  creatorId: string;
  periodKey: string;
  changeVersion: number;
}

/** One job per change: a job for an already settled change finds nothing to do. */
export function settleJobId(ref: SettleCreatorPeriodJob): string {
  return `period-${ref.creatorId}-${ref.periodKey}-v${ref.changeVersion}`;
}

export interface ProcessInboxEventJob {
  shopDomain: string;
  eventId: string;
}

/** BullMQ job ids may not contain ':' nor be all digits; Shopify event ids are UUIDs but are not trusted to be. */
export function inboxJobId(event: ProcessInboxEventJob, retry?: number): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, "_");
  const base = `evt-${safe(event.shopDomain)}-${safe(event.eventId)}`;
  return retry === undefined ? base : `${base}-retry-${retry}`;
}

export function createRedis(options: { failFast: boolean }): Redis {
  return new Redis(env().REDIS_URL, {
    // Workers block on Redis and must wait out outages; the web process must never hang a webhook on one.
    maxRetriesPerRequest: options.failFast ? 1 : null,
    enableOfflineQueue: !options.failFast,
    connectTimeout: 2_000,
  });
}

export function createInboxQueue(connection: ConnectionOptions): Queue<ProcessInboxEventJob> {
  return new Queue<ProcessInboxEventJob>(INBOX_QUEUE, {
    connection,
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 5_000 },
    },
  });
}

export function createCommissionsQueue(connection: ConnectionOptions): Queue<SettleCreatorPeriodJob> {
  return new Queue<SettleCreatorPeriodJob>(COMMISSIONS_QUEUE, {
    connection,
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { count: 5_000 },
    },
  });
}

export function createShopifyAdminQueue(connection: ConnectionOptions): Queue<ShopifyAdminJob> {
  return new Queue<ShopifyAdminJob>(SHOPIFY_ADMIN_QUEUE, {
    connection,
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: 6,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: { count: 5_000 },
    },
  });
}

declare global {
  var __creatorLedgerInboxQueue: Queue<ProcessInboxEventJob> | undefined;
  var __creatorLedgerCommissionsQueue: Queue<SettleCreatorPeriodJob> | undefined;
  var __creatorLedgerShopifyAdminQueue: Queue<ShopifyAdminJob> | undefined;
}

/** The web process's handle on the Admin API queue (the merchant starts an order import from the admin). */
export function shopifyAdminQueue(): Queue<ShopifyAdminJob> {
  if (!globalThis.__creatorLedgerShopifyAdminQueue) {
    const connection = createRedis({ failFast: true });
    const queue = createShopifyAdminQueue(connection);
    globalThis.__creatorLedgerShopifyAdminQueue = queue;
    const close = () => void queue.close().finally(() => connection.disconnect());
    process.once("SIGTERM", close);
    process.once("SIGINT", close);
  }
  return globalThis.__creatorLedgerShopifyAdminQueue;
}

/** A sync advances in steps (start, polls, download), each its own job; `step` tells them apart. */
export function syncStepJobId(syncId: string, step: string | number): string {
  return `sync-${syncId}-${step}`;
}

/** The web process's handle on the commissions queue (admin actions that change a period enqueue its settlement). */
export function commissionsQueue(): Queue<SettleCreatorPeriodJob> {
  if (!globalThis.__creatorLedgerCommissionsQueue) {
    const connection = createRedis({ failFast: true });
    const queue = createCommissionsQueue(connection);
    globalThis.__creatorLedgerCommissionsQueue = queue;
    const close = () => void queue.close().finally(() => connection.disconnect());
    process.once("SIGTERM", close);
    process.once("SIGINT", close);
  }
  return globalThis.__creatorLedgerCommissionsQueue;
}

/** The web process's queue handle, opened on first use and closed on shutdown so the process can exit. */
export function inboxQueue(): Queue<ProcessInboxEventJob> {
  if (!globalThis.__creatorLedgerInboxQueue) {
    const connection = createRedis({ failFast: true });
    const queue = createInboxQueue(connection);
    globalThis.__creatorLedgerInboxQueue = queue;
    const close = () => void queue.close().finally(() => connection.disconnect());
    process.once("SIGTERM", close);
    process.once("SIGINT", close);
  }
  return globalThis.__creatorLedgerInboxQueue;
}
