// Daily rollups against an independent recomputation: random shops' orders, attributions, clicks, ledger entries
// and costs go in through Prisma (so the database triggers note the changes), `refreshShopRollups` rebuilds, and
// every rollup row must equal what a plain reading of the facts says, before and after the facts change. The monthly
// rollups must be those days summed per month, and a range read through them the same as the range's days.
import { randomUUID } from "node:crypto";
import { tz } from "@date-fns/tz";
import type { ReviewStatus } from "@prisma/client";
import { format } from "date-fns";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { creatorRollupTotals, dailySeries, regionDailyTotals } from "~/models/creator-metrics.server";
import { rollupTotalsByRange } from "~/models/leaderboard.server";
import { refreshShopRollups, shopsWithRollupChanges } from "~/services/refresh-rollups.server";
import { startReportingWorker } from "~/jobs/reporting-worker.server";
import { createRedis, createReportingQueue } from "~/queues.server";
import { emptyRollupTotals } from "~/domain/metrics/rollup-totals";
import { createTestCreator, createTestShop } from "./helpers/factories";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-rollups-${process.pid}-${Date.now()}`;
});

const ZONE = "America/Los_Angeles";
const START = Date.parse("2026-03-01T00:00:00Z");
const SPAN_MS = 40 * 24 * 3_600_000; // crosses the March DST change in Los Angeles

interface OrderSpec {
  offsetMs: number;
  creator: number | null;
  rejected: boolean;
  cancelled: boolean;
  test: boolean;
  customer: number | null;
  net: number;
  region: string | null;
  ledger: number[];
}

const orderSpec = fc.record({
  offsetMs: fc.integer({ min: 0, max: SPAN_MS }),
  creator: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  rejected: fc.boolean(),
  cancelled: fc.boolean(),
  test: fc.boolean(),
  customer: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  net: fc.integer({ min: 0, max: 50_000 }),
  region: fc.constantFrom(null, "US-CA", "US-NY", "DE"),
  ledger: fc.array(fc.integer({ min: -2_000, max: 5_000 }), { maxLength: 2 }),
});

const scenario = fc.record({
  orders: fc.array(orderSpec, { maxLength: 25 }),
  clicks: fc.array(fc.record({ offsetMs: fc.integer({ min: 0, max: SPAN_MS }), creator: fc.integer({ min: 0, max: 2 }) }), { maxLength: 15 }),
  periodEntries: fc.array(
    fc.record({ month: fc.constantFrom("2026-03", "2026-04"), creator: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: -500, max: 90_000 }) }),
    { maxLength: 4 },
  ),
  costs: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 39 }),
      creator: fc.integer({ min: 0, max: 2 }),
      seeding: fc.boolean(),
      amount: fc.integer({ min: 0, max: 20_000 }),
    }),
    { maxLength: 4 },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const shopDay = (instant: Date) => format(instant, "yyyy-MM-dd", { in: tz(ZONE) });

async function seedShop(facts: Scenario) {
  const shop = await createTestShop({ timezone: ZONE });
  const creators = await Promise.all([0, 1, 2].map(() => createTestCreator(shop.id)));
  // Orders are written in time order, so a customer's first order is the one marked new, as ingestion does.
  const orders = [...facts.orders].sort((a, b) => a.offsetMs - b.offsetMs);
  const seenCustomers = new Set<number>();
  for (const spec of orders) {
    const newCustomer = spec.customer === null || !seenCustomers.has(spec.customer);
    if (spec.customer !== null) seenCustomers.add(spec.customer);
    await writeOrder(shop.id, creators.map((c) => c.id), spec, newCustomer);
  }
  for (const click of facts.clicks) {
    const link = await linkOf(shop.id, creators[click.creator]!.id);
    await prisma.linkClick.create({
      data: { shopId: shop.id, linkId: link, creatorId: creators[click.creator]!.id, occurredAt: new Date(START + click.offsetMs), visitorHash: randomUUID() },
    });
  }
  for (const entry of facts.periodEntries) {
    await prisma.ledgerEntry.create({
      data: {
        shopId: shop.id,
        creatorId: creators[entry.creator]!.id,
        kind: "RETAINER",
        sourceKey: `period:${entry.month}:retainer:${randomUUID()}`,
        periodKey: entry.month,
        availableAt: new Date(START),
        amountMinor: BigInt(entry.amount),
        currencyCode: "USD",
        idempotencyKey: randomUUID(),
        reason: "retainer",
      },
    });
  }
  for (const cost of facts.costs) {
    await prisma.creatorCost.create({
      data: {
        shopId: shop.id,
        creatorId: creators[cost.creator]!.id,
        kind: cost.seeding ? "PRODUCT_SEEDING" : "FLAT_FEE",
        description: "cost",
        incurredOn: new Date(START + cost.day * 86_400_000),
        amountMinor: BigInt(cost.amount),
      },
    });
  }
  return { shop, creatorIds: creators.map((c) => c.id) };
}

async function writeOrder(shopId: string, creatorIds: string[], spec: OrderSpec, newCustomer: boolean) {
  const processedAt = new Date(START + spec.offsetMs);
  const order = await prisma.order.create({
    data: {
      shopId,
      shopifyOrderGid: `gid://shopify/Order/${randomUUID()}`,
      name: "#1",
      currencyCode: "USD",
      presentmentCurrency: "USD",
      discountCodes: [],
      customerGid: spec.customer === null ? null : `gid://shopify/Customer/${spec.customer}`,
      subtotalMinor: BigInt(spec.net),
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: BigInt(spec.net),
      newCustomer,
      processedAt,
      shopifyUpdatedAt: processedAt,
      cancelledAt: spec.cancelled ? processedAt : null,
      test: spec.test,
      shippingRegion: spec.region,
    },
  });
  const creatorId = spec.creator === null ? null : creatorIds[spec.creator]!;
  const reviewStatus: ReviewStatus = spec.rejected ? "REJECTED" : "NOT_NEEDED";
  await prisma.attribution.create({
    data: { shopId, orderId: order.id, creatorId, method: creatorId ? "DISCOUNT_CODE" : "NONE", evidence: [], reviewStatus },
  });
  for (const amount of creatorId ? spec.ledger : []) {
    await prisma.ledgerEntry.create({
      data: {
        shopId,
        creatorId: creatorId!,
        orderId: order.id,
        kind: "COMMISSION",
        sourceKey: `order:${order.id}:${randomUUID()}`,
        periodKey: format(processedAt, "yyyy-MM", { in: tz(ZONE) }),
        availableAt: processedAt,
        amountMinor: BigInt(amount),
        currencyCode: "USD",
        idempotencyKey: randomUUID(),
        reason: "commission",
      },
    });
  }
  return order;
}

