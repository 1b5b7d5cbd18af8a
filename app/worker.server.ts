// The worker process. Web and worker share the code; only this process runs jobs. `npm run build` bundles this file
// into build/worker/index.js (vite.worker.config.ts), which `npm run worker` runs with plain node and
// --max-semi-space-size=16: V8 sizes the young generation from the machine's memory (2 × 64 MB with 24 GB), committed
// from start-up on: ~125 MB of the ~300 MB an idle worker held. At 16 MB the benches showed no more CPU or GC time
// (README, Benchmarks). `npm run worker:dev` runs this file from source through tsx.
import { prisma } from "./db.server";
import { startCommissionsWorker } from "./jobs/commissions-worker.server";
import { startInboxWorker } from "./jobs/inbox-worker.server";
import { keepJobSchedulers } from "./jobs/job-schedulers.server";
import { startReportingWorker } from "./jobs/reporting-worker.server";
import { startShopifyAdminWorker } from "./jobs/shopify-admin-worker.server";
import { startStatementsWorker } from "./jobs/statements-worker.server";
import { sweepCreatorPeriods } from "./jobs/sweep-creator-periods.server";
import { sweepInbox } from "./jobs/sweep-inbox.server";
import {
  createCommissionsQueue,
  createInboxQueue,
  createRedis,
  createReportingQueue,
  createShopifyAdminQueue,
  createStatementsQueue,
} from "./queues.server";
import { env } from "./utils/env.server";
import { logger } from "./utils/logger.server";
import { smtpConfigured, statementMailerFromEnv } from "./utils/mailer.server";

const connection = createRedis({ failFast: false });
const queue = createInboxQueue(connection);
const commissionsQueue = createCommissionsQueue(connection);
const adminQueue = createShopifyAdminQueue(connection);
const statementsQueue = createStatementsQueue(connection);
const reportingQueue = createReportingQueue(connection);
const mailer = smtpConfigured() ? statementMailerFromEnv() : null;
if (!mailer) logger.warn("SMTP is not configured (SMTP_URL or SMTP_HOST, STATEMENTS_FROM): creator statements will not be sent");
const workers = [
  await startInboxWorker({ db: prisma, queue, commissionsQueue, shopifyAdminQueue: adminQueue, connection }),
  await startCommissionsWorker({ db: prisma, queue: commissionsQueue, connection }),
  await startShopifyAdminWorker({ db: prisma, queue: adminQueue, inboxQueue: queue, commissionsQueue, connection }),
  await startStatementsWorker({ queue: statementsQueue, connection, mailer }),
  await startReportingWorker({ db: prisma, queue: reportingQueue, connection }),
];
// Redis without persistence forgets the sweeps' schedulers and every queued job on restart: register the schedulers
// again, and re-enqueue at once (no grace) what the inbox and the pay periods still owe, since no job is on its way.
const schedulers = await keepJobSchedulers({
  connection,
  queues: [queue, commissionsQueue, adminQueue, statementsQueue, reportingQueue],
  onRestored: async () => {
    const [events, periods] = await Promise.all([
      sweepInbox(prisma, queue, new Date(), 0),
      sweepCreatorPeriods(prisma, commissionsQueue, new Date(), 0),
    ]);
    logger.info({ events, periods }, "re-enqueued the work Redis lost");
  },
});
logger.info("worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  schedulers.stop();
  // close() waits for running jobs. A job still running at the deadline (orchestrators kill ~30 s after SIGTERM)
  // is abandoned: its transaction never commits, and its job returns to the queue when its lock expires.
  const finished = Promise.all(workers.map((worker) => worker.close()));
  const deadline = new Promise<"deadline">((resolve) => setTimeout(() => resolve("deadline"), env().WORKER_SHUTDOWN_DEADLINE_MS).unref());
  if ((await Promise.race([finished, deadline])) === "deadline") {
    logger.warn({ afterMs: env().WORKER_SHUTDOWN_DEADLINE_MS }, "jobs still running at the shutdown deadline: leaving them to the queue");
    // Neither close(true) (a worker already closing only answers the first close's promise) nor $disconnect() (it
    // would wait for the abandoned jobs' transactions): exiting ends their connections, PostgreSQL rolls them back.
    process.exit(0);
  }
  await Promise.all([queue.close(), commissionsQueue.close(), adminQueue.close(), statementsQueue.close(), reportingQueue.close()]);
  mailer?.close();
  connection.disconnect();
  await prisma.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
