// Statements: `statementCreators` creators, each with a retainer and a commission in last month, and last month's
// statement run as the merchant's "Send now" starts it — a job on the statements queue, handled by the worker
// process (render the PDF and CSV, send over SMTP, record the delivery) — to a local SMTP server in this process
// that accepts and counts every message. Measured from the enqueue to the run's completion. BENCH_STATEMENT_CREATORS
// sets how many creators (default: the size's).
import { SMTPServer } from "smtp-server";
import { Queue } from "bullmq";
import type { AddressInfo } from "node:net";
import { prisma } from "~/db.server";
import { latestClosedPeriod } from "~/domain/statements/statement-periods";
import { enqueuePeriodStatements } from "~/jobs/statements-worker.server";
import { createRedis, STATEMENTS_QUEUE, type StatementsJob } from "~/queues.server";
import { WORKER_RSS_TARGET_MB } from "./e2e.bench";
import { appEnv, deleteQueueKeys, MemorySampler, startWorker } from "./bench-env";
import { queuePrefix, type BenchContext } from "./context";
import { createBenchCreators, createBenchShop } from "./fixtures";
import type { Measurement } from "./report";

export const STATEMENTS_TARGET_SECONDS_PER_10K = 60;
const TIMEZONE = "America/New_York";

/** An SMTP server that takes every message and keeps only the count. */
async function countingSmtpServer(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // A reverse DNS lookup per connection stalls on a machine without DNS; a mail relay's own costs are not the app's.
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function benchStatements(context: BenchContext): Promise<Measurement[]> {
  const { sizes, log } = context;
  // BENCH_STATEMENT_CREATORS=10000: the full size's 10k statements without the rest of the full size.
  const creators = Number(process.env.BENCH_STATEMENT_CREATORS ?? sizes.statementCreators);
  if (!Number.isInteger(creators) || creators < 1) throw new Error(`BENCH_STATEMENT_CREATORS must be a positive whole number, not ${process.env.BENCH_STATEMENT_CREATORS}`);
  const shop = await createBenchShop("statements", TIMEZONE);
  // Installed now, after the period ended: the worker's scheduled sweep leaves the period alone, so the run
  // measured is the one queued below.
  await createBenchCreators(shop.id, creators);
  const period = latestClosedPeriod("MONTHLY", TIMEZONE, new Date());
  const midPeriod = new Date((period.start.getTime() + period.end.getTime()) / 2);
  await prisma.$executeRaw`
    INSERT INTO "LedgerEntry" ("id", "shopId", "creatorId", "kind", "sourceKey", "periodKey", "availableAt", "amountMinor", "currencyCode", "idempotencyKey", "reason", "createdAt")
    SELECT gen_random_uuid(), c."shopId", c."id", 'RETAINER', 'retainer:' || ${period.key}, ${period.key}, ${midPeriod}, 50000, 'USD', 'bench-retainer:' || c."id", 'Monthly retainer', ${period.start}
    FROM "Creator" c WHERE c."shopId" = ${shop.id}::uuid`;
  await prisma.$executeRaw`
    INSERT INTO "LedgerEntry" ("id", "shopId", "creatorId", "kind", "sourceKey", "availableAt", "amountMinor", "currencyCode", "idempotencyKey", "reason", "createdAt")
    SELECT gen_random_uuid(), c."shopId", c."id", 'ADJUSTMENT', 'bench-bonus', ${midPeriod}, 2500, 'USD', 'bench-bonus:' || c."id", 'Launch bonus', ${midPeriod}
    FROM "Creator" c WHERE c."shopId" = ${shop.id}::uuid`;

  const smtp = await countingSmtpServer();
  const prefix = queuePrefix(context, "statements");
  const env = appEnv(context.databaseUrl, prefix, { SMTP_URL: smtp.url, STATEMENTS_FROM: "statements@bench.test" });
  const worker = await startWorker(env);
  const sampler = new MemorySampler([worker]).start();
  const connection = createRedis({ failFast: false });
  // The worker's queue: its QUEUE_PREFIX, not this process's. One attempt, so a failure ends the run with the
  // error instead of a minute's retry delay.
  const queue: Queue<StatementsJob> = new Queue<StatementsJob>(STATEMENTS_QUEUE, { connection, prefix });
  try {
    log(`statements: ${creators} creators, period ${period.key}`);
    const started = Date.now();
    await enqueuePeriodStatements(queue, [{ shopId: shop.id, periodKey: period.key }], { requestedBy: "bench", requestToken: "bench" });
    let completedAt: Date | null = null;
    let lastLogged = 0;
    while (!completedAt) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const run = await prisma.statementRun.findUnique({ where: { shopId_periodKey: { shopId: shop.id, periodKey: period.key } } });
      completedAt = run?.completedAt ?? null;
      if (Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        log(`statements: ${smtp.received()}/${creators} received after ${Math.round((Date.now() - started) / 1000)} s`);
      }
      if (Date.now() - started > 60 * 60_000) throw new Error(`statements not done after an hour: ${smtp.received()} received`);
    }
    const seconds = (completedAt.getTime() - started) / 1_000;
    const sent = await prisma.statementDelivery.count({ where: { shopId: shop.id, periodKey: period.key, status: "SENT" } });
    if (sent !== creators || smtp.received() !== creators) throw new Error(`${sent} statements recorded sent and ${smtp.received()} received, of ${creators}`);
    const peaks = sampler.stop();
    log(`statements: ${creators} in ${seconds.toFixed(1)} s (${(creators / seconds).toFixed(1)}/s)`);
    const label = `${creators.toLocaleString("en-US")} creators`;
    return [
      {
        bench: "statements",
        name: `run, ${label}`,
        value: seconds,
        unit: "s",
        // The target is for 10k statements; a smaller run is held to its share.
        target: { op: "<=", value: (STATEMENTS_TARGET_SECONDS_PER_10K * creators) / 10_000 },
        details: { creators, perSecond: Number((creators / seconds).toFixed(1)) },
      },
      { bench: "statements", name: `worker peak RSS, ${label}`, value: peaks.get(worker.name) ?? 0, unit: "MB", target: { op: "<=", value: WORKER_RSS_TARGET_MB } },
    ];
  } finally {
    sampler.stop();
    await worker.stop();
    await queue.close();
    connection.disconnect();
    await smtp.close();
    await deleteQueueKeys(prefix);
  }
}
