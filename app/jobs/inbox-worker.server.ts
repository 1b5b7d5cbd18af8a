import type { PrismaClient } from "@prisma/client";
import { UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { InvalidPayloadError } from "~/domain/orders/parse-order-payload";
import {
  FAILED_JOBS_KEPT,
  INBOX_QUEUE,
  JOB,
  type ProcessInboxEventJob,
  type SettleCreatorPeriodJob,
  type ShopifyAdminJob,
} from "~/queues.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { env } from "~/utils/env.server";
import { jobLogger, logger, withJobLog } from "~/utils/logger.server";
import { enqueueSettlements } from "./commissions-worker.server";
import { enqueueCollectionSyncSteps } from "./shopify-admin-worker.server";
import { SWEEP_EVERY_MS, sweepInbox } from "./sweep-inbox.server";

export interface InboxWorkerOptions {
  db: PrismaClient;
  queue: Queue<ProcessInboxEventJob>;
  commissionsQueue: Queue<SettleCreatorPeriodJob>;
  /** Where collection webhooks' reads of Shopify go; without it the shopify-admin sweeper finds them (a minute later). */
  shopifyAdminQueue?: Queue<ShopifyAdminJob>;
  connection: Redis;
  concurrency?: number;
  sweepEveryMs?: number;
}

export async function startInboxWorker(options: InboxWorkerOptions): Promise<Worker> {
  const { db, queue, connection } = options;
  const worker = new Worker<ProcessInboxEventJob>(
    INBOX_QUEUE,
    withJobLog(async (job: Job<ProcessInboxEventJob>) => {
      if (job.name === JOB.sweepInbox) return { swept: await sweepInbox(db, queue) };
      try {
        const { outcome, changedPeriods, collectionSyncs } = await processInboxEvent(db, job.data);
        // Committed already; a lost enqueue leaves the period unsettled for the period sweeper to find.
        await enqueueSettlements(options.commissionsQueue, changedPeriods).catch((error) =>
          logger.warn({ err: error }, "settlement enqueue failed; the period sweeper will pick it up"),
        );
        if (options.shopifyAdminQueue) {
          // Likewise: a queued collection sync whose job is lost is found by the shopify-admin sweeper.
          await enqueueCollectionSyncSteps(options.shopifyAdminQueue, collectionSyncs).catch((error) =>
            logger.warn({ err: error }, "collection sync enqueue failed; the shopify-admin sweeper will pick it up"),
          );
        }
        return { outcome };
      } catch (error) {
        // A payload that cannot be parsed will not parse on the next attempt either.
        if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
        throw error;
      }
    }),
    { connection, prefix: env().QUEUE_PREFIX, concurrency: options.concurrency ?? 16 },
  );
  worker.on("failed", (job, error) => {
    jobLogger(job).error({ err: error }, "job failed");
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));

  await queue.upsertJobScheduler(
    JOB.sweepInbox,
    { every: options.sweepEveryMs ?? SWEEP_EVERY_MS },
    { name: JOB.sweepInbox, data: { shopId: "", shopDomain: "", eventId: "" }, opts: { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } } },
  );
  return worker;
}
