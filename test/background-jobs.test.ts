// The background jobs page's data against real Redis and PostgreSQL: jobs made by the app's own producers, failed by
// the app's workers for real reasons (an unreadable webhook, a shop without an offline session) or by a stand-in
// commissions worker that cannot settle; then read, counted and retried per shop. Shop A never sees nor retries
// shop B's jobs.
import { randomUUID } from "node:crypto";
import { UnrecoverableError, Worker, type Job, type JobType } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-background-jobs-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { enqueueSettlements } from "~/jobs/commissions-worker.server";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { sweepInbox } from "~/jobs/sweep-inbox.server";
import { enqueueSyncStep, startShopifyAdminWorker } from "~/jobs/shopify-admin-worker.server";
import { inboxHealth, queueHealth, reprocessSetAsideEvent, retryAllFailedJobs, retryFailedJob } from "~/models/background-jobs.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import {
  COMMISSIONS_QUEUE,
  createCommissionsQueue,
  createInboxQueue,
  createRedis,
  createShopifyAdminQueue,
  createReportingQueue,
  createStatementsQueue,
  INBOX_QUEUE,
  inboxJobId,
  inboxQueue,
  JOB,
  SHOPIFY_ADMIN_QUEUE,
  REPORTING_QUEUE,
  STATEMENTS_QUEUE,
  statementsJobId,
  webJobQueues,
  type JobQueues,
  type QueueName,
} from "~/queues.server";
import { action as jobsAction } from "~/routes/app.jobs";
import { action as webhooksAction } from "~/routes/webhooks._index";
import { ingestOrder } from "~/services/ingest-order.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { startOrderSync } from "~/services/order-sync.server";
import { env } from "~/utils/env.server";
import { mintSessionToken } from "./harness/session-token";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";

type Shop = Awaited<ReturnType<typeof createTestShop>>;

const connection = createRedis({ failFast: false });
const inbox = createInboxQueue(connection);
const commissions = createCommissionsQueue(connection);
const shopifyAdmin = createShopifyAdminQueue(connection);
const statements = createStatementsQueue(connection);
const reporting = createReportingQueue(connection);
const jobQueues: JobQueues = {
  redis: connection,
  queues: { [INBOX_QUEUE]: inbox, [COMMISSIONS_QUEUE]: commissions, [SHOPIFY_ADMIN_QUEUE]: shopifyAdmin, [STATEMENTS_QUEUE]: statements, [REPORTING_QUEUE]: reporting },
};

/** A handle on every queue, over one connection. */
function queuesOf(redis: Redis): JobQueues["queues"] {
  return {
    [INBOX_QUEUE]: createInboxQueue(redis),
    [COMMISSIONS_QUEUE]: createCommissionsQueue(redis),
    [SHOPIFY_ADMIN_QUEUE]: createShopifyAdminQueue(redis),
    [STATEMENTS_QUEUE]: createStatementsQueue(redis),
    [REPORTING_QUEUE]: createReportingQueue(redis),
  };
}

const UNREADABLE_ORDER = { id: 1, name: "#1" };

/** What a store has: a creator with a settlement due, an order whose journey is due, an import. */
interface Store {
  shop: Shop;
  creatorName: string;
  orderName: string;
  orderId: string;
}

async function openStore(creatorName: string): Promise<Store> {
  const shop = await createTestShop();
  const creator = await createTestCreator(shop.id, { name: creatorName });
  const payload = sampleOrder();
  const { orderId } = await prisma.$transaction((tx) => ingestOrder(tx, shop, parseOrderPayload(payload)));
  await enqueueSettlements(commissions, [{ shopId: shop.id, creatorId: creator.id, periodKey: "2026-11", changeVersion: 1 }]);
  return { shop, creatorName, orderName: payload.name as string, orderId };
}

/** Shopify delivers a webhook whose order the app cannot read: the inbox stores it, the worker sets it aside. */
async function deliverUnreadable(shop: Shop) {
  const request = signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: UNREADABLE_ORDER, eventId: randomUUID() });
  const response = await webhooksAction({ request, params: {}, context: {} });
  expect(response.status).toBe(200);
}

/** The sweep's job for an order due its journey (the sweep runs on a timer; the job is the same). */
async function enqueueJourney(store: Store) {
  await shopifyAdmin.add(
    JOB.fetchJourney,
    { kind: "fetch-journey", shopId: store.shop.id, orderId: store.orderId },
    { jobId: `journey-${store.orderId}-0` },
  );
}

