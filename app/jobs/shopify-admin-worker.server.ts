import type { PrismaClient } from "@prisma/client";
import { UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  FAILED_JOBS_KEPT,
  JOB,
  SHOPIFY_ADMIN_QUEUE,
  collectionSyncJobId,
  syncStepJobId,
  type ProcessInboxEventJob,
  type SettleCreatorPeriodJob,
  type ShopifyAdminJob,
} from "~/queues.server";
import { AdminApiAccessError, AdminApiThrottledError, adminGraphqlFor, type AdminGraphql } from "~/services/admin-api.server";
import {
  collectionSyncStepsDue,
  failCollectionSync,
  stepCollectionSync,
  type CollectionSyncStepRef,
} from "~/services/collection-sync.server";
import { ordersDueForJourney, refreshCustomerJourney } from "~/services/customer-journey.server";
import {
  failOrderSync,
  reconcileSince,
  shopsDueForReconcile,
  startOrderSync,
  stepOrderSync,
} from "~/services/order-sync.server";
import { env } from "~/utils/env.server";
import { jobLogger, logger, withJobLog } from "~/utils/logger.server";
import { enqueueSettlements } from "./commissions-worker.server";

export const SWEEP_ADMIN_WORK_EVERY_MS = 30_000;

export interface ShopifyAdminWorkerOptions {
  db: PrismaClient;
  queue: Queue<ShopifyAdminJob>;
  inboxQueue: Queue<ProcessInboxEventJob>;
  commissionsQueue: Queue<SettleCreatorPeriodJob>;
  connection: Redis;
  /** How the worker reaches a shop's Admin API (the offline session, by default). */
  adminFor?: (shopDomain: string) => Promise<AdminGraphql>;
  sweepEveryMs?: number;
}

export async function enqueueSyncStep(
  queue: Queue<ShopifyAdminJob>,
  sync: { id: string; shopId: string },
  delayMs = 0,
  step: string | number = Date.now(),
) {
  await queue.add(JOB.syncOrders, { kind: "sync-orders", shopId: sync.shopId, syncId: sync.id }, { jobId: syncStepJobId(sync.id, step), delay: delayMs });
}

/** The next step of each collection sync (a page to read, or the orders of a finished pass to post again). */
export async function enqueueCollectionSyncSteps(queue: Queue<ShopifyAdminJob>, refs: readonly CollectionSyncStepRef[]) {
  if (refs.length === 0) return;
  await queue.addBulk(
    refs.map((ref) => ({
      name: JOB.syncCollection,
      data: { kind: "sync-collection" as const, shopId: ref.shopId, syncId: ref.syncId },
      opts: { jobId: collectionSyncJobId(ref.syncId, ref.step) },
    })),
  );
}

/** One job of the shopify-admin queue; every job names its shop, and a sync or order of another shop is missing. */
export async function runShopifyAdminJob(options: ShopifyAdminWorkerOptions, data: ShopifyAdminJob) {
  const { db, queue } = options;
  const adminFor = options.adminFor ?? adminGraphqlFor;
  // The shop's domain, or null once it uninstalled the app (or was erased): its queued work then does nothing, and
  // the sweeps (which look at installed shops only) bring it back after a re-install.
  const installedShopDomain = async (shopId: string) =>
    (await db.shop.findFirst({ where: { id: shopId, uninstalledAt: null }, select: { domain: true } }))?.domain ?? null;

  if (data.kind === "sweep") return sweep(options);
  if (data.kind === "fetch-journey") {
    const shopDomain = await installedShopDomain(data.shopId);
    if (!shopDomain) return { skipped: "shop not installed" };
    const admin = await adminFor(shopDomain);
    const { outcome, changedPeriods } = await refreshCustomerJourney(db, admin, data);
    await enqueueSettlements(options.commissionsQueue, changedPeriods);
    return { outcome };
  }
  if (data.kind === "sync-collection") {
    const sync = await db.collectionSync.findFirst({ where: { id: data.syncId, shopId: data.shopId }, include: { shop: { select: { domain: true, uninstalledAt: true } } } });
    if (!sync) return { missing: true };
    if (sync.shop.uninstalledAt) return { skipped: "shop not installed" };
    const outcome = await stepCollectionSync(db, await adminFor(sync.shop.domain), data.syncId);
    if ("next" in outcome && outcome.next) await enqueueCollectionSyncSteps(queue, [outcome.next]);
    if ("changedPeriods" in outcome) {
      await enqueueSettlements(options.commissionsQueue, outcome.changedPeriods);
      return { state: outcome.state, changedProducts: outcome.changedProducts, repostedOrders: outcome.repostedOrders };
    }
    return { state: outcome.state };
  }
  const sync = await db.orderSync.findFirst({ where: { id: data.syncId, shopId: data.shopId }, include: { shop: { select: { domain: true } } } });
  if (!sync) return { missing: true };
  const admin = await adminFor(sync.shop.domain);
  const step = await stepOrderSync(db, admin, options.inboxQueue, data.syncId);
  if (step.state === "started" || step.state === "running") await enqueueSyncStep(queue, sync, step.pollAgainMs);
  return step;
}

