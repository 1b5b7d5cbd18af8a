import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { env } from "./utils/env.server";

export const INBOX_QUEUE = "inbox";
export const COMMISSIONS_QUEUE = "commissions";
/** Work that calls Shopify's Admin API: rate-limited together, and paused as a whole when Shopify throttles. */
export const SHOPIFY_ADMIN_QUEUE = "shopify-admin";
/** Creator statements: one job per shop and closed period, plus the scheduled sweep that queues them. */
export const STATEMENTS_QUEUE = "statements";
/** Daily rollups behind the leaderboard, creator pages and dashboard: rebuilt per shop for the days that changed. */
export const REPORTING_QUEUE = "reporting";

export const JOB = {
  processInboxEvent: "process-inbox-event",
  sweepInbox: "sweep-inbox",
  settleCreatorPeriod: "settle-creator-period",
  sweepCreatorPeriods: "sweep-creator-periods",
  fetchJourney: "fetch-journey",
  sweepJourneys: "sweep-journeys",
  syncOrders: "sync-orders",
  reconcileOrders: "reconcile-orders",
  syncCollection: "sync-collection",
  refreshRollups: "refresh-rollups",
  sweepRollups: "sweep-rollups",
} as const;

/** The queues, by name; every job a producer adds for a shop carries that shop's `shopId` in its data. */
export const QUEUE_NAMES = [INBOX_QUEUE, COMMISSIONS_QUEUE, SHOPIFY_ADMIN_QUEUE, STATEMENTS_QUEUE, REPORTING_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export type ShopifyAdminJob =
  | { kind: "fetch-journey"; shopId: string; orderId: string }
  | { kind: "sync-orders"; shopId: string; syncId: string }
  | { kind: "sync-collection"; shopId: string; syncId: string }
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

/** An inbox row is keyed by the shop's domain (as Shopify names the shop in a webhook) and the event id. */
export interface InboxEventRef {
  shopDomain: string;
  eventId: string;
}

export interface ProcessInboxEventJob extends InboxEventRef {
  /** The shop's id, so that its failed jobs can be found per shop; "" only for the scheduled sweep. */
  shopId: string;
}

/**
 * An event's one job id, whoever queues it (the webhook, an import, the inbox sweeper, "Process again"), so an event
 * never has two jobs. BullMQ job ids may not contain ':' nor be all digits; Shopify event ids are UUIDs but are not
 * trusted to be.
 */
export function inboxJobId(event: InboxEventRef): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, "_");
  return `evt-${safe(event.shopDomain)}-${safe(event.eventId)}`;
}

/**
 * Failed jobs kept per queue for inspection and retry (the background jobs page); BullMQ trims a queue's whole failed
 * set to the count of the job failing last, so every job of a queue (scheduled sweeps included) keeps this many.
 */
export const FAILED_JOBS_KEPT = 5_000;

/**
 * Adds jobs under their ids, as the sweepers do for work that is still owed. BullMQ ignores an add whose id is taken,
 * also by a job kept in the failed set (it ran out of attempts during an outage, or stalled twice when its worker was
 * killed): that work would never run again, so such a job is retried instead.
 */
export async function enqueueOwedWork<T>(
  queue: Queue<T>,
  jobs: readonly { name: string; data: T; opts: JobsOptions & { jobId: string } }[],
): Promise<{ added: number; retried: number }> {
  const states = await Promise.all(jobs.map((job) => queue.getJobState(job.opts.jobId)));
  const failed = jobs.filter((_, index) => states[index] === "failed");
  const fresh = jobs.filter((_, index) => states[index] !== "failed");
  await Promise.all(failed.map(async (job) => (await queue.getJob(job.opts.jobId))?.retry("failed")));
  if (fresh.length > 0) await queue.addBulk(fresh as Parameters<Queue<T>["addBulk"]>[0]);
  return { added: fresh.length, retried: failed.length };
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
      removeOnFail: { count: FAILED_JOBS_KEPT },
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
  var __creatorLedgerWebHandles: Map<string, { handle: unknown; close: () => Promise<void> | void }> | undefined;
  /** Called by the web server (app/web.server.ts) once its last request has been answered. */
  var __creatorLedgerCloseWebHandles: (() => Promise<void>) | undefined;
}

/**
 * One handle per web process, opened on first use and kept on globalThis so Vite's reloads share it. The web
 * server closes them all after its last request (closing them on SIGTERM itself would fail requests in flight).
 */
