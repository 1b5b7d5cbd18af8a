import { Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { FAILED_JOBS_KEPT, STATEMENTS_QUEUE, statementsJobId, type StatementsJob } from "~/queues.server";
import { dueStatementRuns, sendPeriodStatements } from "~/services/send-period-statements.server";
import { env } from "~/utils/env.server";
import { jobLogger, logger, withJobLog } from "~/utils/logger.server";
import { SmtpNotConfiguredError, type StatementMailer } from "~/utils/mailer.server";

/** How often the sweep looks for periods that closed; statements are due from 06:00 shop time the next day. */
export const SWEEP_STATEMENTS_EVERY_MS = 15 * 60_000;
const SWEEP = "sweep-statements";
const SEND_PERIOD = "send-period-statements";

/** Queues the statements of `periods`, one job each; the job id keeps one pass per shop and period in the queue. */
export async function enqueuePeriodStatements(
  queue: Queue<StatementsJob>,
  periods: readonly { shopId: string; periodKey: string }[],
  request: { requestedBy: string | null; requestToken?: string } = { requestedBy: null },
): Promise<void> {
  if (periods.length === 0) return;
  await queue.addBulk(
    periods.map(({ shopId, periodKey }) => ({
      name: SEND_PERIOD,
      data: { kind: "send-period" as const, shopId, periodKey, requestedBy: request.requestedBy },
      opts: { jobId: statementsJobId(shopId, periodKey, request.requestToken) },
    })),
  );
}

/**
 * Sends statements. `mailer` is null when SMTP is not configured: the sweep then queues nothing, and a merchant's
 * request fails with a message that says what to set. `schedule: false` leaves the sweep out (tests).
 */
export async function startStatementsWorker(options: {
  queue: Queue<StatementsJob>;
  connection: Redis;
  mailer: StatementMailer | null;
  schedule?: boolean;
  sweepEveryMs?: number;
  concurrency?: number;
  /** BullMQ's job lock and stalled-job check (defaults 30 s each): how soon a dead worker's job is taken over. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}): Promise<Worker<StatementsJob>> {
  const { queue, connection, mailer } = options;
  const worker = new Worker<StatementsJob>(
    STATEMENTS_QUEUE,
    withJobLog(async (job: Job<StatementsJob>) => {
      if (job.data.kind === "sweep") {
        if (!mailer) return { queued: 0, reason: "SMTP is not configured" };
        const due = await dueStatementRuns();
        await enqueuePeriodStatements(queue, due);
        return { queued: due.length };
      }
      if (!mailer) throw new SmtpNotConfiguredError();
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const summary = await sendPeriodStatements(mailer, { ...job.data, lastAttempt });
      return summary ?? { skipped: "unknown shop or period" };
    }),
    {
      connection,
      prefix: env().QUEUE_PREFIX,
      concurrency: options.concurrency ?? 2,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    },
  );
  worker.on("failed", (job, error) =>
    jobLogger(job).error({ err: error }, "job failed"),
  );
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  if (options.schedule ?? true) {
    await queue.upsertJobScheduler(
      SWEEP,
      { every: options.sweepEveryMs ?? SWEEP_STATEMENTS_EVERY_MS },
      { name: SWEEP, data: { kind: "sweep", shopId: "" }, opts: { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } } },
    );
  }
  return worker;
}
