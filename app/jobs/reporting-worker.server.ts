import type { PrismaClient } from "@prisma/client";
import { Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { FAILED_JOBS_KEPT, JOB, REPORTING_QUEUE, type ReportingJob } from "~/queues.server";
import { refreshShopRollups, shopsWithRollupChanges } from "~/services/refresh-rollups.server";
import { env } from "~/utils/env.server";
import { jobLogger, logger, withJobLog } from "~/utils/logger.server";

/**
 * How often the worker looks for changed days. The database triggers record every change, so this interval is how
 * stale a report can be, and a burst of orders costs one rebuild per shop per interval, not one per order.
 */
export const SWEEP_ROLLUPS_EVERY_MS = 5_000;

/** One refresh per shop in the queue at a time: changes that arrive meanwhile are picked up by the next sweep. */
export async function enqueueRollupRefreshes(queue: Queue<ReportingJob>, shopIds: readonly string[]): Promise<void> {
  if (shopIds.length === 0) return;
  await queue.addBulk(
    shopIds.map((shopId) => ({
      name: JOB.refreshRollups,
      data: { kind: "refresh-rollups" as const, shopId },
      opts: { deduplication: { id: `rollups-${shopId}` } },
    })),
  );
}

export async function startReportingWorker(options: {
  db: PrismaClient;
  queue: Queue<ReportingJob>;
  connection: Redis;
  sweepEveryMs?: number;
}): Promise<Worker<ReportingJob>> {
  const { db, queue, connection } = options;
  const worker = new Worker<ReportingJob>(
    REPORTING_QUEUE,
    withJobLog(async (job: Job<ReportingJob>) => {
      if (job.data.kind === "sweep") {
        const shopIds = await shopsWithRollupChanges(db);
        await enqueueRollupRefreshes(queue, shopIds);
        return { queued: shopIds.length };
      }
      return refreshShopRollups(db, job.data.shopId);
    }),
    { connection, prefix: env().QUEUE_PREFIX, concurrency: 2 },
  );
  worker.on("failed", (job, error) =>
    jobLogger(job).error({ err: error }, "job failed"),
  );
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  await queue.upsertJobScheduler(
    JOB.sweepRollups,
    { every: options.sweepEveryMs ?? SWEEP_ROLLUPS_EVERY_MS },
    {
      name: JOB.sweepRollups,
      data: { kind: "sweep", shopId: "" },
      opts: { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } },
    },
  );
  return worker;
}