const links = new Map<string, string>();
async function linkOf(shopId: string, creatorId: string): Promise<string> {
  const known = links.get(creatorId);
  if (known) return known;
  const link = await prisma.trackingLink.create({
    data: { shopId, creatorId, slug: randomUUID(), label: "link", utmSource: "ig", utmCampaign: "c" },
  });
  links.set(creatorId, link.id);
  return link.id;
}

type Row = Record<string, string>;

/** The rollups, read plainly from the facts: no SQL shared with the code under test. */
async function expectedRollups(shopId: string): Promise<Map<string, Row>> {
  const orders = await prisma.order.findMany({ where: { shopId }, include: { attribution: true, ledgerEntries: true } });
  const sums = new Map<string, Record<string, bigint>>();
  const add = (creatorId: string, day: string, field: string, amount: bigint) => {
    const key = `${creatorId}|${day}`;
    const row = sums.get(key) ?? {};
    row[field] = (row[field] ?? 0n) + amount;
    sums.set(key, row);
  };
  const live = (o: (typeof orders)[number]) => o.cancelledAt === null && !o.test;
  for (const order of orders) {
    const day = shopDay(order.processedAt);
    for (const entry of order.ledgerEntries) add(entry.creatorId, day, "commission", entry.amountMinor);
    const creatorId = order.attribution?.creatorId;
    if (!creatorId || order.attribution!.reviewStatus === "REJECTED" || !live(order)) continue;
    add(creatorId, day, "orders", 1n);
    add(creatorId, day, "net", order.netMerchandiseMinor);
    if (!order.newCustomer) continue;
    add(creatorId, day, "newCustomers", 1n);
    add(creatorId, day, "newNet", order.netMerchandiseMinor);
    for (const window of [30, 90, 365]) {
      const end = order.processedAt.getTime() + window * 86_400_000;
      const value = order.customerGid
        ? orders
            .filter((o) => o.customerGid === order.customerGid && live(o) && o.processedAt >= order.processedAt && o.processedAt.getTime() < end)
            .reduce((sum, o) => sum + o.netMerchandiseMinor, 0n)
        : order.netMerchandiseMinor;
      add(creatorId, day, `cohort${window}`, value);
    }
  }
  for (const click of await prisma.linkClick.findMany({ where: { shopId } })) add(click.creatorId, shopDay(click.occurredAt), "clicks", 1n);
  for (const entry of await prisma.ledgerEntry.findMany({ where: { shopId, orderId: null } })) {
    add(entry.creatorId, `${entry.periodKey}-01`, "commission", entry.amountMinor);
  }
  for (const cost of await prisma.creatorCost.findMany({ where: { shopId } })) {
    add(cost.creatorId, cost.incurredOn.toISOString().slice(0, 10), cost.kind === "FLAT_FEE" ? "fees" : "seeding", cost.amountMinor);
  }
  const result = new Map<string, Row>();
  for (const [key, row] of sums) {
    result.set(key, Object.fromEntries(Object.entries(row).filter(([, v]) => v !== 0n).map(([k, v]) => [k, v.toString()])));
  }
  return result;
}

