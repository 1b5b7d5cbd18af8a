import type { PrismaClient } from "@prisma/client";
import { Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { COMMISSIONS_QUEUE, FAILED_JOBS_KEPT, JOB, settleJobId, type SettleCreatorPeriodJob } from "~/queues.server";
import { settleCreatorPeriod, type CreatorPeriodRef } from "~/services/post-commissions.server";
import { env } from "~/utils/env.server";
import { jobLogger, logger, withJobLog } from "~/utils/logger.server";
import { openPayPeriods, SWEEP_PERIODS_EVERY_MS, sweepCreatorPeriods } from "./sweep-creator-periods.server";

/** Settling waits a moment so that a burst of orders for one creator settles their period once. */
export const SETTLE_DELAY_MS = 2_000;

/**
 * One settlement job per creator period at a time: while one waits, later changes join it (a settlement settles
 * the period's latest change, whichever version announced it); while one runs, the latest change is kept and queued
 * when it finishes, since the running one may have read the period before that change. The period sweeper remains
 * the safety net for jobs lost with Redis.
 */
export async function enqueueSettlements(queue: Queue<SettleCreatorPeriodJob>, refs: readonly CreatorPeriodRef[]) {
  if (refs.length === 0) return;
  await queue.addBulk(
    refs.map((ref) => ({
      name: JOB.settleCreatorPeriod,
      data: ref,
      opts: {
        jobId: settleJobId(ref),
        delay: SETTLE_DELAY_MS,
        deduplication: { id: `period-${ref.creatorId}-${ref.periodKey}`, keepLastIfActive: true },
      },
    })),
  );
}

export async function startCommissionsWorker(options: {
  db: PrismaClient;
  queue: Queue<SettleCreatorPeriodJob>;
  connection: Redis;
  sweepEveryMs?: number;
}): Promise<Worker> {
  const { db, queue, connection } = options;
  const worker = new Worker<SettleCreatorPeriodJob>(
    COMMISSIONS_QUEUE,
    withJobLog(async (job: Job<SettleCreatorPeriodJob>) => {
      if (job.name === JOB.sweepCreatorPeriods) {
        const opened = await openPayPeriods(db);
        return { opened, swept: await sweepCreatorPeriods(db, queue) };
      }
      const outcome = await db.$transaction((tx) => settleCreatorPeriod(tx, job.data), { timeout: 60_000, maxWait: 10_000 });
      if (outcome.settled && outcome.next) await enqueueSettlements(queue, [outcome.next]);
      return outcome.settled ? { posted: outcome.posted } : { alreadySettled: true };
    }),
    { connection, prefix: env().QUEUE_PREFIX, concurrency: 4 },
  );
  worker.on("failed", (job, error) =>
    jobLogger(job).error({ err: error }, "job failed"),
  );
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  await queue.upsertJobScheduler(
    JOB.sweepCreatorPeriods,
    { every: options.sweepEveryMs ?? SWEEP_PERIODS_EVERY_MS },
    {
      name: JOB.sweepCreatorPeriods,
      data: { shopId: "", creatorId: "", periodKey: "", changeVersion: 0 },
      opts: { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } },
    },
  );
  return worker;
}