function webHandle<T>(key: string, open: () => T, close: (handle: T) => Promise<void> | void): T {
  const handles = (globalThis.__creatorLedgerWebHandles ??= new Map());
  globalThis.__creatorLedgerCloseWebHandles ??= async () => {
    const closing = [...handles.values()];
    handles.clear();
    await Promise.allSettled(closing.map((entry) => entry.close()));
  };
  if (!handles.has(key)) {
    const handle = open();
    handles.set(key, { handle, close: () => close(handle) });
  }
  return handles.get(key)!.handle as T;
}

/**
 * The web process's own Redis connection for short commands (rate limits), failing fast like the queue handles.
 * Keys go under QUEUE_PREFIX too, so runs sharing a Redis stay apart.
 */
export function webRedis(): Redis {
  return webHandle("redis", () => createRedis({ failFast: true }), (connection) => connection.disconnect());
}

/** The web process's handle on a queue, on a fail-fast connection of its own. */
function webQueue<T>(name: string, create: (connection: ConnectionOptions) => Queue<T>): Queue<T> {
  return webHandle(
    `queue:${name}`,
    () => {
      const connection = createRedis({ failFast: true });
      return { queue: create(connection), connection };
    },
    ({ queue, connection }) => queue.close().finally(() => connection.disconnect()),
  ).queue;
}

/** Webhooks enqueue the inbox event they stored. */
export function inboxQueue(): Queue<ProcessInboxEventJob> {
  return webQueue(INBOX_QUEUE, createInboxQueue);
}

/** Admin actions that change a period enqueue its settlement. */
export function commissionsQueue(): Queue<SettleCreatorPeriodJob> {
  return webQueue(COMMISSIONS_QUEUE, createCommissionsQueue);
}

/** A period's statements to send: the worker's sweep queues them after the period closes, the merchant's "Send now" too. */
export type StatementsJob =
  | { kind: "send-period"; shopId: string; periodKey: string; requestedBy: string | null }
  | { kind: "sweep"; shopId: "" };

/** The scheduled pass has one job per shop and period; a merchant's request gets its own (`requestToken`). */
export function statementsJobId(shopId: string, periodKey: string, requestToken?: string): string {
  const base = `statements-${shopId}-${periodKey}`;
  return requestToken === undefined ? base : `${base}-now-${requestToken.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function createStatementsQueue(connection: ConnectionOptions): Queue<StatementsJob> {
  // Retries wait a minute, then longer: an SMTP server that is down is usually down for a while.
  return createQueue(STATEMENTS_QUEUE, connection, { attempts: 6, delayMs: 60_000 });
}

export type ReportingJob = { kind: "refresh-rollups"; shopId: string } | { kind: "sweep"; shopId: "" };

export function createReportingQueue(connection: ConnectionOptions): Queue<ReportingJob> {
  return createQueue(REPORTING_QUEUE, connection, { attempts: 8, delayMs: 2_000 });
}

/** The merchant sends a period's statements from the admin. */
export function statementsQueue(): Queue<StatementsJob> {
  return webQueue(STATEMENTS_QUEUE, createStatementsQueue);
}

/** The merchant starts an order import from the admin. */
export function shopifyAdminQueue(): Queue<ShopifyAdminJob> {
  return webQueue(SHOPIFY_ADMIN_QUEUE, createShopifyAdminQueue);
}

/** Every queue, and a connection to read their jobs with: what the background jobs page looks at. */
export interface JobQueues {
  redis: Redis;
  queues: Record<QueueName, Queue>;
}

/**
 * The web process's queues for the background jobs page, with a connection of its own for reading their jobs. Unlike
 * the fail-fast handles it waits for its first connect (a page is not a webhook), but gives up after one retry.
 */
export function webJobQueues(): JobQueues {
  return {
    redis: webHandle(
      "job-reader",
      () => new Redis(env().REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2_000 }),
      (connection) => connection.disconnect(),
    ),
    queues: {
      [INBOX_QUEUE]: inboxQueue(),
      [COMMISSIONS_QUEUE]: commissionsQueue(),
      [SHOPIFY_ADMIN_QUEUE]: shopifyAdminQueue(),
      [STATEMENTS_QUEUE]: statementsQueue(),
      [REPORTING_QUEUE]: webQueue(REPORTING_QUEUE, createReportingQueue),
    },
  };
}

/** A sync advances in steps (start, polls, download), each its own job; `step` tells them apart. */
export function syncStepJobId(syncId: string, step: string | number): string {
  return `sync-${syncId}-${step}`;
}

/** A collection sync advances a page at a time, each page its own job; `step` tells them apart. */
export function collectionSyncJobId(syncId: string, step: string): string {
  return `collection-${syncId}-${step}`;
}