const ROLLUP_FIELDS = {
  clicks: "clicks",
  orders: "orders",
  net: "netRevenueMinor",
  newCustomers: "newCustomers",
  newNet: "newCustomerRevenueMinor",
  commission: "commissionMinor",
  fees: "feeMinor",
  seeding: "seedingMinor",
  cohort30: "cohortRevenue30Minor",
  cohort90: "cohortRevenue90Minor",
  cohort365: "cohortRevenue365Minor",
} as const;

async function actualRollups(shopId: string): Promise<Map<string, Row>> {
  const rows = await prisma.creatorDailyRollup.findMany({ where: { shopId } });
  return new Map(
    rows.map((row) => [
      `${row.creatorId}|${row.day.toISOString().slice(0, 10)}`,
      Object.fromEntries(
        Object.entries(ROLLUP_FIELDS)
          .map(([name, column]) => [name, BigInt(row[column]).toString()] as const)
          .filter(([, value]) => value !== "0"),
      ),
    ]),
  );
}

/** The monthly rollups, keyed `creator|YYYY-MM-01` like the daily ones. */
async function actualMonthlyRollups(shopId: string): Promise<Map<string, Row>> {
  const rows = await prisma.creatorMonthlyRollup.findMany({ where: { shopId } });
  return new Map(
    rows.map((row) => [
      `${row.creatorId}|${row.month.toISOString().slice(0, 10)}`,
      Object.fromEntries(
        Object.entries(ROLLUP_FIELDS)
          .map(([name, column]) => [name, BigInt(row[column]).toString()] as const)
          .filter(([, value]) => value !== "0"),
      ),
    ]),
  );
}

/** Daily rows summed per creator and month. */
function perMonth(days: Map<string, Row>): Map<string, Row> {
  const months = new Map<string, Row>();
  for (const [key, row] of days) {
    const monthKey = `${key.slice(0, key.indexOf("|"))}|${key.slice(key.indexOf("|") + 1, key.indexOf("|") + 8)}-01`;
    const sum = months.get(monthKey) ?? {};
    for (const [field, value] of Object.entries(row)) sum[field] = (BigInt(sum[field] ?? "0") + BigInt(value)).toString();
    months.set(monthKey, Object.fromEntries(Object.entries(sum).filter(([, value]) => value !== "0")));
  }
  return months;
}

/**
 * Ranges read through the monthly rollups (whole months, months less some days, cohort cutoffs inside a month) equal
 * the same ranges summed from the daily rollups alone, on days the cohort windows cut in different places. A creator
 * with nothing left in a range may come back as zeros rather than absent: both mean nothing happened.
 */
