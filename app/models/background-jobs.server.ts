// The background jobs page's data, for one shop only: its webhook inbox (PostgreSQL) and its jobs on the BullMQ
// queues (Redis). A job belongs to the shop whose id is in its data (every producer puts it there); jobs without one
// (the scheduled sweeps) belong to no shop and are never shown or retried here.
//
// Counts, and why they are what they are:
// - failed: this shop's, exact over the failed jobs each queue keeps (the newest FAILED_JOBS_KEPT). Only the job
//   ids and their `data` field are read to find the shop's; whole jobs are loaded only for the rows shown.
// - active: this shop's, exact. The active list is as long as the workers' concurrency, so reading it is bounded.
// - waiting, delayed: the whole queue's, every shop's work together (BullMQ keeps counters for these, O(1)). Per
//   shop they would need a scan of lists that have no bound (a flood of webhooks, an import of a long history), and
//   the queue is first-in first-out across shops, so the queue-wide figure is what tells a merchant how much work is
//   ahead of theirs. They are bare totals: no job, shop or event of anyone else is in them. This shop's own
//   backlog of webhooks, exact, comes from the inbox (waiting and retrying).
// - inbox: bounded, whatever the shop's history or backlog. Processed rows are kept (without payload) for good, so
//   they are counted up to INBOX_COUNT_CAP and shown as "10,000+" beyond. Unprocessed rows are read off the partial
//   index on unprocessed rows (oldest first), at most INBOX_COUNT_CAP + 1 of them; beyond that the waiting, retrying
//   and set-aside figures are lower bounds and say so. The dead letters listed come off the same index.
import { Prisma, type Shop } from "@prisma/client";
import type { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { prisma } from "~/db.server";
import { canRetry, describeJob, type JobDescription, type JobSubject } from "~/domain/background-jobs/describe-job";
import { statementPeriodByKey, statementPeriodLabel } from "~/domain/statements/statement-periods";
import {
  COMMISSIONS_QUEUE,
  FAILED_JOBS_KEPT,
  INBOX_QUEUE,
  JOB,
  QUEUE_NAMES,
  REPORTING_QUEUE,
  SHOPIFY_ADMIN_QUEUE,
  STATEMENTS_QUEUE,
  enqueueOwedWork,
  inboxJobId,
  type JobQueues,
  type ProcessInboxEventJob,
  type QueueName,
} from "~/queues.server";
import { ORDERS_SYNC_TOPIC } from "~/services/order-sync.server";
import { MAX_INBOX_ATTEMPTS } from "~/services/process-inbox-event.server";
import { logger } from "~/utils/logger.server";

/** Failed jobs listed on the page, newest first (the counts cover them all). */
export const FAILED_JOBS_SHOWN = 50;
export const DEAD_LETTERS_SHOWN = 25;
const ERROR_SHOWN_CHARS = 1_000;

export const QUEUE_LABELS: Record<QueueName, string> = {
  [INBOX_QUEUE]: "Webhooks and orders",
  [COMMISSIONS_QUEUE]: "Commission settlements",
  [SHOPIFY_ADMIN_QUEUE]: "Shopify data (journeys, imports, collections)",
  [STATEMENTS_QUEUE]: "Creator statements",
  [REPORTING_QUEUE]: "Reports (leaderboard, creator pages, dashboard)",
};

/** Inbox counts stop here: a page load never counts a backlog or a history of millions of rows. */
export const INBOX_COUNT_CAP = 10_000;

export interface InboxHealth {
  /** Received, not processed yet, never failed. */
  waiting: number;
  /** Failed at least once; tried again with backoff. */
  retrying: number;
  /** Set aside: unreadable, or failed MAX_INBOX_ATTEMPTS times. Not tried again on their own. */
  deadLettered: number;
  /** More than INBOX_COUNT_CAP unprocessed events: the three counts above are lower bounds. */
  unprocessedCapped: boolean;
  processed: number;
  /** More than INBOX_COUNT_CAP processed events: `processed` is the cap. */
  processedCapped: boolean;
  /** The newest dead-lettered events, with the reason. */
  deadLetters: DeadLetter[];
}

export interface DeadLetter {
  id: string;
  eventId: string;
  summary: string;
  receivedAt: Date;
  reason: string;
  attempts: number;
}

/** The shop's webhook inbox: bounded counts (see the top of this file), and the newest dead letters. */
export async function inboxHealth(shop: Pick<Shop, "domain">, countCap = INBOX_COUNT_CAP): Promise<InboxHealth> {
  const [[unprocessed], [processed]] = await Promise.all([
    prisma.$queryRaw<{ waiting: bigint; retrying: bigint; deadLettered: bigint; total: bigint }[]>`
      SELECT count(*) FILTER (WHERE attempts = 0) AS waiting,
             count(*) FILTER (WHERE attempts > 0 AND attempts < ${MAX_INBOX_ATTEMPTS}) AS retrying,
             count(*) FILTER (WHERE attempts >= ${MAX_INBOX_ATTEMPTS}) AS "deadLettered",
             count(*) AS total
      FROM (SELECT attempts FROM "InboxEvent"
            WHERE "shopDomain" = ${shop.domain} AND "processedAt" IS NULL
            ORDER BY "receivedAt" LIMIT ${countCap + 1}) AS unprocessed`,
    prisma.$queryRaw<{ total: bigint }[]>`
      SELECT count(*) AS total
      FROM (SELECT 1 FROM "InboxEvent" WHERE "shopDomain" = ${shop.domain} AND "processedAt" IS NOT NULL LIMIT ${countCap + 1}) AS processed`,
  ]);
  const letters = await prisma.$queryRaw<
    { id: string; eventId: string; topic: string; orderName: string | null; receivedAt: Date; lastError: string | null; attempts: number }[]
  >`
    SELECT id::text, "eventId", topic, ${ORDER_NAME_SQL} AS "orderName", "receivedAt", "lastError", attempts
    FROM "InboxEvent"
    WHERE "shopDomain" = ${shop.domain} AND "processedAt" IS NULL AND attempts >= ${MAX_INBOX_ATTEMPTS}
    ORDER BY "receivedAt" DESC
    LIMIT ${DEAD_LETTERS_SHOWN}`;
  const processedTotal = Number(processed?.total ?? 0);
  return {
    waiting: Number(unprocessed?.waiting ?? 0),
    retrying: Number(unprocessed?.retrying ?? 0),
    deadLettered: Number(unprocessed?.deadLettered ?? 0),
    unprocessedCapped: Number(unprocessed?.total ?? 0) > countCap,
    processed: Math.min(processedTotal, countCap),
    processedCapped: processedTotal > countCap,
    deadLetters: letters.map((letter) => ({
      id: letter.id,
      eventId: letter.eventId,
      summary: describeJob(inboxSubject(letter.topic, letter.orderName)).summary,
      receivedAt: letter.receivedAt,
      reason: (letter.lastError ?? "No reason was recorded").slice(0, ERROR_SHOWN_CHARS),
      attempts: letter.attempts,
    })),
  };
}

export const reprocessEventSchema = z.object({
  eventRowId: z.uuid({ error: "Say which webhook to process again" }),
});

export type ReprocessOutcome = { ok: true; summary: string } | { ok: false; status: 400 | 404; error: string };

/**
 * Takes a set-aside webhook out of the set-aside pile: its attempts start again from zero and it is queued (the inbox
 * sweeper finds it too, should the enqueue fail). For a failure that has passed (a database outage, a bug since
 * fixed); a payload that cannot be read is set aside again at once, with its reason. It goes under the event's one
 * job id: its failed job, kept for this page, runs again instead of being joined by a second one that would fail
 * beside it, so the page lists an event at most once.
 */
export async function reprocessSetAsideEvent(
  shop: Pick<Shop, "id" | "domain">,
  inboxQueue: Queue<ProcessInboxEventJob>,
  input: unknown,
): Promise<ReprocessOutcome> {
  const parsed = reprocessEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, error: parsed.error.issues[0]!.message };
  const [event] = await prisma.$queryRaw<{ eventId: string; topic: string; orderName: string | null }[]>`
    UPDATE "InboxEvent" SET attempts = 0
    WHERE id = ${parsed.data.eventRowId}::uuid AND "shopDomain" = ${shop.domain}
      AND "processedAt" IS NULL AND attempts >= ${MAX_INBOX_ATTEMPTS}
    RETURNING "eventId", topic, ${ORDER_NAME_SQL} AS "orderName"`;
  if (!event) return { ok: false, status: 404, error: "This store has no such webhook set aside: it may have been processed already." };
  const ref = { shopId: shop.id, shopDomain: shop.domain, eventId: event.eventId };
  await enqueueOwedWork(inboxQueue, [{ name: JOB.processInboxEvent, data: ref, opts: { jobId: inboxJobId(ref) } }])
    .catch((error: unknown) => logger.warn({ err: error, shopId: shop.id }, "reprocess enqueue failed; the inbox sweeper will pick the event up"));
  return { ok: true, summary: describeJob(inboxSubject(event.topic, event.orderName)).summary };
}

