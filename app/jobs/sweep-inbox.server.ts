import type { PrismaClient } from "@prisma/client";
import type { Queue } from "bullmq";
import { enqueueOwedWork, inboxJobId, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { MAX_INBOX_ATTEMPTS } from "~/services/process-inbox-event.server";

export const SWEEP_EVERY_MS = 30_000;
/** Younger events are most likely still on their way through the queue. */
export const SWEEP_GRACE_MS = 30_000;
const SWEEP_BATCH = 1_000;

/**
 * Re-enqueues inbox events that should have been processed by now: their job was lost with Redis, the worker died
 * holding it, or it ran out of attempts. Each event keeps the one job id its webhook was queued under: a job still on
 * its way (waiting, delayed, running) is left alone and a failed one runs again, so an event never has two jobs, nor
 * two failed entries on the background jobs page.
 */
export async function sweepInbox(
  db: PrismaClient,
  queue: Queue<ProcessInboxEventJob>,
  now = new Date(),
  /** 0 once Redis is known to have lost its jobs: then no unprocessed event has a job on its way. */
  graceMs = SWEEP_GRACE_MS,
): Promise<number> {
  const stale = await db.inboxEvent.findMany({
    where: {
      processedAt: null,
      attempts: { lt: MAX_INBOX_ATTEMPTS },
      receivedAt: { lt: new Date(now.getTime() - graceMs) },
    },
    orderBy: { receivedAt: "asc" },
    take: SWEEP_BATCH,
    select: { shopDomain: true, eventId: true },
  });
  if (stale.length === 0) return 0;
  const shops = await db.shop.findMany({
    where: { domain: { in: [...new Set(stale.map((event) => event.shopDomain))] } },
    select: { id: true, domain: true },
  });
  const shopIdOf = new Map(shops.map((shop) => [shop.domain, shop.id]));
  await enqueueOwedWork(
    queue,
    stale.map(({ shopDomain, eventId }) => ({
      name: JOB.processInboxEvent,
      // An event whose shop was erased meanwhile still goes through (it is then marked processed), under no shop.
      data: { shopId: shopIdOf.get(shopDomain) ?? "", shopDomain, eventId },
      opts: { jobId: inboxJobId({ shopDomain, eventId }) },
    })),
  );
  return stale.length;
}
