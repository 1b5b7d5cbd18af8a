import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-commissions-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { payPeriodOf } from "~/domain/commissions/pay-period";
import { startCommissionsWorker } from "~/jobs/commissions-worker.server";
import { openPayPeriods } from "~/jobs/sweep-creator-periods.server";
import { createCommissionsQueue, createRedis } from "~/queues.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { ORDER_TOPICS, receiveWebhook } from "~/services/receive-webhook.server";
import { settleCreatorPeriod } from "~/services/post-commissions.server";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";

type Shop = Awaited<ReturnType<typeof createTestShop>>;
const noQueue = { add: async () => undefined } as never;

async function placeOrder(shop: Shop, body: Record<string, unknown>, topic = "orders/create") {
  const eventId = crypto.randomUUID();
  const response = await receiveWebhook(signedWebhookRequest({ topic, shop: shop.domain, body, eventId }), ORDER_TOPICS, noQueue);
  expect(response.status).toBe(200);
  return processInboxEvent(prisma, { shopDomain: shop.domain, eventId });
}

async function giveContract(shopId: string, creatorId: string, terms: ReturnType<typeof termsForModel>, model: "TIERED" | "RETAINER_BONUS") {
  await prisma.contract.create({
    data: { shopId, creatorId, model, terms: serializeTerms(terms), effectiveFrom: new Date("2020-02-01T00:00:00Z") },
  });
}

const ledgerOf = (creatorId: string) =>
  prisma.ledgerEntry.findMany({ where: { creatorId }, orderBy: [{ createdAt: "asc" }, { idempotencyKey: "asc" }] });

