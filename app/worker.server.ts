// The worker process (`npm run worker`). Web and worker share the code; only this process runs jobs.
import { prisma } from "./db.server";
import { startCommissionsWorker } from "./jobs/commissions-worker.server";
import { startInboxWorker } from "./jobs/inbox-worker.server";
import { startReportingWorker } from "./jobs/reporting-worker.server";
import { startShopifyAdminWorker } from "./jobs/shopify-admin-worker.server";
import { startStatementsWorker } from "./jobs/statements-worker.server";
import {
  createCommissionsQueue,
  createInboxQueue,
  createRedis,
  createReportingQueue,
  createShopifyAdminQueue,
  createStatementsQueue,
} from "./queues.server";
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
logger.info("worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  // close() waits for running jobs; whatever did not finish is retried from the queue or swept from the inbox.
  await Promise.all(workers.map((worker) => worker.close()));
  await Promise.all([queue.close(), commissionsQueue.close(), adminQueue.close(), statementsQueue.close(), reportingQueue.close()]);
  mailer?.close();
  connection.disconnect();
  await prisma.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
