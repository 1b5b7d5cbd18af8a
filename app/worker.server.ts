// The worker process (`npm run worker`). Web and worker share the code; only this process runs jobs.
import { prisma } from "./db.server";
import { startInboxWorker } from "./jobs/inbox-worker.server";
import { createInboxQueue, createRedis } from "./queues.server";
import { logger } from "./utils/logger.server";

const connection = createRedis({ failFast: false });
const queue = createInboxQueue(connection);
const worker = await startInboxWorker({ db: prisma, queue, connection });
logger.info("worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing in-flight jobs");
  // close() waits for running jobs; whatever did not finish is retried from the queue or swept from the inbox.
  await worker.close();
  await queue.close();
  connection.disconnect();
  await prisma.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
