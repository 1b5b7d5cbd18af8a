import { randomUUID } from "node:crypto";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-pipeline-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { sweepInbox } from "~/jobs/sweep-inbox.server";
import { createCommissionsQueue, createInboxQueue, createRedis, inboxJobId, inboxQueue, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { action as ordersAction } from "~/routes/webhooks._index";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";

type Shop = Awaited<ReturnType<typeof createTestShop>>;

async function deliver(shop: Shop, topic: string, body: Record<string, unknown>, eventId = randomUUID()) {
  const response = await ordersAction({
    request: signedWebhookRequest({ topic, shop: shop.domain, body, eventId }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
  return eventId;
}

async function processed(shop: Shop, eventId: string) {
  await vi.waitFor(
    async () => {
      const event = await prisma.inboxEvent.findUniqueOrThrow({
        where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } },
      });
      if (!event.processedAt) throw new Error(`event ${eventId} not processed yet (${event.lastError ?? "no error"})`);
    },
    { timeout: 15_000, interval: 50 },
  );
}

const ledgerFor = (orderGid: string) =>
  prisma.ledgerEntry.findMany({
    where: { order: { shopifyOrderGid: orderGid } },
    orderBy: { createdAt: "asc" },
    select: { kind: true, amountMinor: true, creatorId: true, reason: true },
  });

describe("order pipeline: webhook → inbox → worker → attribution → ledger", () => {
  const connection = createRedis({ failFast: false });
  const workerQueue = createInboxQueue(connection);
  const commissionsQueue = createCommissionsQueue(connection);
  let worker: Worker;
  let shop: Shop;

  beforeAll(async () => {
    worker = await startInboxWorker({ db: prisma, queue: workerQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 });
    shop = await createTestShop();
  });
  afterAll(async () => {
    await worker.close();
    await workerQueue.obliterate({ force: true });
    await commissionsQueue.obliterate({ force: true });
    await Promise.all([workerQueue.close(), commissionsQueue.close(), inboxQueue().close()]);
    connection.disconnect();
  });

  it("credits the creator whose code is on the order, whatever its case and spacing", async () => {
    const creator = await createTestCreator(shop.id, { discountCode: "SARAH10", revenueSharePercent: "12.5" });
    const order = sampleOrder({ codes: [" sarah 10"], subtotal: "80.00", tax: "6.40", shipping: "5.00" });
    await processed(shop, await deliver(shop, "orders/create", order));

    const stored = await prisma.order.findFirstOrThrow({
      where: { shopifyOrderGid: order.admin_graphql_api_id },
      include: { attribution: true },
    });
    expect(stored.netMerchandiseMinor).toBe(8000n);
    expect(stored.attribution).toMatchObject({ creatorId: creator.id, method: "DISCOUNT_CODE" });
    expect(await ledgerFor(order.admin_graphql_api_id)).toEqual([
      expect.objectContaining({ kind: "COMMISSION", amountMinor: 1000n, creatorId: creator.id }),
    ]);
  });

  it("posts nothing twice for redeliveries, other topics of the same order, and re-processed jobs", async () => {
    await createTestCreator(shop.id, { discountCode: "TWICE", revenueSharePercent: "10" });
    const order = sampleOrder({ codes: ["TWICE"], subtotal: "55.55" });
    const eventId = await deliver(shop, "orders/create", order);
    await deliver(shop, "orders/create", order, eventId);
    await processed(shop, eventId);
    await processed(shop, await deliver(shop, "orders/paid", order));
    // A job for an already processed event, e.g. re-enqueued by the sweeper while the first one ran.
    const job = await workerQueue.add(JOB.processInboxEvent, { shopId: shop.id, shopDomain: shop.domain, eventId }, { jobId: `again-${eventId}`, removeOnComplete: false });
    await vi.waitFor(async () => expect(await job.isCompleted()).toBe(true), { timeout: 10_000 });

    const entries = await ledgerFor(order.admin_graphql_api_id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.amountMinor).toBe(556n); // 5.555 rounds half up
  });

  it("reverses the commission when an edit removes the code", async () => {
    await createTestCreator(shop.id, { discountCode: "EDITME", revenueSharePercent: "20" });
    const placed = sampleOrder({ codes: ["EDITME"], subtotal: "50.00", updatedAt: "2026-11-20T10:00:00Z" });
    await processed(shop, await deliver(shop, "orders/create", placed));
    const edited = { ...placed, discount_codes: [], updated_at: "2026-11-20T11:00:00Z" };
    await processed(shop, await deliver(shop, "orders/updated", edited));

    const entries = await ledgerFor(placed.admin_graphql_api_id);
    expect(entries.map((e) => [e.kind, e.amountMinor])).toEqual([
      ["COMMISSION", 1000n],
      ["REVERSAL", -1000n],
    ]);
    expect(entries[1]!.reason).toMatch(/no longer credits a creator/);
    const attribution = await prisma.attribution.findFirstOrThrow({ where: { order: { shopifyOrderGid: placed.admin_graphql_api_id } } });
    expect(attribution).toMatchObject({ creatorId: null, method: "NONE" });
  });

  it("reverses on cancellation and re-posts the difference when a refund lowers net revenue", async () => {
    await createTestCreator(shop.id, { discountCode: "REFUNDME", revenueSharePercent: "10" });
    const placed = sampleOrder({ codes: ["REFUNDME"], subtotal: "200.00", updatedAt: "2026-11-20T10:00:00Z" });
    await processed(shop, await deliver(shop, "orders/create", placed));
    const refunded = sampleOrderUpdate(placed, { current_subtotal: "150.00", updated_at: "2026-11-20T12:00:00Z" });
    await processed(shop, await deliver(shop, "orders/updated", refunded));
    const cancelled = { ...refunded, cancelled_at: "2026-11-20T13:00:00Z", updated_at: "2026-11-20T13:00:00Z" };
    await processed(shop, await deliver(shop, "orders/cancelled", cancelled));

    const entries = await ledgerFor(placed.admin_graphql_api_id);
    expect(entries.map((e) => [e.kind, e.amountMinor])).toEqual([
      ["COMMISSION", 2000n],
      ["REVERSAL", -2000n],
      ["COMMISSION", 1500n],
      ["REVERSAL", -1500n],
    ]);
    expect(entries.reduce((sum, e) => sum + e.amountMinor, 0n)).toBe(0n);
    expect(entries[3]!.reason).toMatch(/order cancelled/);
  });

  it("ignores an older version of the order that arrives after a newer one", async () => {
    await createTestCreator(shop.id, { discountCode: "LATE", revenueSharePercent: "10" });
    const original = sampleOrder({ codes: ["LATE"], subtotal: "40.00", updatedAt: "2026-11-20T10:00:00Z" });
    const newer = { ...original, discount_codes: [], updated_at: "2026-11-20T11:00:00Z" };
    await processed(shop, await deliver(shop, "orders/updated", newer));
    await processed(shop, await deliver(shop, "orders/create", original));

    const stored = await prisma.order.findFirstOrThrow({ where: { shopifyOrderGid: original.admin_graphql_api_id } });
    expect(stored.discountCodes).toEqual([]);
    expect(await ledgerFor(original.admin_graphql_api_id)).toEqual([]);
  });

  it("clears the stored payload once processed, so customer data does not linger in the inbox", async () => {
    const eventId = await deliver(shop, "orders/create", sampleOrder());
    await processed(shop, eventId);
    const event = await prisma.inboxEvent.findUniqueOrThrow({ where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } } });
    expect(event.payload).toBeNull();
  });

  it("dead-letters a payload it cannot read, with the reason, instead of retrying forever", async () => {
    const eventId = await deliver(shop, "orders/create", { id: 1, name: "#1" });
    await vi.waitFor(
      async () => {
        const event = await prisma.inboxEvent.findUniqueOrThrow({ where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } } });
        expect(event.lastError).toMatch(/Order payload rejected/);
        expect(event.attempts).toBe(10);
      },
      { timeout: 10_000 },
    );
    // The sweeper leaves it alone (other tests' events in the same database may still be swept).
    const swept: { data: ProcessInboxEventJob }[] = [];
    const capture = { getJobState: async () => "unknown", addBulk: async (jobs: { data: ProcessInboxEventJob }[]) => void swept.push(...jobs) };
    await sweepInbox(prisma, capture as never, new Date(Date.now() + 3_600_000));
    expect(swept.filter((job) => job.data.eventId === eventId)).toEqual([]);
  });
});