async function failedJobsOf(queue: QueueName, shop: Shop): Promise<Job[]> {
  const jobs = await jobQueues.queues[queue].getFailed(0, -1);
  return jobs.filter((job) => (job.data as { shopId?: string }).shopId === shop.id);
}

async function countsOf(shop: Shop) {
  const health = await queueHealth(shop, jobQueues);
  return Object.fromEntries(health.queues.map((queue) => [queue.queue, queue]));
}

describe("background jobs, per shop", () => {
  let maya: Store;
  let leo: Store;
  let importId: string;

  beforeAll(async () => {
    maya = await openStore("Maya Fit");
    leo = await openStore("Leo Runs");
    const workers = [
      await startInboxWorker({ db: prisma, queue: inbox, commissionsQueue: commissions, connection, sweepEveryMs: 3_600_000 }),
      // No offline session for either shop: every Admin API job fails, as it does once a shop's access is gone.
      await startShopifyAdminWorker({ db: prisma, queue: shopifyAdmin, inboxQueue: inbox, commissionsQueue: commissions, connection, sweepEveryMs: 3_600_000 }),
      new Worker(
        COMMISSIONS_QUEUE,
        async () => {
          throw new UnrecoverableError("Ledger is read-only during maintenance");
        },
        { connection, prefix: env().QUEUE_PREFIX },
      ),
    ];
    try {
      await deliverUnreadable(maya.shop);
      await deliverUnreadable(leo.shop);
      await enqueueJourney(maya);
      const sync = await startOrderSync(prisma, leo.shop.id, "IMPORT", null);
      importId = sync.id;
      await enqueueSyncStep(shopifyAdmin, sync);
      await vi.waitFor(
        async () => {
          for (const shop of [maya.shop, leo.shop]) {
            for (const queue of [INBOX_QUEUE, COMMISSIONS_QUEUE, SHOPIFY_ADMIN_QUEUE] as const) {
              expect((await failedJobsOf(queue, shop)).length, `${queue} for ${shop.domain}`).toBe(1);
            }
          }
        },
        { timeout: 20_000, interval: 100 },
      );
    } finally {
      // From here on, a retried job stays waiting: nothing runs it.
      await Promise.all(workers.map((worker) => worker.close()));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([inbox, commissions, shopifyAdmin, statements].map((queue) => queue.obliterate({ force: true })));
    await Promise.all([inbox.close(), commissions.close(), shopifyAdmin.close(), statements.close(), inboxQueue().close()]);
    const web = webJobQueues();
    await Promise.all(Object.values(web.queues).map((queue) => queue.close()));
    web.redis.disconnect();
    connection.disconnect();
  });

  it("lists a shop's failed jobs in merchant words, and none of another shop's", async () => {
    const health = await queueHealth(maya.shop, jobQueues);
    const rows = health.failedJobs.map(({ queue, summary, error, attemptsMade, retryable }) => ({ queue, summary, error, attemptsMade, retryable }));
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          queue: INBOX_QUEUE,
          summary: "Process orders/create webhook for #1",
          error: expect.stringMatching(/Order payload rejected/),
          attemptsMade: 1,
          retryable: true,
        },
        {
          queue: COMMISSIONS_QUEUE,
          summary: "Settle commissions for Maya Fit, Nov 2026",
          error: "Ledger is read-only during maintenance",
          attemptsMade: 1,
          retryable: true,
        },
        {
          queue: SHOPIFY_ADMIN_QUEUE,
          summary: `Fetch customer journey for ${maya.orderName}`,
          error: expect.stringMatching(new RegExp(`^No offline session for ${maya.shop.domain}`)),
          attemptsMade: 1,
          retryable: true,
        },
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(health.failedTotal).toBe(3);
    for (const job of health.failedJobs) expect(job.failedAt).toBeInstanceOf(Date);
    // Newest first.
    const times = health.failedJobs.map((job) => job.failedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const leos = await queueHealth(leo.shop, jobQueues);
    expect(leos.failedJobs.map((job) => job.summary).sort()).toEqual(
      ["Import past orders from Shopify", "Process orders/create webhook for #1", "Settle commissions for Leo Runs, Nov 2026"].sort(),
    );
    expect(leos.failedJobs.find((job) => job.queue === SHOPIFY_ADMIN_QUEUE)).toMatchObject({
      retryable: false,
      instead: "Start a new import from Orders › Import past orders.",
    });
    const mayasIds = new Set(health.failedJobs.map((job) => `${job.queue}/${job.jobId}`));
    expect(leos.failedJobs.filter((job) => mayasIds.has(`${job.queue}/${job.jobId}`))).toEqual([]);
  });

  it("counts failed and running jobs per shop, waiting and delayed ones queue-wide", async () => {
    const before = await countsOf(maya.shop);
    for (const queue of [INBOX_QUEUE, COMMISSIONS_QUEUE, SHOPIFY_ADMIN_QUEUE] as const) {
      expect(before[queue]).toMatchObject({ failed: 1, active: 0 });
    }

    // Leo's work waiting and delayed in the shared queues is work ahead of Maya's: her page counts it.
    await inbox.add(JOB.processInboxEvent, { shopId: leo.shop.id, shopDomain: leo.shop.domain, eventId: randomUUID() });
    await enqueueSettlements(commissions, [{ shopId: leo.shop.id, creatorId: randomUUID(), periodKey: "2026-12", changeVersion: 1 }]);
    const after = await countsOf(maya.shop);
    expect(after[INBOX_QUEUE]!.queueWideWaiting).toBe(before[INBOX_QUEUE]!.queueWideWaiting + 1);
    expect(after[COMMISSIONS_QUEUE]!.queueWideDelayed).toBe(before[COMMISSIONS_QUEUE]!.queueWideDelayed + 1);
    expect(after[INBOX_QUEUE]).toMatchObject({ failed: 1, active: 0 });

    // A job running for Maya is hers alone.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job = await shopifyAdmin.add(JOB.fetchJourney, { kind: "fetch-journey", shopId: maya.shop.id, orderId: maya.orderId }, { jobId: `running-${randomUUID()}` });
    const worker = new Worker(SHOPIFY_ADMIN_QUEUE, async (running) => (running.id === job.id ? gate : undefined), {
      connection,
      prefix: env().QUEUE_PREFIX,
    });
    try {
      await vi.waitFor(async () => expect(await job.getState()).toBe("active"), { timeout: 10_000, interval: 50 });
      expect((await countsOf(maya.shop))[SHOPIFY_ADMIN_QUEUE]).toMatchObject({ active: 1, failed: 1 });
      expect((await countsOf(leo.shop))[SHOPIFY_ADMIN_QUEUE]).toMatchObject({ active: 0, failed: 1 });
    } finally {
      release();
      await worker.close();
    }
    expect((await countsOf(maya.shop))[SHOPIFY_ADMIN_QUEUE]).toMatchObject({ active: 0 });
  });

  it("retries the shop's failed job: it goes back to waiting and leaves the failed list", async () => {
    const [journey] = await failedJobsOf(SHOPIFY_ADMIN_QUEUE, maya.shop);
    const waitingBefore = (await countsOf(maya.shop))[SHOPIFY_ADMIN_QUEUE]!.queueWideWaiting;

    const outcome = await retryFailedJob(maya.shop, jobQueues, { queue: SHOPIFY_ADMIN_QUEUE, jobId: journey!.id });
    expect(outcome).toEqual({ ok: true, summary: `Fetch customer journey for ${maya.orderName}` });
    expect(await shopifyAdmin.getJobState(journey!.id!)).toBe("waiting");
    const counts = (await countsOf(maya.shop))[SHOPIFY_ADMIN_QUEUE]!;
    expect(counts).toMatchObject({ failed: 0, queueWideWaiting: waitingBefore + 1 });
    expect((await queueHealth(maya.shop, jobQueues)).failedJobs.map((job) => job.queue)).not.toContain(SHOPIFY_ADMIN_QUEUE);

    // Twice is once: the second finds it no longer failed.
    expect(await retryFailedJob(maya.shop, jobQueues, { queue: SHOPIFY_ADMIN_QUEUE, jobId: journey!.id })).toMatchObject({
      ok: false,
      status: 409,
      error: expect.stringMatching(/no longer failed/),
    });
  });

  it("refuses to retry another shop's job, a job on the wrong queue, or a job that does not exist", async () => {
    const [leosWebhook] = await failedJobsOf(INBOX_QUEUE, leo.shop);
    const [mayasWebhook] = await failedJobsOf(INBOX_QUEUE, maya.shop);
    for (const input of [
      { queue: INBOX_QUEUE, jobId: leosWebhook!.id },
      { queue: COMMISSIONS_QUEUE, jobId: mayasWebhook!.id },
      { queue: INBOX_QUEUE, jobId: "no-such-job" },
    ]) {
      expect(await retryFailedJob(maya.shop, jobQueues, input), JSON.stringify(input)).toMatchObject({ ok: false, status: 404 });
    }
    expect(await leosWebhook!.isFailed()).toBe(true);
    expect(await mayasWebhook!.isFailed()).toBe(true);
  });

  it("validates what it is asked to retry", async () => {
    expect(await retryFailedJob(maya.shop, jobQueues, { queue: "emails", jobId: "x" })).toEqual({
      ok: false,
      status: 400,
      error: "Choose one of the app's queues",
    });
    expect(await retryFailedJob(maya.shop, jobQueues, { queue: INBOX_QUEUE, jobId: "  " })).toEqual({
      ok: false,
      status: 400,
      error: "Say which job to retry",
    });
    expect(await retryFailedJob(maya.shop, jobQueues, {})).toMatchObject({ ok: false, status: 400 });
  });

  it("does not run an import step again (it would do nothing) and says what to do instead", async () => {
    const [step] = await failedJobsOf(SHOPIFY_ADMIN_QUEUE, leo.shop);
    expect(step!.data).toMatchObject({ kind: "sync-orders", syncId: importId });
    expect(await retryFailedJob(leo.shop, jobQueues, { queue: SHOPIFY_ADMIN_QUEUE, jobId: step!.id })).toEqual({
      ok: false,
      status: 409,
      error: "Import past orders from Shopify cannot run again. Start a new import from Orders › Import past orders.",
    });
    expect(await step!.isFailed()).toBe(true);
  });

  it("the page's action answers 404 for another shop's job, as for a job that does not exist", async () => {
    const [leosSettlement] = await failedJobsOf(COMMISSIONS_QUEUE, leo.shop);
    await prisma.session.create({
      data: { id: `offline_${maya.shop.domain}`, shop: maya.shop.domain, state: "", isOnline: false, scope: env().SCOPES, accessToken: "shpat_test" },
    });
    const { token } = mintSessionToken({ shop: maya.shop.domain, apiKey: env().SHOPIFY_API_KEY, apiSecret: env().SHOPIFY_API_SECRET });
    const post = (fields: Record<string, string>) =>
      jobsAction({
        request: new Request(`${env().SHOPIFY_APP_URL}/app/jobs`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}` },
          body: new URLSearchParams(fields),
        }),
        params: {},
        context: {},
      });

    const refused = await post({ intent: "retry", queue: COMMISSIONS_QUEUE, jobId: leosSettlement!.id! });
    expect(refused.init?.status).toBe(404);
    expect(refused.data).toMatchObject({ ok: false, error: expect.stringMatching(/no such job/) });
    expect(await leosSettlement!.isFailed()).toBe(true);

    const invalid = await post({ intent: "retry", queue: "emails", jobId: "x" });
    expect(invalid.init?.status).toBe(400);
    expect((await post({ intent: "delete-everything" })).init?.status).toBe(400);
  });

  it("retries all of one shop's failed jobs and none of another's", async () => {
    const mayasBefore = await queueHealth(maya.shop, jobQueues);
    const outcome = await retryAllFailedJobs(leo.shop, jobQueues);
    // Leo's webhook and settlement run again; his import cannot.
    expect(outcome).toEqual({ retried: 2, cannotRetry: 1 });
    const leos = await countsOf(leo.shop);
    expect([leos[INBOX_QUEUE]!.failed, leos[COMMISSIONS_QUEUE]!.failed, leos[SHOPIFY_ADMIN_QUEUE]!.failed]).toEqual([0, 0, 1]);
    const mayasAfter = await queueHealth(maya.shop, jobQueues);
    expect(mayasAfter.failedJobs.map((job) => job.jobId)).toEqual(mayasBefore.failedJobs.map((job) => job.jobId));
  });
});

describe("when Redis does not answer", () => {
  it("reading the queues fails (the page then says so) instead of waiting for it", async () => {
    const shop = await createTestShop();
    const live = createRedis({ failFast: false });
    const queues = queuesOf(live);
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 1, connectTimeout: 500 });
    unreachable.on("error", () => undefined);
    try {
      await expect(queueHealth(shop, { redis: live, queues })).resolves.toMatchObject({ failedTotal: 0 });
      await expect(queueHealth(shop, { redis: unreachable, queues })).rejects.toThrow();
    } finally {
      unreachable.disconnect();
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      live.disconnect();
    }
  });
});

describe("webhook inbox, per shop", () => {
  it("counts waiting, retrying, processed and set-aside events, and lists the set-aside ones with their reason", async () => {
    const [shop, other] = [await createTestShop(), await createTestShop()];
    const event = (domain: string, fields: { processedAt?: Date; attempts?: number; lastError?: string; payload?: object; topic?: string }) =>
      prisma.inboxEvent.create({
        data: {
          shopDomain: domain,
          eventId: randomUUID(),
          webhookId: randomUUID(),
          topic: fields.topic ?? "ORDERS_CREATE",
          apiVersion: "2026-07",
          payload: fields.payload ?? {},
          processedAt: fields.processedAt ?? null,
          attempts: fields.attempts ?? 0,
          lastError: fields.lastError ?? null,
        },
      });
    await event(shop.domain, {});
    await event(shop.domain, {});
    await event(shop.domain, { attempts: 3, lastError: "connection reset" });
    await event(shop.domain, { processedAt: new Date(), attempts: 1 });
    const unreadable = await event(shop.domain, { attempts: 10, lastError: "Order payload rejected: total_price is missing", payload: { name: "#2042" } });
    await event(shop.domain, { attempts: 10, lastError: "Order payload rejected: not an object", payload: { line_items: [] }, topic: "ORDERS_SYNC" });
    await event(other.domain, { attempts: 10, lastError: "Another shop's reason" });
    await event(other.domain, { processedAt: new Date() });

    const health = await inboxHealth(shop);
    expect(health).toMatchObject({ waiting: 2, retrying: 1, processed: 1, deadLettered: 2, unprocessedCapped: false, processedCapped: false });
    expect(health.deadLetters.map(({ summary, reason, attempts }) => ({ summary, reason, attempts }))).toEqual([
      { summary: "Process an order read from Shopify", reason: "Order payload rejected: not an object", attempts: 10 },
      { summary: "Process orders/create webhook for #2042", reason: "Order payload rejected: total_price is missing", attempts: 10 },
    ]);
    expect(health.deadLetters[1]).toMatchObject({ id: unreadable.id, eventId: unreadable.eventId });
    expect(await inboxHealth(other)).toMatchObject({ waiting: 0, retrying: 0, processed: 1, deadLettered: 1 });
  });
});

describe("statements runs, per shop", () => {
  it("lists a failed statements run under its shop, named by its statement period", async () => {
    const [maya, leo] = [{ shop: await createTestShop() }, { shop: await createTestShop() }];
    // The shared connection and queues were closed with the first describe: this test has its own.
    const connection = createRedis({ failFast: false });
    const queues = queuesOf(connection);
    const statements = queues[STATEMENTS_QUEUE];
    const jobQueues: JobQueues = { redis: connection, queues };
    const failedJobsOf = async (shop: Shop) =>
      (await statements.getFailed(0, -1)).filter((job) => (job.data as { shopId?: string }).shopId === shop.id);
    const worker = new Worker(
      STATEMENTS_QUEUE,
      async () => {
        throw new UnrecoverableError("SMTP server refused the connection");
      },
      { connection, prefix: env().QUEUE_PREFIX },
    );
    try {
      const data = { kind: "send-period" as const, shopId: maya.shop.id, periodKey: "2026-10", requestedBy: null };
      await statements.add("send-period", data, { jobId: statementsJobId(maya.shop.id, "2026-10") });
      await vi.waitFor(async () => expect(await failedJobsOf(maya.shop)).toHaveLength(1), {
        timeout: 10_000,
        interval: 50,
      });
    } finally {
      await worker.close();
    }
    const failed = (await queueHealth(maya.shop, jobQueues)).failedJobs.filter((job) => job.queue === STATEMENTS_QUEUE);
    expect(failed).toMatchObject([
      {
        summary: "Send creator statements for October 2026",
        queueLabel: "Creator statements",
        error: "SMTP server refused the connection",
        retryable: true,
      },
    ]);
    expect((await queueHealth(leo.shop, jobQueues)).failedJobs.filter((job) => job.queue === STATEMENTS_QUEUE)).toEqual([]);
    await statements.obliterate({ force: true });
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    connection.disconnect();
  });

});

describe("webhook inbox counts, bounded", () => {
  it("stops counting at the cap, and says the counts are lower bounds, however long the history or backlog", async () => {
    const shop = await createTestShop();
    const rows = (count: number, fields: { processedAt?: Date; attempts?: number; receivedFrom: number }) =>
      prisma.inboxEvent.createMany({
        data: Array.from({ length: count }, (_, index) => ({
          shopDomain: shop.domain,
          eventId: randomUUID(),
          webhookId: randomUUID(),
          topic: "ORDERS_CREATE",
          apiVersion: "2026-07",
          receivedAt: new Date(Date.UTC(2026, 0, 1, 0, fields.receivedFrom + index)),
          processedAt: fields.processedAt ?? null,
          attempts: fields.attempts ?? 0,
        })),
      });
    await rows(4, { processedAt: new Date(), receivedFrom: 0 });
    await rows(3, { receivedFrom: 10 });
    await rows(2, { attempts: 10, receivedFrom: 20 });
    expect(await inboxHealth(shop, 9)).toMatchObject({ processed: 4, processedCapped: false, waiting: 3, deadLettered: 2, unprocessedCapped: false });
    expect(await inboxHealth(shop, 3)).toMatchObject({ processed: 3, processedCapped: true, unprocessedCapped: true });
    // The oldest unprocessed come first: within the cap, the three waiting ones (received first) are all counted.
    expect(await inboxHealth(shop, 3)).toMatchObject({ waiting: 3 });
  });

  it("reads the shop's unprocessed events off its partial index, never the shop's whole history nor other shops' backlogs", async () => {
    const shop = await createTestShop();
    // EXPLAIN of the page's unprocessed count, with sequential scans priced out: the index path exists and is taken.
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<{ "QUERY PLAN": unknown }[]>`
        EXPLAIN (FORMAT JSON) SELECT attempts FROM "InboxEvent"
        WHERE "shopDomain" = ${shop.domain} AND "processedAt" IS NULL ORDER BY "receivedAt" LIMIT 10001`;
    });
    expect(JSON.stringify(plan)).toContain("InboxEvent_shop_unprocessed_idx");
  });
});

describe("set-aside webhooks", () => {
  const redis = createRedis({ failFast: false });
  const queue = createInboxQueue(redis);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it("processes one again on the merchant's word: its attempts start over and it is queued; only the shop's own", async () => {
    const [shop, other] = [await createTestShop(), await createTestShop()];
    const order = sampleOrder();
    // Set aside after a failure that has since passed (a database outage): the payload is fine.
    const letter = await prisma.inboxEvent.create({
      data: { shopDomain: shop.domain, eventId: randomUUID(), webhookId: randomUUID(), topic: "ORDERS_CREATE", apiVersion: "2026-07", payload: order, attempts: 10, lastError: "Can't reach database server" },
    });

    expect(await reprocessSetAsideEvent(other, queue, { eventRowId: letter.id })).toMatchObject({ ok: false, status: 404 });
    expect(await reprocessSetAsideEvent(shop, queue, { eventRowId: "not-an-id" })).toMatchObject({ ok: false, status: 400 });
    expect(await reprocessSetAsideEvent(shop, queue, { eventRowId: letter.id })).toEqual({ ok: true, summary: `Process orders/create webhook for ${order.name}` });

    expect(await prisma.inboxEvent.findUniqueOrThrow({ where: { id: letter.id } })).toMatchObject({ attempts: 0, processedAt: null });
    expect(await inboxHealth(shop)).toMatchObject({ waiting: 1, deadLettered: 0 });
    const queued = (await queue.getJobs(["waiting", "active", "completed"])).filter((job) => job.data.eventId === letter.eventId);
    expect(queued.map((job) => job.data)).toEqual([{ shopId: shop.id, shopDomain: shop.domain, eventId: letter.eventId }]);

    expect((await processInboxEvent(prisma, { shopDomain: shop.domain, eventId: letter.eventId })).outcome).toBe("processed");
    expect(await prisma.order.count({ where: { shopId: shop.id, shopifyOrderGid: order.admin_graphql_api_id } })).toBe(1);
    // Processed now: nothing set aside to process again.
    expect(await reprocessSetAsideEvent(shop, queue, { eventRowId: letter.id })).toMatchObject({ ok: false, status: 404 });
  });

  it("an unreadable one processed again fails again as the same job: one failed entry for it, not two", async () => {
    const shop = await createTestShop();
    const commissionsQueue = createCommissionsQueue(redis);
    const pageQueues = { ...queuesOf(redis), [INBOX_QUEUE]: queue };
    const worker = await startInboxWorker({ db: prisma, queue, commissionsQueue, connection: redis, sweepEveryMs: 3_600_000 });
    const eventId = randomUUID();
    const eventJobs = async (states: JobType[]) => (await queue.getJobs(states)).filter((job) => job.data.eventId === eventId);
    const letterOf = () => prisma.inboxEvent.findUniqueOrThrow({ where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } } });
    try {
      const request = signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: UNREADABLE_ORDER, eventId });
      expect((await webhooksAction({ request, params: {}, context: {} })).status).toBe(200);
      await vi.waitFor(async () => expect(await eventJobs(["failed"])).toHaveLength(1), { timeout: 20_000, interval: 100 });
      const letter = await letterOf();
      expect(letter.attempts).toBe(10);

      expect(await reprocessSetAsideEvent(shop, queue, { eventRowId: letter.id })).toMatchObject({ ok: true });
      // The worker has read it again and set it aside again: nothing of it is left to run.
      await vi.waitFor(
        async () => {
          expect(await eventJobs(["waiting", "active", "delayed", "prioritized"])).toEqual([]);
          expect((await letterOf()).attempts).toBe(10);
        },
        { timeout: 20_000, interval: 100 },
      );
      const failed = await eventJobs(["failed"]);
      expect(failed.map((job) => ({ id: job.id, attemptsMade: job.attemptsMade }))).toEqual([
        { id: inboxJobId({ shopDomain: shop.domain, eventId }), attemptsMade: 2 },
      ]);
      const health = await queueHealth(shop, { redis, queues: pageQueues });
      expect(health.failedJobs.map(({ queue, summary, attemptsMade }) => ({ queue, summary, attemptsMade }))).toEqual([
        { queue: INBOX_QUEUE, summary: "Process orders/create webhook for #1", attemptsMade: 2 },
      ]);
      expect(health.failedTotal).toBe(1);
    } finally {
      await worker.close();
      await commissionsQueue.obliterate({ force: true });
      await Promise.all(Object.values(pageQueues).filter((other) => other !== queue).map((other) => other.close()));
      await commissionsQueue.close();
    }
  });

  it("the inbox sweeper runs an event's failed job again rather than queueing a second job beside it", async () => {
    const shop = await createTestShop();
    // Out of BullMQ attempts during an outage: its job failed, its row is still owed (fewer than 10 attempts). Received
    // long ago, so the sweep's oldest-first batch takes it whatever else the shared database holds.
    const letter = await prisma.inboxEvent.create({
      data: {
        shopDomain: shop.domain,
        eventId: randomUUID(),
        webhookId: randomUUID(),
        topic: "ORDERS_CREATE",
        apiVersion: "2026-07",
        payload: sampleOrder(),
        attempts: 8,
        lastError: "Can't reach database server",
        receivedAt: new Date("1999-01-01T00:00:00Z"),
      },
    });
    const ref = { shopId: shop.id, shopDomain: shop.domain, eventId: letter.eventId };
    const jobId = inboxJobId(ref);
    await queue.add(JOB.processInboxEvent, ref, { jobId });
    const outage = new Worker(
      INBOX_QUEUE,
      async () => {
        throw new UnrecoverableError("Can't reach database server");
      },
      { connection: redis, prefix: env().QUEUE_PREFIX },
    );
    try {
      await vi.waitFor(async () => expect(await queue.getJobState(jobId)).toBe("failed"), { timeout: 10_000, interval: 50 });
    } finally {
      await outage.close();
    }

    await sweepInbox(prisma, queue, new Date(Date.now() + 3_600_000));
    const jobs = (await queue.getJobs(["waiting", "active", "delayed", "prioritized", "failed"])).filter((job) => job.data.eventId === letter.eventId);
    const states = await Promise.all(jobs.map(async (job) => ({ id: job.id, state: await job.getState() })));
    expect(states).toEqual([{ id: jobId, state: "waiting" }]);
  });
});
