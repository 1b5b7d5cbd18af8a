// The worker process (`npm run worker`). Web and worker share the code; only this process runs jobs.
import { prisma } from "./db.server";
import { startCommissionsWorker } from "./jobs/commissions-worker.server";
import { startInboxWorker } from "./jobs/inbox-worker.server";
import { startShopifyAdminWorker } from "./jobs/shopify-admin-worker.server";
import { createCommissionsQueue, createInboxQueue, createRedis, createShopifyAdminQueue } from "./queues.server";
import { logger } from "./utils/logger.server";

const connection = createRedis({ failFast: false });
const queue = createInboxQueue(connection);
const commissionsQueue = createCommissionsQueue(connection);
const adminQueue = createShopifyAdminQueue(connection);
const workers = [
  await startInboxWorker({ db: prisma, queue, commissionsQueue, connection }),
  await startCommissionsWorker({ db: prisma, queue: commissionsQueue, connection }),
  await startShopifyAdminWorker({ db: prisma, queue: adminQueue, inboxQueue: queue, commissionsQueue, connection }),
];
logger.info("worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  // close() waits for running jobs; whatever did not finish is retried from the queue or swept from the inbox.
  await Promise.all(workers.map((worker) => worker.close()));
  await Promise.all([queue.close(), commissionsQueue.close(), adminQueue.close()]);
  connection.disconnect();
  await prisma.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