/** The order's name in a stored order payload (REST webhooks and Admin GraphQL orders both call it `name`). */
const ORDER_NAME_SQL = Prisma.sql`CASE WHEN jsonb_typeof(payload) = 'object' THEN payload->>'name' END`;

export interface QueueCounts {
  queue: QueueName;
  label: string;
  /** This shop's jobs. */
  active: number;
  failed: number;
  /** The whole queue, every shop together (see the top of this file). */
  queueWideWaiting: number;
  queueWideDelayed: number;
}

export interface FailedJob extends JobDescription {
  queue: QueueName;
  queueLabel: string;
  jobId: string;
  error: string;
  attemptsMade: number;
  failedAt: Date | null;
}

export interface QueueHealth {
  queues: QueueCounts[];
  /** The newest FAILED_JOBS_SHOWN of the shop's failed jobs, all queues together. */
  failedJobs: FailedJob[];
  failedTotal: number;
}

/** The shop's jobs on every queue: counts, and its newest failed jobs described in merchant words. */
export async function queueHealth(shop: Pick<Shop, "id" | "domain">, jobQueues: JobQueues): Promise<QueueHealth> {
  const perQueue = await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const queue = jobQueues.queues[name];
      const [failedIds, activeIds, counts] = await Promise.all([
        shopFailedJobIds(jobQueues.redis, queue, shop.id),
        jobQueues.redis.lrange(queue.keys.active!, 0, -1).then((ids) => shopJobIds(jobQueues.redis, queue, ids, shop.id)),
        queue.getJobCounts("waiting", "delayed"),
      ]);
      const newest = await loadJobs(queue, failedIds.slice(0, FAILED_JOBS_SHOWN));
      const queueCounts: QueueCounts = {
        queue: name,
        label: QUEUE_LABELS[name],
        active: activeIds.length,
        failed: failedIds.length,
        queueWideWaiting: counts.waiting ?? 0,
        queueWideDelayed: counts.delayed ?? 0,
      };
      return { queueCounts, newest: newest.map((job) => ({ queue: name, job })) };
    }),
  );
  const newest = perQueue
    .flatMap((entry) => entry.newest)
    .sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0))
    .slice(0, FAILED_JOBS_SHOWN);
  const descriptions = await describeJobs(shop, newest);
  return {
    queues: perQueue.map((entry) => entry.queueCounts),
    failedJobs: newest.map(({ queue, job }, index) => ({
      ...descriptions[index]!,
      queue,
      queueLabel: QUEUE_LABELS[queue],
      jobId: job.id!,
      error: (job.failedReason || "No error was recorded").slice(0, ERROR_SHOWN_CHARS),
      attemptsMade: job.attemptsMade,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    })),
    failedTotal: perQueue.reduce((sum, entry) => sum + entry.queueCounts.failed, 0),
  };
}