async function expectRangesReadThroughMonthsToMatchDays(shop: { id: string; timezone: string }) {
  const ranges = [
    { from: "2026-02-20", to: "2026-04-30" },
    { from: "2026-03-01", to: "2026-03-31" },
    { from: "2026-03-05", to: "2026-04-09" },
    { from: "2026-03-15", to: "2026-04-15" },
    { from: "2026-04-02", to: "2026-04-03" },
  ];
  const withoutZeros = (totals: Map<string, unknown>) =>
    JSON.stringify(
      [...totals].filter(([, value]) => JSON.stringify(value, bigintText) !== JSON.stringify(emptyRollupTotals(), bigintText)).sort(([a], [b]) => a.localeCompare(b)),
      bigintText,
    );
  for (const today of ["2026-03-20", "2026-04-10", "2026-05-15", "2026-06-20", "2027-03-10"]) {
    const throughMonths = await rollupTotalsByRange(shop, ranges, { today });
    for (const [index, range] of ranges.entries()) {
      const fromDays = await creatorRollupTotals(shop, range, { today });
      expect(withoutZeros(throughMonths[index]!), `${range.from}..${range.to} on ${today}`).toEqual(withoutZeros(fromDays));
    }
  }
}

function bigintText(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Rows whose facts all net to zero carry nothing: compare only what is non-zero. */
function nonEmpty(rows: Map<string, Row>) {
  return Object.fromEntries([...rows].filter(([, row]) => Object.keys(row).length > 0).sort(([a], [b]) => a.localeCompare(b)));
}

describe("daily rollups", () => {
  it("equal a plain recomputation of the facts, before and after the facts change", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), async (facts, picks) => {
        const { shop, creatorIds } = await seedShop(facts);
        await refreshShopRollups(prisma, shop.id);
        const expected = await expectedRollups(shop.id);
        expect(nonEmpty(await actualRollups(shop.id))).toEqual(nonEmpty(expected));
        expect(nonEmpty(await actualMonthlyRollups(shop.id))).toEqual(nonEmpty(perMonth(expected)));
        await expectRangesReadThroughMonthsToMatchDays(shop);
        expect(await prisma.rollupChange.count({ where: { shopId: shop.id } })).toBe(0);

        // Change facts the way the pipeline does: a refund lowers net, a cancellation, a re-attribution, a click
        // and a cost removed, a returning customer's order long after the first.
        const orders = await prisma.order.findMany({ where: { shopId: shop.id }, orderBy: { processedAt: "asc" } });
        if (orders.length > 0) {
          const refunded = orders[picks[0]! % orders.length]!;
          await prisma.order.update({ where: { id: refunded.id }, data: { netMerchandiseMinor: refunded.netMerchandiseMinor / 2n } });
          const cancelled = orders[picks[1]! % orders.length]!;
          await prisma.order.update({ where: { id: cancelled.id }, data: { cancelledAt: cancelled.processedAt } });
          const moved = orders[picks[2]! % orders.length]!;
          await prisma.attribution.update({ where: { orderId: moved.id }, data: { creatorId: creatorIds[picks[2]! % 3]!, reviewStatus: "NOT_NEEDED" } });
        }
        // A returning customer 45 days after a credited first order: only the 90- and 365-day cohort of the day they
        // were acquired changes, a day no other change names.
        const acquired = await prisma.order.findFirst({
          where: { shopId: shop.id, newCustomer: true, customerGid: { not: null }, cancelledAt: null, test: false, attribution: { creatorId: { not: null }, reviewStatus: { not: "REJECTED" } } },
        });
        if (acquired) {
          await writeOrder(
            shop.id,
            creatorIds,
            { offsetMs: acquired.processedAt.getTime() - START + 45 * 86_400_000, creator: null, rejected: false, cancelled: false, test: false, customer: Number(acquired.customerGid!.split("/").pop()), net: 777, region: "US-CA", ledger: [] },
            false,
          );
        }
        const click = await prisma.linkClick.findFirst({ where: { shopId: shop.id } });
        if (click) await prisma.linkClick.delete({ where: { id: click.id } });
        const cost = await prisma.creatorCost.findFirst({ where: { shopId: shop.id } });
        if (cost) await prisma.creatorCost.delete({ where: { id: cost.id } });

        await refreshShopRollups(prisma, shop.id);
        const changed = await expectedRollups(shop.id);
        expect(nonEmpty(await actualRollups(shop.id))).toEqual(nonEmpty(changed));
        // The months follow the days they lost and gained: subtracted and added in the statements that rewrote them.
        expect(nonEmpty(await actualMonthlyRollups(shop.id))).toEqual(nonEmpty(perMonth(changed)));
        await expectRangesReadThroughMonthsToMatchDays(shop);
      }),
      { numRuns: 15 },
    );
  }, 240_000);

  it("keeps store-wide orders per shipping region and day, every order counted once", async () => {
    const shop = await createTestShop({ timezone: ZONE });
    const [creator] = [await createTestCreator(shop.id)];
    const base = { rejected: false, test: false, customer: null, ledger: [] };
    // 2026-03-02 07:30 UTC is still March 1 in Los Angeles.
    await writeOrder(shop.id, [creator.id], { ...base, offsetMs: 31.5 * 3_600_000, creator: 0, cancelled: false, net: 1_000, region: "US-CA" }, true);
    await writeOrder(shop.id, [creator.id], { ...base, offsetMs: 33 * 3_600_000, creator: null, cancelled: false, net: 2_000, region: "US-CA" }, true);
    await writeOrder(shop.id, [creator.id], { ...base, offsetMs: 34 * 3_600_000, creator: null, cancelled: false, net: 500, region: null }, true);
    await writeOrder(shop.id, [creator.id], { ...base, offsetMs: 34 * 3_600_000, creator: null, cancelled: true, net: 900, region: "DE" }, true);
    await refreshShopRollups(prisma, shop.id);

    expect(await regionDailyTotals(shop.id, { from: "2026-03-01", to: "2026-03-02" })).toEqual([
      { day: "2026-03-01", region: "US-CA", orders: 1, netRevenueMinor: 1_000n },
      { day: "2026-03-02", region: "", orders: 1, netRevenueMinor: 500n },
      { day: "2026-03-02", region: "US-CA", orders: 1, netRevenueMinor: 2_000n },
    ]);
  });

  it("sums a range per creator, counting a cohort window only once it has passed, and fills a daily series", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const ava = await createTestCreator(shop.id);
    const base = { rejected: false, test: false, cancelled: false, region: null, ledger: [250] };
    const day = (n: number) => n * 86_400_000 + 12 * 3_600_000;
    await writeOrder(shop.id, [ava.id], { ...base, offsetMs: day(0), creator: 0, customer: 1, net: 10_000 }, true);
    await writeOrder(shop.id, [ava.id], { ...base, offsetMs: day(10), creator: null, customer: 1, net: 4_000, ledger: [] }, false);
    await writeOrder(shop.id, [ava.id], { ...base, offsetMs: day(3), creator: 0, customer: 2, net: 6_000 }, true);
    // The 30-day window of the first order ends exactly 30 days after it.
    await writeOrder(shop.id, [ava.id], { ...base, offsetMs: day(30) - 1, creator: null, customer: 1, net: 100, ledger: [] }, false);
    await writeOrder(shop.id, [ava.id], { ...base, offsetMs: day(30), creator: null, customer: 1, net: 200, ledger: [] }, false);
    await prisma.creatorCost.create({
      data: { shopId: shop.id, creatorId: ava.id, kind: "FLAT_FEE", description: "Fee", incurredOn: new Date("2026-03-02"), amountMinor: 50_000n },
    });
    await refreshShopRollups(prisma, shop.id);

    const range = { from: "2026-03-01", to: "2026-03-31" };
    // On April 3 the March 1 cohort has had its 30 days, the March 4 one has not.
    const totals = (await creatorRollupTotals(shop, range, { today: "2026-04-03" })).get(ava.id)!;
    expect(totals).toMatchObject({ orders: 2, netRevenueMinor: 16_000n, newCustomers: 2, commissionMinor: 500n, feeMinor: 50_000n });
    expect(totals.cohort[30]).toEqual({ customers: 1, revenueMinor: 14_100n });
    expect(totals.cohort[90]).toEqual({ customers: 0, revenueMinor: 0n });
    expect((await creatorRollupTotals(shop, range, { today: "2027-06-01" })).get(ava.id)!.cohort[365]).toEqual({ customers: 2, revenueMinor: 20_300n });
    expect(await creatorRollupTotals(shop, { from: "2026-05-01", to: "2026-05-31" })).toEqual(new Map());

    const series = await dailySeries(shop, { from: "2026-03-01", to: "2026-03-04" });
    expect(series.map((point) => [point.day, point.orders, point.netRevenueMinor, point.costMinor])).toEqual([
      ["2026-03-01", 1, 10_000n, 250n],
      ["2026-03-02", 0, 0n, 50_000n],
      ["2026-03-03", 0, 0n, 0n],
      ["2026-03-04", 1, 6_000n, 250n],
    ]);
  });

  it("lets concurrent refreshes of one shop end in the same rollups, and forgets the changes of a removed shop", async () => {
    const shop = await createTestShop({ timezone: ZONE });
    const creator = await createTestCreator(shop.id);
    for (let index = 0; index < 20; index++) {
      await writeOrder(shop.id, [creator.id], { offsetMs: index * 7_200_000, creator: 0, rejected: false, cancelled: false, test: false, customer: index % 4, net: 1_000 + index, region: "US-NY", ledger: [100] }, index < 4);
    }
    await Promise.all([refreshShopRollups(prisma, shop.id), refreshShopRollups(prisma, shop.id), refreshShopRollups(prisma, shop.id)]);
    const expected = await expectedRollups(shop.id);
    expect(nonEmpty(await actualRollups(shop.id))).toEqual(nonEmpty(expected));
    expect(nonEmpty(await actualMonthlyRollups(shop.id))).toEqual(nonEmpty(perMonth(expected)));
    expect(await shopsWithRollupChanges(prisma)).not.toContain(shop.id);

    const removedShopId = randomUUID();
    await prisma.rollupChange.create({ data: { shopId: removedShopId, day: new Date("2026-03-01") } });
    expect(await refreshShopRollups(prisma, removedShopId)).toEqual({ days: 0 });
    expect(await prisma.rollupChange.count({ where: { shopId: removedShopId } })).toBe(0);
  });

  it("counts up the shop's rollup version in each transaction that rewrites its rollups, and only then", async () => {
    const shop = await createTestShop({ timezone: ZONE });
    const other = await createTestShop({ timezone: ZONE });
    const creator = await createTestCreator(shop.id);
    const version = async (shopId: string) => (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).rollupVersion;
    const order = (index: number, offsetMs: number) =>
      writeOrder(shop.id, [creator.id], { offsetMs, creator: 0, rejected: false, cancelled: false, test: false, customer: index, net: 1_000, region: "US-NY", ledger: [] }, true);

    await order(1, 0);
    await refreshShopRollups(prisma, shop.id);
    expect(await version(shop.id)).toBe(1);
    // Nothing noted since: nothing rewritten, the version stays.
    await refreshShopRollups(prisma, shop.id);
    expect(await version(shop.id)).toBe(1);
    // Two refreshes at once: the one that claims the days counts, the other finds them rebuilt.
    await order(2, 0);
    await order(3, 3 * 24 * 3_600_000);
    await Promise.all([refreshShopRollups(prisma, shop.id), refreshShopRollups(prisma, shop.id)]);
    expect(await version(shop.id)).toBe(2);
    expect(await version(other.id)).toBe(0);
  });

  describe("in the worker", () => {
    const connection = createRedis({ failFast: false });
    const queue = createReportingQueue(connection);
    afterAll(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    });

    it("rebuilds a shop's changed days on the next sweep, without being asked", async () => {
      const worker = await startReportingWorker({ db: prisma, queue, connection, sweepEveryMs: 200 });
      try {
        const shop = await createTestShop({ timezone: ZONE });
        const creator = await createTestCreator(shop.id);
        await writeOrder(shop.id, [creator.id], { offsetMs: 0, creator: 0, rejected: false, cancelled: false, test: false, customer: 1, net: 4_200, region: "US-CA", ledger: [420] }, true);
        await vi.waitFor(
          async () => {
            expect(await prisma.rollupChange.count({ where: { shopId: shop.id } })).toBe(0);
            const [row] = await prisma.creatorDailyRollup.findMany({ where: { shopId: shop.id } });
            expect(row).toMatchObject({ orders: 1, netRevenueMinor: 4_200n, commissionMinor: 420n });
          },
          { timeout: 15_000, interval: 100 },
        );
      } finally {
        await worker.close();
      }
    });
  });
});