export async function startShopifyAdminWorker(options: ShopifyAdminWorkerOptions): Promise<Worker> {
  const { db, queue, connection } = options;
  const run = (job: Job<ShopifyAdminJob>) => runShopifyAdminJob(options, job.data);

  const worker: Worker<ShopifyAdminJob> = new Worker<ShopifyAdminJob>(
    SHOPIFY_ADMIN_QUEUE,
    withJobLog(async (job: Job<ShopifyAdminJob>) => {
      try {
        return await run(job);
      } catch (error) {
        if (error instanceof AdminApiThrottledError) {
          // Pauses the whole queue for every worker and puts the job back without spending one of its attempts.
          logger.warn({ retryAfterMs: error.retryAfterMs }, "Shopify throttled the Admin API; the queue waits");
          await queue.rateLimit(error.retryAfterMs);
          throw Worker.RateLimitError();
        }
        if (error instanceof AdminApiAccessError) throw new UnrecoverableError(error.message);
        throw error;
      }
    }),
    { connection, prefix: env().QUEUE_PREFIX, concurrency: 4, limiter: { max: 10, duration: 1_000 } },
  );
  worker.on("failed", (job, error) => {
    jobLogger(job).error({ err: error }, "job failed");
    const finalAttempt = !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (job?.data.kind === "sync-orders" && finalAttempt) {
      void failOrderSync(db, job.data, error.message).catch((err) => logger.error({ err }, "could not mark the sync failed"));
    }
    if (job?.data.kind === "sync-collection" && finalAttempt) {
      void failCollectionSync(db, job.data, error.message).catch((err) => logger.error({ err }, "could not mark the collection sync failed"));
    }
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));

  await queue.upsertJobScheduler(
    JOB.sweepJourneys,
    { every: options.sweepEveryMs ?? SWEEP_ADMIN_WORK_EVERY_MS },
    { name: JOB.sweepJourneys, data: { kind: "sweep" }, opts: { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } } },
  );
  return worker;
}

/**
 * Postgres holds the to-do list: journeys due to be asked for, shops due a reconciliation, and collections due
 * their daily read (or whose step was lost).
 */
async function sweep(options: ShopifyAdminWorkerOptions) {
  const { db, queue } = options;
  const due = await ordersDueForJourney(db);
  if (due.length) {
    await queue.addBulk(
      due.map((order) => ({
        name: JOB.fetchJourney,
        data: { kind: "fetch-journey" as const, shopId: order.shopId, orderId: order.id },
        opts: { jobId: `journey-${order.id}-${order.journeyAttempts}` },
      })),
    );
  }
  let reconciling = 0;
  for (const shop of await shopsDueForReconcile(db)) {
    try {
      const sync = await startOrderSync(db, shop.id, "RECONCILE", reconcileSince(shop.ordersSyncedThrough));
      await enqueueSyncStep(queue, sync);
      reconciling += 1;
    } catch (error) {
      logger.warn({ err: error, shopId: shop.id }, "reconciliation not started");
    }
  }
  // A sync whose next step was lost with Redis would block the shop's syncs: give it another step (duplicates only
  // repeat a poll, and re-reading a result only finds duplicates).
  const stalled = await db.orderSync.findMany({
    where: { status: "RUNNING", startedAt: { lt: new Date(Date.now() - 60_000) } },
    select: { id: true, shopId: true },
  });
  const minute = Math.floor(Date.now() / 60_000);
  for (const sync of stalled) await enqueueSyncStep(queue, sync, 0, `sweep-${minute}`);
  const collectionSteps = await collectionSyncStepsDue(db);
  await enqueueCollectionSyncSteps(queue, collectionSteps);
  return { journeys: due.length, reconciling, stalled: stalled.length, collections: collectionSteps.length };
}