export const retryJobSchema = z.object({
  queue: z.enum(QUEUE_NAMES, { error: "Choose one of the app's queues" }),
  jobId: z.string({ error: "Say which job to retry" }).trim().min(1, "Say which job to retry").max(500, "That is not a job id"),
});

export type RetryOutcome =
  | { ok: true; summary: string }
  | { ok: false; status: 400 | 404 | 409; error: string };

/** Runs one of the shop's failed jobs again (back to waiting). Another shop's job, or no job, is a 404. */
export async function retryFailedJob(shop: Pick<Shop, "id" | "domain">, jobQueues: JobQueues, input: unknown): Promise<RetryOutcome> {
  const parsed = retryJobSchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, error: parsed.error.issues[0]!.message };
  const { queue: name, jobId } = parsed.data;
  const job = await jobQueues.queues[name].getJob(jobId);
  if (!job || !belongsTo(job.data, shop.id)) {
    return { ok: false, status: 404, error: "This store has no such job: it may have been removed after finishing." };
  }
  const description = (await describeJobs(shop, [{ queue: name, job }]))[0]!;
  if (!description.retryable) return { ok: false, status: 409, error: `${description.summary} cannot run again. ${description.instead}` };
  const noLongerFailed = { ok: false, status: 409, error: `${description.summary} is no longer failed: it was retried already.` } as const;
  if (!(await job.isFailed())) return noLongerFailed;
  try {
    await job.retry("failed");
  } catch (error) {
    // Retried by someone else between the check and now (BullMQ refuses a job that is not failed any more).
    if (!(await job.isFailed())) return noLongerFailed;
    throw error;
  }
  return { ok: true, summary: description.summary };
}

