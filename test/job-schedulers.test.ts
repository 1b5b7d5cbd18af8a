import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-schedulers-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { keepJobSchedulers, type RestoredScheduler } from "~/jobs/job-schedulers.server";
import { sweepCreatorPeriods } from "~/jobs/sweep-creator-periods.server";
import { sweepInbox } from "~/jobs/sweep-inbox.server";
import { Worker } from "bullmq";
import { createInboxQueue, createRedis, createReportingQueue, enqueueOwedWork, FAILED_JOBS_KEPT, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { env } from "~/utils/env.server";
import { createTestCreator, createTestShop } from "./helpers/factories";

const HOUR = 3_600_000;

/** What a Redis restart without persistence does to this test's queues: every key gone. */
async function wipeQueueKeys(): Promise<void> {
  const redis = createRedis({ failFast: false });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${process.env.QUEUE_PREFIX}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

describe("job schedulers survive Redis losing them", () => {
  const connection = createRedis({ failFast: false });
  const inbox = createInboxQueue(connection);
  const reporting = createReportingQueue(connection);
  const stops: (() => void)[] = [];

  afterAll(async () => {
    for (const stop of stops) stop();
    await inbox.obliterate({ force: true });
    await reporting.obliterate({ force: true });
    await Promise.all([inbox.close(), reporting.close()]);
    connection.disconnect();
  });

  async function registerSweeps() {
    const opts = { removeOnComplete: true, removeOnFail: { count: FAILED_JOBS_KEPT } };
    await inbox.upsertJobScheduler(JOB.sweepInbox, { every: HOUR }, { name: JOB.sweepInbox, data: { shopId: "", shopDomain: "", eventId: "" }, opts });
    await reporting.upsertJobScheduler(JOB.sweepRollups, { every: HOUR }, { name: JOB.sweepRollups, data: { kind: "sweep", shopId: "" }, opts });
  }

  it("registers again the schedulers Redis lost, with their interval and job template, and says which", async () => {
    await registerSweeps();
    const heard: RestoredScheduler[][] = [];
    const keeper = await keepJobSchedulers({ connection, queues: [inbox, reporting], checkEveryMs: HOUR, onRestored: async (restored) => void heard.push(restored) });
    stops.push(keeper.stop);
    expect(await keeper.check()).toEqual([]);

    await wipeQueueKeys();
    expect(await inbox.getJobScheduler(JOB.sweepInbox)).toBeUndefined();

    const restored = await keeper.check();
    expect(restored).toEqual([
      { queue: "inbox", key: JOB.sweepInbox },
      { queue: "reporting", key: JOB.sweepRollups },
    ]);
    expect(heard).toEqual([restored]);
    const scheduler = await inbox.getJobScheduler(JOB.sweepInbox);
    expect(scheduler).toMatchObject({ name: JOB.sweepInbox, every: HOUR, template: { data: { shopId: "", shopDomain: "", eventId: "" } } });
    expect(scheduler?.template?.opts).toMatchObject({ removeOnFail: { count: FAILED_JOBS_KEPT } });
    // The scheduler's next run is queued again, so the sweeps resume without a worker restart.
    expect(await reporting.getJobCounts("delayed", "wait")).not.toEqual({ delayed: 0, wait: 0 });
    expect(await keeper.check()).toEqual([]);
  });

  it("checks again as soon as the connection to Redis comes back", async () => {
    await registerSweeps();
    const keeper = await keepJobSchedulers({ connection, queues: [inbox], checkEveryMs: HOUR });
    stops.push(keeper.stop);
    await wipeQueueKeys();
    // A reconnect, as after a Redis restart (the timer would only look an hour from now).
    connection.disconnect(true);
    await vi.waitFor(async () => expect(await inbox.getJobScheduler(JOB.sweepInbox)).toMatchObject({ every: HOUR }), { timeout: 10_000 });
  });
});

describe("sweeping without grace once Redis lost every job", () => {
  const capture = () => {
    const jobs: { data: { eventId?: string; creatorId?: string } }[] = [];
    return { jobs, queue: { getJobState: async () => "unknown", addBulk: async (added: typeof jobs) => void jobs.push(...added) } as never };
  };

  it("re-enqueues an event received a moment ago, which the usual grace leaves to its own job", async () => {
    const shop = await createTestShop();
    const eventId = randomUUID();
    await prisma.inboxEvent.create({ data: { shopDomain: shop.domain, eventId, webhookId: eventId, topic: "ORDERS_CREATE", apiVersion: "2026-07", payload: {} } });

    const withGrace = capture();
    await sweepInbox(prisma, withGrace.queue, new Date());
    expect(withGrace.jobs.map((job) => job.data.eventId)).not.toContain(eventId);

    const withoutGrace = capture();
    await sweepInbox(prisma, withoutGrace.queue, new Date(), 0);
    expect(withoutGrace.jobs.map((job) => job.data.eventId)).toContain(eventId);
  });

  it("re-enqueues a pay period changed a moment ago", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    await prisma.creatorPeriod.create({ data: { shopId: shop.id, creatorId: creator.id, periodKey: "2026-11" } });

    const withGrace = capture();
    await sweepCreatorPeriods(prisma, withGrace.queue, new Date());
    expect(withGrace.jobs.map((job) => job.data.creatorId)).not.toContain(creator.id);

    const withoutGrace = capture();
    await sweepCreatorPeriods(prisma, withoutGrace.queue, new Date(), 0);
    expect(withoutGrace.jobs.map((job) => job.data.creatorId)).toContain(creator.id);
  });
});

describe("owed work whose job was kept failed", () => {
  const connection = createRedis({ failFast: false });
  const queue = createInboxQueue(connection);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it("retries the failed job under the same id instead of an add BullMQ would ignore", async () => {
    const job = { name: JOB.processInboxEvent, data: { shopId: "s", shopDomain: "d", eventId: randomUUID() }, opts: { jobId: `owed-${randomUUID()}`, attempts: 1 } };
    let runs = 0;
    let failing = true;
    const worker = new Worker<ProcessInboxEventJob>(
      queue.name,
      async () => {
        runs += 1;
        if (failing) throw new Error("database unreachable");
      },
      { connection, prefix: env().QUEUE_PREFIX },
    );
    try {
      await queue.add(job.name, job.data, job.opts);
      await vi.waitFor(async () => expect(await queue.getJobState(job.opts.jobId)).toBe("failed"), { timeout: 10_000 });

      failing = false;
      expect(await enqueueOwedWork(queue, [job])).toEqual({ added: 0, retried: 1 });
      await vi.waitFor(async () => expect(await queue.getJobState(job.opts.jobId)).toBe("unknown"), { timeout: 10_000 });
      expect(runs).toBe(2);
    } finally {
      await worker.close();
    }
  });
});