describe("period-level commissions, settled by the commissions worker", () => {
  const connection = createRedis({ failFast: false });
  const queue = createCommissionsQueue(connection);
  let worker: Worker;

  beforeAll(async () => {
    worker = await startCommissionsWorker({ db: prisma, queue, connection, sweepEveryMs: 3_600_000 });
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it("tops up a retroactive tier once the period crosses it, and only once", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "TIERS" });
    await giveContract(
      shop.id,
      creator.id,
      termsForModel("TIERED", {
        metric: "REVENUE",
        mode: "RETROACTIVE",
        tiers: [
          { from: 0n, percent: "10.00" },
          { from: 15_000n, percent: "20.00" },
        ],
      }),
      "TIERED",
    );
    const processedAt = "2026-10-15T12:00:00Z";
    const first = await placeOrder(shop, sampleOrder({ codes: ["TIERS"], subtotal: "100.00", processedAt }));
    const second = await placeOrder(shop, sampleOrder({ codes: ["TIERS"], subtotal: "100.00", processedAt }));
    const changed = [...first.changedPeriods, ...second.changedPeriods];
    expect(changed.map((ref) => ref.periodKey)).toEqual(["2026-10", "2026-10"]);

    // Both orders earned the first tier; the period reached 200.00 ≥ 150.00, so everything earns 20%.
    await queue.add("settle-creator-period", changed.at(-1)!);
    await vi.waitFor(
      async () => expect((await ledgerOf(creator.id)).some((entry) => entry.kind === "TIER_ADJUSTMENT")).toBe(true),
      { timeout: 15_000 },
    );
    const entries = await ledgerOf(creator.id);
    expect(entries.map((entry) => [entry.kind, entry.amountMinor])).toEqual([
      ["COMMISSION", 1000n],
      ["COMMISSION", 1000n],
      ["TIER_ADJUSTMENT", 2000n],
    ]);
    expect(entries.every((entry) => entry.periodKey === "2026-10")).toBe(true);

    // Settling again (a redelivered job, a sweeper) posts nothing.
    const again = await prisma.$transaction((tx) => settleCreatorPeriod(tx, changed.at(-1)!));
    expect(again).toEqual({ settled: false });
    expect(await ledgerOf(creator.id)).toHaveLength(3);
  });

  it("takes the top-up back when a cancellation drops the period below the tier", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "DROP" });
    await giveContract(
      shop.id,
      creator.id,
      termsForModel("TIERED", {
        metric: "CONVERSIONS",
        mode: "RETROACTIVE",
        tiers: [
          { from: 0n, percent: "10.00" },
          { from: 2n, percent: "15.00" },
        ],
      }),
      "TIERED",
    );
    const processedAt = "2026-09-10T12:00:00Z";
    const kept = sampleOrder({ codes: ["DROP"], subtotal: "100.00", processedAt, updatedAt: processedAt });
    const dropped = sampleOrder({ codes: ["DROP"], subtotal: "100.00", processedAt, updatedAt: processedAt });
    await placeOrder(shop, kept);
    const placed = await placeOrder(shop, dropped);
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, placed.changedPeriods[0]!));
    const cancelledAt = "2026-09-11T12:00:00Z";
    const cancelled = await placeOrder(shop, { ...dropped, cancelled_at: cancelledAt, updated_at: cancelledAt }, "orders/cancelled");
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, cancelled.changedPeriods[0]!));

    const entries = await ledgerOf(creator.id);
    const total = entries.reduce((sum, entry) => sum + entry.amountMinor, 0n);
    expect(total).toBe(1000n); // one order left, first tier only
    const topUps = entries.filter((entry) => entry.sourceKey === "period:2026-09:tier-adjustment");
    expect(topUps.map((entry) => entry.amountMinor)).toEqual([1000n, -1000n]);
    // That top-up was payable already (its hold ended on Oct 31), so taking it back claws back at once.
    expect(topUps[0]!.availableAt).toEqual(new Date("2026-10-31T00:00:00Z"));
    expect(Date.now() - topUps[1]!.availableAt.getTime()).toBeLessThan(60_000);
  });

  it("keeps the month exact when the tiered contract changes mid-month", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "MIDMONTH" });
    const tiered = (firstRate: string) =>
      termsForModel("TIERED", {
        metric: "REVENUE",
        mode: "RETROACTIVE",
        tiers: [
          { from: 0n, percent: firstRate },
          { from: 1_000_000n, percent: "30.00" },
        ],
      });
    await giveContract(shop.id, creator.id, tiered("10.00"), "TIERED");
    await prisma.contract.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        model: "TIERED",
        terms: serializeTerms(tiered("5.00")),
        effectiveFrom: new Date("2026-08-15T00:00:00Z"),
      },
    });
    await placeOrder(shop, sampleOrder({ codes: ["MIDMONTH"], subtotal: "100.00", processedAt: "2026-08-05T12:00:00Z" }));
    const later = await placeOrder(
      shop,
      sampleOrder({ codes: ["MIDMONTH"], subtotal: "100.00", processedAt: "2026-08-20T12:00:00Z" }),
    );
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, later.changedPeriods[0]!));

    // Orders earned 10.00 and 5.00 under their own versions; the month's tiered total under the version at its
    // end is 5% of 200.00 = 10.00, so the adjustment takes back 5.00 and the month sums to the total exactly.
    const entries = await ledgerOf(creator.id);
    expect(entries.map((entry) => [entry.kind, entry.amountMinor])).toEqual([
      ["COMMISSION", 1000n],
      ["COMMISSION", 500n],
      ["TIER_ADJUSTMENT", -500n],
    ]);
  });

  it("pays a retainer changed mid-month by the days each version was in force, reversing what was paid before", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "PRORATE" });
    const retainer = (monthlyMinor: bigint) =>
      termsForModel("RETAINER_BONUS", { monthlyMinor, bonus: { metric: "CONVERSIONS", threshold: 100n, amountMinor: 1n } });
    await giveContract(shop.id, creator.id, retainer(100_000n), "RETAINER_BONUS");
    const ref = { shopId: shop.id, creatorId: creator.id, periodKey: "2026-11" };
    await prisma.creatorPeriod.create({ data: ref });
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, ref));

    await prisma.contract.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        model: "RETAINER_BONUS",
        terms: serializeTerms(retainer(50_000n)),
        effectiveFrom: new Date("2026-11-21T00:00:00Z"),
      },
    });
    await prisma.creatorPeriod.update({
      where: { creatorId_periodKey: { creatorId: creator.id, periodKey: "2026-11" } },
      data: { changeVersion: { increment: 1 } },
    });
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, ref));

    const entries = (await ledgerOf(creator.id)).filter((entry) => entry.orderId === null);
    expect(entries.map((entry) => [entry.kind, entry.amountMinor])).toEqual([
      ["RETAINER", 100_000n],
      ["REVERSAL", -100_000n],
      ["RETAINER", 83_333n], // $1,000 × 20/30 + $500 × 10/30
    ]);
    expect(entries[2]!.reason).toBe(
      "Monthly retainer for 2026-11, by days under contract: $1,000.00 × 20/30 days from 2026-11-01 + " +
        "$500.00 × 10/30 days from 2026-11-21 = $833.33",
    );
  });

  it("opens the current period for retainers and pays the retainer once", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "RETAIN" });
    await giveContract(
      shop.id,
      creator.id,
      termsForModel("RETAINER_BONUS", {
        monthlyMinor: 50_000n,
        bonus: { metric: "CONVERSIONS", threshold: 100n, amountMinor: 20_000n },
      }),
      "RETAINER_BONUS",
    );
    expect(await openPayPeriods(prisma)).toBeGreaterThanOrEqual(1);
    expect(await openPayPeriods(prisma)).toBe(0);
    const periodKey = payPeriodOf(new Date(), shop.timezone);
    const ref = { shopId: shop.id, creatorId: creator.id, periodKey };
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, ref));
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, ref));

    const entries = await ledgerOf(creator.id);
    expect(entries.map((entry) => [entry.kind, entry.amountMinor, entry.sourceKey])).toEqual([
      ["RETAINER", 50_000n, `period:${periodKey}:retainer`],
    ]);
  });
});