/**
 * Runs every failed job of the shop again, on every queue. Jobs that cannot run again stay failed (`cannotRetry`);
 * jobs retried or removed meanwhile are not failed any more and count in neither.
 */
export async function retryAllFailedJobs(
  shop: Pick<Shop, "id">,
  jobQueues: JobQueues,
): Promise<{ retried: number; cannotRetry: number }> {
  let retried = 0;
  let cannotRetry = 0;
  for (const name of QUEUE_NAMES) {
    const queue = jobQueues.queues[name];
    const ids = await shopFailedJobIds(jobQueues.redis, queue, shop.id);
    for (let start = 0; start < ids.length; start += RETRY_BATCH) {
      const jobs = await loadJobs(queue, ids.slice(start, start + RETRY_BATCH));
      const retryable = jobs.filter((job) => canRetry(refOf(name, job).kind));
      cannotRetry += jobs.length - retryable.length;
      const outcomes = await Promise.allSettled(retryable.map((job) => job.retry("failed")));
      retried += outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    }
  }
  return { retried, cannotRetry };
}

const RETRY_BATCH = 100;

function belongsTo(data: unknown, shopId: string): boolean {
  return typeof data === "object" && data !== null && (data as { shopId?: unknown }).shopId === shopId;
}

/** The shop's failed jobs on the queue, newest first, among the ones the queue keeps. */
async function shopFailedJobIds(redis: Redis, queue: Queue, shopId: string): Promise<string[]> {
  const ids = await redis.zrevrange(queue.keys.failed!, 0, FAILED_JOBS_KEPT - 1);
  return shopJobIds(redis, queue, ids, shopId);
}

/** The ids whose job names the shop in its data; only each job's `data` field is read, in one round trip. */
async function shopJobIds(redis: Redis, queue: Queue, ids: string[], shopId: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(queue.toKey(id), "data");
  const replies = (await pipeline.exec()) ?? [];
  return ids.filter((_, index) => {
    const [error, raw] = replies[index] ?? [null, null];
    if (error || typeof raw !== "string") return false; // removed meanwhile
    try {
      return belongsTo(JSON.parse(raw), shopId);
    } catch {
      return false;
    }
  });
}

async function loadJobs(queue: Queue, ids: string[]): Promise<Job[]> {
  const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
  return jobs.filter((job): job is Job => job !== undefined);
}

const inboxJobData = z.object({ eventId: z.string() });
const settleJobData = z.object({ creatorId: z.string(), periodKey: z.string() });
const journeyJobData = z.object({ kind: z.literal("fetch-journey"), orderId: z.string() });
const syncJobData = z.object({ kind: z.literal("sync-orders"), syncId: z.string() });
const collectionSyncJobData = z.object({ kind: z.literal("sync-collection"), syncId: z.string() });
const statementsJobData = z.object({ kind: z.literal("send-period"), periodKey: z.string() });

type Ref =
  | { kind: "webhook"; eventId: string }
  | { kind: "settle-period"; creatorId: string; periodKey: string }
  | { kind: "fetch-journey"; orderId: string }
  | { kind: "order-sync"; syncId: string }
  | { kind: "collection-sync"; syncId: string }
  | { kind: "send-statements"; periodKey: string }
  | { kind: "refresh-rollups" }
  | { kind: "other"; jobName: string };

/** What a job's data points at, read defensively: data is whatever was enqueued, possibly by an older release. */
function refOf(queue: QueueName, job: Pick<Job, "name" | "data">): Ref {
  if (queue === INBOX_QUEUE && job.name === JOB.processInboxEvent) {
    const data = inboxJobData.safeParse(job.data);
    if (data.success) return { kind: "webhook", eventId: data.data.eventId };
  }
  if (queue === COMMISSIONS_QUEUE && job.name === JOB.settleCreatorPeriod) {
    const data = settleJobData.safeParse(job.data);
    if (data.success) return { kind: "settle-period", ...data.data };
  }
  if (queue === SHOPIFY_ADMIN_QUEUE) {
    const journey = journeyJobData.safeParse(job.data);
    if (journey.success) return { kind: "fetch-journey", orderId: journey.data.orderId };
    const sync = syncJobData.safeParse(job.data);
    if (sync.success) return { kind: "order-sync", syncId: sync.data.syncId };
    const collection = collectionSyncJobData.safeParse(job.data);
    if (collection.success) return { kind: "collection-sync", syncId: collection.data.syncId };
  }
  if (queue === STATEMENTS_QUEUE) {
    const statements = statementsJobData.safeParse(job.data);
    if (statements.success) return { kind: "send-statements", periodKey: statements.data.periodKey };
  }
  if (queue === REPORTING_QUEUE && job.name === JOB.refreshRollups) return { kind: "refresh-rollups" };
  return { kind: "other", jobName: job.name };
}

