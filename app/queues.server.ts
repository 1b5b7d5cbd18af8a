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

function createQueue<T>(
  name: string,
  connection: ConnectionOptions,
  retry: { attempts: number; delayMs: number }
): Queue<T> {
  return new Queue<T>(name, {
    connection,
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: "exponential", delay: retry.delayMs },
      removeOnComplete: true,
      removeOnFail: { count: 5_000 },
    },
  });
}

export function createInboxQueue(connection: ConnectionOptions): Queue<ProcessInboxEventJob> {
  return createQueue(INBOX_QUEUE, connection, { attempts: 8, delayMs: 1_000 });
}

export function createCommissionsQueue(connection: ConnectionOptions): Queue<SettleCreatorPeriodJob> {
  return createQueue(COMMISSIONS_QUEUE, connection, { attempts: 8, delayMs: 1_000 });
}

export function createShopifyAdminQueue(connection: ConnectionOptions): Queue<ShopifyAdminJob> {
  return createQueue(SHOPIFY_ADMIN_QUEUE, connection, { attempts: 6, delayMs: 5_000 });
}

declare global {
  var __creatorLedgerWebQueues: Map<string, Queue> | undefined;
}

/**
 * The web process's handle on a queue, opened on first use (kept on globalThis so Vite's reloads share it) and
 * closed on shutdown so the process can exit.
 */
function webQueue<T>(name: string, create: (connection: ConnectionOptions) => Queue<T>): Queue<T> {
  const queues = (globalThis.__creatorLedgerWebQueues ??= new Map());
  let queue = queues.get(name) as Queue<T> | undefined;
  if (!queue) {
    const connection = createRedis({ failFast: true });
    const opened = create(connection);
    queues.set(name, opened as Queue);
    const close = () => void opened.close().finally(() => connection.disconnect());
    process.once("SIGTERM", close);
    process.once("SIGINT", close);
    queue = opened;
  }
  return queue;
}

/** Webhooks enqueue the inbox event they stored. */
export function inboxQueue(): Queue<ProcessInboxEventJob> {
  return webQueue(INBOX_QUEUE, createInboxQueue);
}

/** Admin actions that change a period enqueue its settlement. */
export function commissionsQueue(): Queue<SettleCreatorPeriodJob> {
  return webQueue(COMMISSIONS_QUEUE, createCommissionsQueue);
}

/** The merchant starts an order import from the admin. */
export function shopifyAdminQueue(): Queue<ShopifyAdminJob> {
  return webQueue(SHOPIFY_ADMIN_QUEUE, createShopifyAdminQueue);
}

/** A sync advances in steps (start, polls, download), each its own job; `step` tells them apart. */
export function syncStepJobId(syncId: string, step: string | number): string {
  return `sync-${syncId}-${step}`;
}