describe("inbox sweeper", () => {
  it("re-enqueues events whose job was lost (Redis flushed, worker killed) and they get processed", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "SWEPT", revenueSharePercent: "10" });
    const queue = inboxQueue();
    const order = sampleOrder({ codes: ["SWEPT"], subtotal: "30.00" });
    const eventId = await deliver(shop, "orders/create", order);
    // Lose the wake-up call: the job disappears from Redis before any worker runs.
    await queue.remove(inboxJobId({ shopDomain: shop.domain, eventId }));
    expect(await queue.getJob(inboxJobId({ shopDomain: shop.domain, eventId }))).toBeUndefined();

    const swept = await sweepInbox(prisma, queue, new Date(Date.now() + 60_000));
    expect(swept).toBeGreaterThanOrEqual(1);
    const connection = createRedis({ failFast: false });
    const workerQueue = createInboxQueue(connection);
    const commissionsQueue = createCommissionsQueue(connection);
    const worker = await startInboxWorker({ db: prisma, queue: workerQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 });
    try {
      await processed(shop, eventId);
      const entries = await ledgerFor(order.admin_graphql_api_id);
      expect(entries).toEqual([expect.objectContaining({ amountMinor: 300n, creatorId: creator.id })]);
    } finally {
      await worker.close();
      await workerQueue.obliterate({ force: true });
      await commissionsQueue.obliterate({ force: true });
      await Promise.all([workerQueue.close(), commissionsQueue.close(), queue.close()]);
      connection.disconnect();
    }
  });
});

function sampleOrderUpdate(order: Record<string, any>, change: { current_subtotal: string; updated_at: string }) {
  const money = { amount: change.current_subtotal, currency_code: "USD" };
  return {
    ...order,
    updated_at: change.updated_at,
    current_subtotal_price: change.current_subtotal,
    current_subtotal_price_set: { shop_money: money, presentment_money: money },
  };
}