function inboxSubject(topic: string | null, orderName: string | null): JobSubject {
  return topic === ORDERS_SYNC_TOPIC ? { kind: "synced-order", orderName } : { kind: "webhook", topic, orderName };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuids = (values: string[]) => [...new Set(values.filter((value) => UUID.test(value)))];

/** Each job in merchant words; the names come from this shop's rows only, a few queries for all the jobs. */
async function describeJobs(
  shop: Pick<Shop, "id" | "domain">,
  jobs: readonly { queue: QueueName; job: Pick<Job, "name" | "data"> }[],
): Promise<JobDescription[]> {
  const refs = jobs.map(({ queue, job }) => refOf(queue, job));
  const ids = <K extends Ref["kind"]>(kind: K, pick: (ref: Extract<Ref, { kind: K }>) => string) =>
    refs.filter((ref): ref is Extract<Ref, { kind: K }> => ref.kind === kind).map(pick);

  const eventIds = [...new Set(ids("webhook", (ref) => ref.eventId))];
  const [events, creators, orders, syncs, collections, timezone] = await Promise.all([
    eventIds.length
      ? prisma.$queryRaw<{ eventId: string; topic: string; orderName: string | null }[]>`
          SELECT "eventId", topic, ${ORDER_NAME_SQL} AS "orderName"
          FROM "InboxEvent" WHERE "shopDomain" = ${shop.domain} AND "eventId" = ANY(${eventIds})`
      : [],
    prisma.creator.findMany({
      where: { shopId: shop.id, id: { in: uuids(ids("settle-period", (ref) => ref.creatorId)) } },
      select: { id: true, name: true },
    }),
    prisma.order.findMany({
      where: { shopId: shop.id, id: { in: uuids(ids("fetch-journey", (ref) => ref.orderId)) } },
      select: { id: true, name: true },
    }),
    prisma.orderSync.findMany({
      where: { shopId: shop.id, id: { in: uuids(ids("order-sync", (ref) => ref.syncId)) } },
      select: { id: true, kind: true },
    }),
    prisma.collectionSync.findMany({
      where: { shopId: shop.id, id: { in: uuids(ids("collection-sync", (ref) => ref.syncId)) } },
      select: { id: true, title: true },
    }),
    refs.some((ref) => ref.kind === "send-statements")
      ? prisma.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { timezone: true } }).then((row) => row.timezone)
      : "UTC",
  ]);
  const eventById = new Map(events.map((event) => [event.eventId, event]));
  const creatorName = new Map(creators.map((creator) => [creator.id, creator.name]));
  const orderName = new Map(orders.map((order) => [order.id, order.name]));
  const syncKind = new Map(syncs.map((sync) => [sync.id, sync.kind]));
  const collectionTitle = new Map(collections.map((collection) => [collection.id, collection.title]));
  const periodLabel = (periodKey: string) => {
    const period = statementPeriodByKey(periodKey, timezone);
    return period ? statementPeriodLabel(period, timezone) : periodKey;
  };

  return refs.map((ref) => {
    switch (ref.kind) {
      case "webhook": {
        const event = eventById.get(ref.eventId);
        return describeJob(inboxSubject(event?.topic ?? null, event?.orderName ?? null));
      }
      case "settle-period":
        return describeJob({ kind: "settle-period", creatorName: creatorName.get(ref.creatorId) ?? null, periodKey: ref.periodKey });
      case "fetch-journey":
        return describeJob({ kind: "fetch-journey", orderName: orderName.get(ref.orderId) ?? null });
      case "order-sync":
        return describeJob({ kind: "order-sync", syncKind: syncKind.get(ref.syncId) ?? null });
      case "collection-sync":
        return describeJob({ kind: "collection-sync", collectionTitle: collectionTitle.get(ref.syncId) ?? null });
      case "send-statements":
        return describeJob({ kind: "send-statements", periodLabel: periodLabel(ref.periodKey) });
      case "refresh-rollups":
        return describeJob({ kind: "refresh-rollups" });
      case "other":
        return describeJob({ kind: "other", jobName: ref.jobName });
    }
  });
}
