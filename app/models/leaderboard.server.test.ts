import { randomUUID } from "node:crypto";
import type { Creator, CreatorCostKind, CreatorPlatform, FunnelStage, LedgerEntryKind, Shop } from "@prisma/client";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { deriveCreatorMetrics } from "~/domain/metrics/creator-metrics";
import { emptyRollupTotals } from "~/domain/metrics/rollup-totals";
import { refreshShopRollups } from "~/services/refresh-rollups.server";
import {
  LEADERBOARD_PAGE_SIZE,
  defaultLeaderboardRange,
  homeDashboard,
  leaderboard,
  leaderboardCsv,
  leaderboardCsvFilename,
  leaderboardPage,
  parseLeaderboardQuery,
  parseLeaderboardRange,
  previousRange,
  rangeBounds,
  shopNiches,
  sortLeaderboard,
  type LeaderboardQuery,
  type LeaderboardRow,
} from "./leaderboard.server";

// Each test builds its own shop, so tests never see each other's rows. Facts are written through Prisma, the rollups
// rebuilt by the same service the worker runs, and the leaderboard read from the rollups.

/** Every cohort window has matured by then, for facts written in 2026. */
const TODAY = "2027-06-01";

async function createShop(timezone = "UTC"): Promise<Shop> {
  return prisma.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, name: "Test shop", currencyCode: "USD", timezone },
  });
}

interface CreatorOptions {
  codes?: string[];
  platform?: CreatorPlatform;
  funnelStage?: FunnelStage;
  niche?: string;
}

async function createCreator(shop: Shop, name: string, options: CreatorOptions = {}): Promise<Creator> {
  const handle = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const { codes = [`${name.toUpperCase()}10`], ...segments } = options;
  const creator = await prisma.creator.create({ data: { shopId: shop.id, name, handle, ...segments } });
  for (const code of codes) {
    await prisma.discountCode.create({
      data: { shopId: shop.id, creatorId: creator.id, code, normalizedCode: normalizeDiscountCode(code) },
    });
  }
  return creator;
}

interface OrderOptions {
  processedAt: string;
  netMinor: bigint;
  /** Attributed to; null = an attribution to nobody; left out = not attributed yet. */
  creator?: Creator | null;
  customerGid?: string;
  newCustomer?: boolean;
  cancelledAt?: string;
  commissions?: { kind: LedgerEntryKind; amountMinor: bigint; creator?: Creator }[];
}

async function createOrder(shop: Shop, options: OrderOptions) {
  const gid = `gid://shopify/Order/${randomUUID()}`;
  const order = await prisma.order.create({
    data: {
      shopId: shop.id,
      shopifyOrderGid: gid,
      name: `#${Math.floor(Math.random() * 100_000)}`,
      currencyCode: shop.currencyCode,
      presentmentCurrency: shop.currencyCode,
      discountCodes: [],
      customerGid: options.customerGid ?? null,
      newCustomer: options.newCustomer ?? true,
      subtotalMinor: options.netMinor,
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: options.netMinor,
      processedAt: new Date(options.processedAt),
      shopifyUpdatedAt: new Date(options.processedAt),
      cancelledAt: options.cancelledAt ? new Date(options.cancelledAt) : null,
    },
  });
  if (options.creator !== undefined) {
    await prisma.attribution.create({
      data: {
        shopId: shop.id,
        orderId: order.id,
        creatorId: options.creator?.id ?? null,
        method: options.creator ? "DISCOUNT_CODE" : "NONE",
        evidence: [],
      },
    });
  }
  for (const [index, entry] of (options.commissions ?? []).entries()) {
    const creator = entry.creator ?? options.creator;
    if (!creator) throw new Error("A ledger entry needs a creator");
    await prisma.ledgerEntry.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        orderId: order.id,
        kind: entry.kind,
        amountMinor: entry.amountMinor,
        currencyCode: shop.currencyCode,
        idempotencyKey: `${gid}:${index}`,
        sourceKey: `order:${order.id}:revenue-share`,
        availableAt: new Date(options.processedAt),
        reason: "test",
      },
    });
  }
  return order;
}

async function createPeriodEntry(shop: Shop, creator: Creator, periodKey: string, amountMinor: bigint) {
  await prisma.ledgerEntry.create({
    data: {
      shopId: shop.id,
      creatorId: creator.id,
      kind: "RETAINER",
      amountMinor,
      currencyCode: shop.currencyCode,
      periodKey,
      idempotencyKey: `retainer:${creator.id}:${periodKey}`,
      sourceKey: `period:${periodKey}:retainer`,
      availableAt: new Date(`${periodKey}-01T00:00:00Z`),
      reason: "test",
    },
  });
}

async function createCost(shop: Shop, creator: Creator, kind: CreatorCostKind, incurredOn: string, amountMinor: bigint) {
  await prisma.creatorCost.create({
    data: { shopId: shop.id, creatorId: creator.id, kind, description: "test", incurredOn: new Date(`${incurredOn}T00:00:00Z`), amountMinor },
  });
}

async function createClicks(shop: Shop, creator: Creator, instants: string[]) {
  const link = await prisma.trackingLink.create({
    data: { shopId: shop.id, creatorId: creator.id, slug: randomUUID().slice(0, 12), label: "Bio", utmSource: "instagram", utmCampaign: creator.handle },
  });
  await prisma.linkClick.createMany({
    data: instants.map((at) => ({ shopId: shop.id, linkId: link.id, creatorId: creator.id, visitorHash: "h", occurredAt: new Date(at) })),
  });
}

const NO_SEGMENTS = { platforms: [], funnelStages: [], niches: [] };

function query(range: { from: string; to: string }, overrides: Partial<LeaderboardQuery> = {}): LeaderboardQuery {
  return { range, sort: "netRevenue", direction: "desc", rank: "roas", segments: NO_SEGMENTS, page: 1, ...overrides };
}

/** Rebuilds the shop's rollups, as the worker does within seconds of a change, then reads the leaderboard. */
async function readLeaderboard(shop: Shop, q: LeaderboardQuery) {
  await refreshShopRollups(prisma, shop.id);
  return leaderboard(shop, q, { today: TODAY });
}

function rowFor(rows: LeaderboardRow[], creator: Creator): LeaderboardRow {
  const row = rows.find((candidate) => candidate.creatorId === creator.id);
  if (!row) throw new Error(`No leaderboard row for ${creator.name}`);
  return row;
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("leaderboard", () => {
  it("derives every column from the rollups, for the range and the previous range of equal length", async () => {
    const shop = await createShop();
    const ana = await createCreator(shop, "Ana", { codes: ["ANA10", "ANA-SPRING"], platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "Fitness" });
    const range = { from: "2026-03-01", to: "2026-03-31" };

    // March: 4 clicks (one in April does not count); 3 orders, two of them new customers (A and C).
    await createClicks(shop, ana, ["2026-03-01T00:00:00Z", "2026-03-04T10:00:00Z", "2026-03-20T10:00:00Z", "2026-03-31T23:59:59Z", "2026-04-01T00:00:00Z"]);
    await createOrder(shop, { creator: ana, customerGid: "A", processedAt: "2026-03-05T12:00:00Z", netMinor: 10_000n, commissions: [{ kind: "COMMISSION", amountMinor: 1_000n }] });
    await createOrder(shop, { creator: ana, customerGid: "B", newCustomer: false, processedAt: "2026-03-10T12:00:00Z", netMinor: 6_000n, commissions: [{ kind: "COMMISSION", amountMinor: 600n }] });
    await createOrder(shop, { creator: ana, customerGid: "C", processedAt: "2026-03-12T12:00:00Z", netMinor: 4_000n });
    // The acquired customers come back (not through Ana): A within 30 days, C within 90.
    await createOrder(shop, { customerGid: "A", newCustomer: false, processedAt: "2026-04-01T12:00:00Z", netMinor: 3_000n });
    await createOrder(shop, { customerGid: "C", newCustomer: false, processedAt: "2026-05-11T12:00:00Z", netMinor: 4_000n });
    // A cancelled order counts for nothing.
    await createOrder(shop, { creator: ana, customerGid: "E", processedAt: "2026-03-15T12:00:00Z", cancelledAt: "2026-03-16T12:00:00Z", netMinor: 99_000n });
    // Costs: the March retainer, a fee and product seeding in March; a fee in April is outside the range.
    await createPeriodEntry(shop, ana, "2026-03", 10_000n);
    await createCost(shop, ana, "FLAT_FEE", "2026-03-02", 5_000n);
    await createCost(shop, ana, "PRODUCT_SEEDING", "2026-03-03", 2_400n);
    await createCost(shop, ana, "FLAT_FEE", "2026-04-02", 7_777n);
    // The previous range (29 Jan – 28 Feb): 2 clicks and one order from a new customer.
    await createClicks(shop, ana, ["2026-01-29T00:00:00Z", "2026-02-28T23:59:59Z", "2026-01-28T23:59:59Z"]);
    await createOrder(shop, { creator: ana, customerGid: "D", processedAt: "2026-02-10T12:00:00Z", netMinor: 5_000n, commissions: [{ kind: "COMMISSION", amountMinor: 500n }] });

    const board = await readLeaderboard(shop, query(range));
    expect(board.previousRange).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(board.creatorCount).toBe(1);
    const [row] = board.rows;
    expect(row).toMatchObject({
      creatorId: ana.id,
      name: "Ana",
      discountCodes: ["ANA10", "ANA-SPRING"],
      platform: "INSTAGRAM",
      funnelStage: "CONVERSION",
      niche: "Fitness",
      experiment: null,
    });
    expect(row!.metrics).toEqual({
      clicks: 4,
      orders: 3,
      netRevenueMinor: 20_000n,
      newCustomers: 2,
      commissionMinor: 11_600n,
      feeMinor: 5_000n,
      seedingMinor: 2_400n,
      conversionRateBasisPoints: 7_500,
      aovMinor: 6_667n,
      totalCostMinor: 19_000n,
      cacMinor: 9_500n,
      roasBasisPoints: 10_526,
      // A: 10 000 + 3 000 within 30 days; C: 4 000, then 8 000 within 90 days.
      ltvMinor: { 30: 8_500n, 90: 10_500n, 365: 10_500n },
      ltvToCac: { basisPoints: 11_053, windowDays: 365 },
      // $70 of first orders per customer, $85 by day 30, $105 by day 90: the $95 CAC is reached half-way, day 60.
      paybackDays: 60,
    });
    expect(row!.previous).toMatchObject({
      clicks: 2,
      orders: 1,
      netRevenueMinor: 5_000n,
      newCustomers: 1,
      totalCostMinor: 500n,
      cacMinor: 500n,
      roasBasisPoints: 100_000,
    });
    // The only creator with a ROAS is in the top fifth.
    expect(row!.top).toBe(true);
  });

  it("counts the range's days in the shop's timezone, across a DST change", async () => {
    // 2026-03-08 is the day New York moves to daylight time: it runs 05:00Z to 04:00Z the next day (23 hours).
    const shop = await createShop("America/New_York");
    const ana = await createCreator(shop, "Ana");
    const commission = (amountMinor: bigint) => [{ kind: "COMMISSION" as const, amountMinor }];
    await createOrder(shop, { creator: ana, processedAt: "2026-03-08T04:59:59.999Z", netMinor: 1n, commissions: commission(1n) }); // 7 Mar 23:59 EST
    await createOrder(shop, { creator: ana, processedAt: "2026-03-08T05:00:00.000Z", netMinor: 100n, commissions: commission(10n) }); // 8 Mar 00:00 EST
    await createOrder(shop, { creator: ana, processedAt: "2026-03-09T03:59:59.999Z", netMinor: 200n, commissions: commission(20n) }); // 8 Mar 23:59 EDT
    await createOrder(shop, { creator: ana, processedAt: "2026-03-09T04:00:00.000Z", netMinor: 4n, commissions: commission(4n) }); // 9 Mar 00:00 EDT

    const { rows, previousRange: earlier } = await readLeaderboard(shop, query({ from: "2026-03-08", to: "2026-03-08" }));
    expect(rows[0]!.metrics).toMatchObject({ orders: 2, netRevenueMinor: 300n, commissionMinor: 30n });
    expect(earlier).toEqual({ from: "2026-03-07", to: "2026-03-07" });
    expect(rows[0]!.previous).toMatchObject({ orders: 1, netRevenueMinor: 1n, commissionMinor: 1n });
  });

  it("lists creators with nothing in the range with zeros, and never counts another shop's facts", async () => {
    const shop = await createShop("Europe/Berlin");
    const other = await createShop("Europe/Berlin");
    const gus = await createCreator(shop, "Gus", { codes: ["GUS10", "GUS-SUMMER"] });
    const hal = await createCreator(shop, "Hal", { codes: ["HAL"] });
    const otherHal = await createCreator(other, "Hal", { codes: ["HAL"] });
    await createOrder(shop, { creator: hal, processedAt: "2026-07-15T10:00:00Z", netMinor: 2_500n });
    await createOrder(other, { creator: otherHal, processedAt: "2026-07-15T10:00:00Z", netMinor: 99_000n, commissions: [{ kind: "COMMISSION", amountMinor: 9_900n }] });
    // Gus sold, but outside the range.
    await createOrder(shop, { creator: gus, processedAt: "2026-08-15T10:00:00Z", netMinor: 2_500n });
    await refreshShopRollups(prisma, other.id);

    const { rows } = await readLeaderboard(shop, query({ from: "2026-07-01", to: "2026-07-31" }, { sort: "name", direction: "asc" }));
    expect(rows.map((row) => row.name)).toEqual(["Gus", "Hal"]);
    const zeros = deriveCreatorMetrics(emptyRollupTotals());
    expect(rowFor(rows, gus)).toEqual({
      creatorId: gus.id,
      name: "Gus",
      discountCodes: ["GUS10", "GUS-SUMMER"],
      platform: null,
      funnelStage: null,
      niche: null,
      metrics: zeros,
      previous: zeros,
      experiment: null,
      top: false,
    });
    expect(rowFor(rows, hal).metrics).toMatchObject({ orders: 1, netRevenueMinor: 2_500n, commissionMinor: 0n, aovMinor: 2_500n });
  });

  it("returns no rows for a shop without creators", async () => {
    const shop = await createShop();
    expect(await readLeaderboard(shop, query({ from: "2026-01-01", to: "2026-01-31" }))).toMatchObject({ rows: [], creatorCount: 0 });
  });

  it("filters by platform, funnel stage and niche (any value within a kind, all kinds together)", async () => {
    const shop = await createShop();
    const ivy = await createCreator(shop, "Ivy", { platform: "INSTAGRAM", funnelStage: "AWARENESS", niche: "Fitness" });
    const jo = await createCreator(shop, "Jo", { platform: "TIKTOK", funnelStage: "AWARENESS", niche: "fitness" });
    const kim = await createCreator(shop, "Kim", { platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "Skincare" });
    await createCreator(shop, "Lu");
    const names = async (segments: LeaderboardQuery["segments"]) => {
      const board = await readLeaderboard(shop, query({ from: "2026-01-01", to: "2026-01-31" }, { sort: "name", direction: "asc", segments }));
      expect(board.creatorCount).toBe(4);
      return board.rows.map((row) => row.creatorId);
    };
    expect(await names({ ...NO_SEGMENTS, platforms: ["INSTAGRAM"] })).toEqual([ivy.id, kim.id]);
    expect(await names({ ...NO_SEGMENTS, platforms: ["INSTAGRAM", "TIKTOK"], funnelStages: ["AWARENESS"] })).toEqual([ivy.id, jo.id]);
    expect(await names({ ...NO_SEGMENTS, niches: ["FITNESS"] })).toEqual([ivy.id, jo.id]);
    expect(await names({ ...NO_SEGMENTS, niches: ["Fitness"], platforms: ["YOUTUBE"] })).toEqual([]);
    expect(await shopNiches(shop.id)).toEqual(["Fitness", "Skincare"]);
  });

  it("marks the top 20% by the ranked metric among the listed creators, lower being better for CAC", async () => {
    const shop = await createShop();
    const creators = await Promise.all(["Ann", "Ben", "Cas", "Dot", "Eve", "Fox"].map((name) => createCreator(shop, name)));
    // Revenue 600, 500, 500, 300, 100 and nothing; cost 100 each for the first five (one new customer each).
    for (const [index, creator] of creators.slice(0, 5).entries()) {
      const netMinor = [60_000n, 50_000n, 50_000n, 30_000n, 10_000n][index]!;
      await createOrder(shop, { creator, customerGid: `c${index}`, processedAt: "2026-09-10T12:00:00Z", netMinor, commissions: [{ kind: "COMMISSION", amountMinor: 10_000n + BigInt(index) }] });
    }
    const range = { from: "2026-09-01", to: "2026-09-30" };
    const topNames = (rows: LeaderboardRow[]) => rows.filter((row) => row.top).map((row) => row.name).sort();

    // Six creators have a revenue (Fox's is zero): ceil(6 / 5) = 2, Ben and Cas tie for second.
    expect(topNames((await readLeaderboard(shop, query(range, { rank: "netRevenue" }))).rows)).toEqual(["Ann", "Ben", "Cas"]);
    // Fox has no cost, so no ROAS: five creators have one, ceil(5 / 5) = 1.
    expect(topNames((await readLeaderboard(shop, query(range, { rank: "roas" }))).rows)).toEqual(["Ann"]);
    // The lowest CAC is the best.
    expect(topNames((await readLeaderboard(shop, query(range, { rank: "cac" }))).rows)).toEqual(["Ann"]);
  });

  it("sorts on any column, creators without a value last in both directions", async () => {
    const shop = await createShop();
    const ann = await createCreator(shop, "ann");
    const bob = await createCreator(shop, "Bob");
    const cat = await createCreator(shop, "cat");
    await createClicks(shop, ann, ["2026-10-01T10:00:00Z", "2026-10-01T11:00:00Z", "2026-10-01T12:00:00Z", "2026-10-01T13:00:00Z"]);
    await createClicks(shop, cat, ["2026-10-02T10:00:00Z"]);
    await createOrder(shop, { creator: ann, processedAt: "2026-10-03T10:00:00Z", netMinor: 900n });
    await createOrder(shop, { creator: bob, processedAt: "2026-10-03T10:00:00Z", netMinor: 100n });
    await createOrder(shop, { creator: cat, processedAt: "2026-10-03T10:00:00Z", netMinor: 100n });
    const range = { from: "2026-10-01", to: "2026-10-31" };
    const { rows } = await readLeaderboard(shop, query(range));
    const order = (sort: LeaderboardQuery["sort"], direction: "asc" | "desc") => sortLeaderboard(rows, sort, direction).map((row) => row.name);

    // Conversion: cat 100%, ann 25%, Bob has no clicks.
    expect(order("conversionRate", "desc")).toEqual(["cat", "ann", "Bob"]);
    expect(order("conversionRate", "asc")).toEqual(["ann", "cat", "Bob"]);
    // Ties keep the name order, case-insensitively, in both directions.
    expect(order("netRevenue", "desc")).toEqual(["ann", "Bob", "cat"]);
    expect(order("netRevenue", "asc")).toEqual(["Bob", "cat", "ann"]);
    expect(order("name", "desc")).toEqual(["cat", "Bob", "ann"]);
    // No one has a cost: every ROAS is missing, so name order.
    expect(order("roas", "asc")).toEqual(["ann", "Bob", "cat"]);
  });
});

describe("leaderboard after a rollup refresh", () => {
  it("shows the refreshed numbers at the next read, for every range, sort and filter, and only for the shop refreshed", async () => {
    const shop = await createShop();
    const other = await createShop();
    const ana = await createCreator(shop, "Ana", { platform: "INSTAGRAM" });
    const bea = await createCreator(shop, "Bea", { platform: "TIKTOK" });
    const otherAna = await createCreator(other, "Ana");
    const range = { from: "2026-05-01", to: "2026-05-31" };
    const next = { from: "2026-06-01", to: "2026-06-30" };
    await createOrder(shop, { creator: ana, processedAt: "2026-05-10T12:00:00Z", netMinor: 1_000n });
    await createOrder(shop, { creator: bea, processedAt: "2026-05-10T12:00:00Z", netMinor: 2_000n });
    await createOrder(other, { creator: otherAna, processedAt: "2026-05-10T12:00:00Z", netMinor: 7_000n });
    await refreshShopRollups(prisma, other.id);
    const revenue = async (q: LeaderboardQuery) =>
      (await leaderboard(shop, q, { today: TODAY })).rows.map((row) => [row.name, row.metrics.netRevenueMinor, row.previous.netRevenueMinor]);
    const instagram = { ...NO_SEGMENTS, platforms: ["INSTAGRAM" as const] };

    // Each read twice: the second is served as the first was read.
    await refreshShopRollups(prisma, shop.id);
    for (let read = 0; read < 2; read += 1) {
      expect(await revenue(query(range))).toEqual([["Bea", 2_000n, 0n], ["Ana", 1_000n, 0n]]);
      expect(await revenue(query(next))).toEqual([["Ana", 0n, 1_000n], ["Bea", 0n, 2_000n]]);
      expect(await revenue(query(range, { segments: instagram }))).toEqual([["Ana", 1_000n, 0n]]);
    }

    // Ana sells more in May, and another shop's rollups change too.
    await createOrder(shop, { creator: ana, processedAt: "2026-05-20T12:00:00Z", netMinor: 5_000n });
    await createOrder(other, { creator: otherAna, processedAt: "2026-05-20T12:00:00Z", netMinor: 9_000n });
    await refreshShopRollups(prisma, other.id);
    // Not refreshed yet: the rollups, and so the leaderboard, do not know of the order.
    expect(await revenue(query(range))).toEqual([["Bea", 2_000n, 0n], ["Ana", 1_000n, 0n]]);

    await refreshShopRollups(prisma, shop.id);
    expect(await revenue(query(range))).toEqual([["Ana", 6_000n, 0n], ["Bea", 2_000n, 0n]]);
    expect(await revenue(query(range, { sort: "name", direction: "asc" }))).toEqual([["Ana", 6_000n, 0n], ["Bea", 2_000n, 0n]]);
    expect(await revenue(query(next))).toEqual([["Ana", 0n, 6_000n], ["Bea", 0n, 2_000n]]);
    expect(await revenue(query(range, { segments: instagram }))).toEqual([["Ana", 6_000n, 0n]]);
    const otherBoard = await leaderboard(other, query(range), { today: TODAY });
    expect(otherBoard.rows.map((row) => row.metrics.netRevenueMinor)).toEqual([16_000n]);
  });
});

describe("leaderboard experiments and CSV", () => {
  it("attaches the latest experiment covering each creator and sorts its lift with missing ones last", async () => {
    const shop = await createShop();
    const ada = await createCreator(shop, "Ada");
    const bea = await createCreator(shop, "Bea");
    const experiment = (name: string, startsOn: string) =>
      prisma.experiment.create({
        data: {
          shopId: shop.id,
          name,
          design: "PERIOD_HOLDOUT",
          creatorIds: [ada.id],
          startsOn: new Date(`${startsOn}T00:00:00Z`),
          endsOn: new Date(`${startsOn.slice(0, 8)}28T00:00:00Z`),
          baselineStartsOn: new Date("2026-01-01T00:00:00Z"),
          baselineEndsOn: new Date("2026-01-28T00:00:00Z"),
        },
      });
    await experiment("Spring push", "2026-03-01");
    const latest = await experiment("Summer push", "2026-06-01");
    const { rows } = await readLeaderboard(shop, query({ from: "2026-06-01", to: "2026-06-30" }, { sort: "lift", direction: "asc" }));
    // No orders anywhere: the finished test has no interval to judge.
    expect(rowFor(rows, ada).experiment).toMatchObject({ experimentId: latest.id, name: "Summer push", verdict: "waiting for data", orderLift: null });
    expect(rowFor(rows, bea).experiment).toBeNull();
    expect(rows.map((row) => row.name)).toEqual(["Ada", "Bea"]);
  });

  it("writes every listed creator's shown columns, money as decimals, formulas defused", async () => {
    const shop = await createShop();
    const ana = await createCreator(shop, "Ana", { codes: ["ANA10", "ANA5"], platform: "TIKTOK", funnelStage: "CONSIDERATION", niche: "Fitness" });
    await createCreator(shop, "=HYPERLINK(1)");
    await createOrder(shop, { creator: ana, customerGid: "x", processedAt: "2026-05-10T12:00:00Z", netMinor: 12_345n, commissions: [{ kind: "COMMISSION", amountMinor: 1_234n }] });
    await createOrder(shop, { creator: ana, customerGid: "y", processedAt: "2026-04-10T12:00:00Z", netMinor: 10_000n });
    const range = { from: "2026-05-01", to: "2026-05-31" };
    const board = await readLeaderboard(shop, query(range, { rank: "netRevenue" }));
    const [header, ...records] = parseCsv(leaderboardCsv(board, { currencyCode: "USD", rank: "netRevenue" })) as string[][];
    expect(leaderboardCsvFilename(range)).toBe("creator-leaderboard-2026-05-01-to-2026-05-31.csv");
    expect(records).toHaveLength(2);
    const record = Object.fromEntries(header!.map((title, index) => [title, records[0]![index]]));
    expect(record).toMatchObject({
      Creator: "Ana",
      "Discount codes": "ANA10 ANA5",
      Platform: "TikTok",
      "Funnel stage": "Consideration",
      Niche: "Fitness",
      "Top 20% by Net revenue": "yes",
      Clicks: "0",
      "Conversion rate (%)": "",
      "Net revenue (USD)": "123.45",
      "Net revenue vs previous period (%)": "23.5",
      "AOV (USD)": "123.45",
      "Commissions (USD)": "12.34",
      "Total cost (USD)": "12.34",
      "CAC (USD)": "12.34",
      "ROAS (×)": "10.00",
      "ROAS vs previous period (%)": "",
      "Payback (days)": "0",
      "Experiment verdict": "",
    });
    expect(records[1]![0]).toBe("'=HYPERLINK(1)");
  });
});

describe("homeDashboard", () => {
  it("sums the period, the previous period, each segment and each day, and ranks creators by ROAS", async () => {
    const shop = await createShop();
    const ivy = await createCreator(shop, "Ivy", { platform: "INSTAGRAM", funnelStage: "AWARENESS" });
    const jo = await createCreator(shop, "Jo", { platform: "INSTAGRAM", funnelStage: "CONVERSION" });
    const kim = await createCreator(shop, "Kim", { platform: "YOUTUBE" });
    await createCreator(shop, "Lu");
    const range = { from: "2026-11-01", to: "2026-11-03" };
    await createOrder(shop, { creator: ivy, customerGid: "a", processedAt: "2026-11-01T10:00:00Z", netMinor: 10_000n, commissions: [{ kind: "COMMISSION", amountMinor: 1_000n }] });
    await createOrder(shop, { creator: jo, customerGid: "b", processedAt: "2026-11-03T10:00:00Z", netMinor: 30_000n, commissions: [{ kind: "COMMISSION", amountMinor: 2_000n }] });
    await createOrder(shop, { creator: kim, customerGid: "c", newCustomer: false, processedAt: "2026-11-03T11:00:00Z", netMinor: 5_000n });
    await createCost(shop, kim, "PRODUCT_SEEDING", "2026-11-02", 2_500n);
    // The previous three days.
    await createOrder(shop, { creator: ivy, customerGid: "d", processedAt: "2026-10-30T10:00:00Z", netMinor: 20_000n, commissions: [{ kind: "COMMISSION", amountMinor: 4_000n }] });
    await refreshShopRollups(prisma, shop.id);

    const dashboard = await homeDashboard(shop, range, { today: TODAY });
    expect(dashboard.creatorCount).toBe(4);
    expect(dashboard.previousRange).toEqual({ from: "2026-10-29", to: "2026-10-31" });
    expect(dashboard.totals).toMatchObject({ orders: 3, netRevenueMinor: 45_000n, newCustomers: 2, totalCostMinor: 5_500n, cacMinor: 2_750n, roasBasisPoints: 81_818 });
    expect(dashboard.previousTotals).toMatchObject({ orders: 1, netRevenueMinor: 20_000n, totalCostMinor: 4_000n, roasBasisPoints: 50_000 });
    expect(dashboard.series.map((point) => [point.day, point.orders, point.netRevenueMinor, point.costMinor])).toEqual([
      ["2026-11-01", 1, 10_000n, 1_000n],
      ["2026-11-02", 0, 0n, 2_500n],
      ["2026-11-03", 2, 35_000n, 2_000n],
    ]);
    const breakdown = (rows: typeof dashboard.byPlatform | typeof dashboard.byFunnelStage) =>
      rows.map((row) => [row.segment, row.creators, row.metrics.orders, row.metrics.netRevenueMinor, row.metrics.totalCostMinor]);
    expect(breakdown(dashboard.byPlatform)).toEqual([
      ["INSTAGRAM", 2, 2, 40_000n, 3_000n],
      ["YOUTUBE", 1, 1, 5_000n, 2_500n],
      [null, 1, 0, 0n, 0n],
    ]);
    expect(breakdown(dashboard.byFunnelStage)).toEqual([
      ["AWARENESS", 1, 1, 10_000n, 1_000n],
      ["CONVERSION", 1, 1, 30_000n, 2_000n],
      [null, 2, 1, 5_000n, 2_500n],
    ]);
    // Jo 15×, Ivy 10×, Kim 2×; Lu has no cost and no ROAS.
    expect(dashboard.topByRoas.map((row) => [row.name, row.metrics.roasBasisPoints])).toEqual([
      ["Jo", 150_000],
      ["Ivy", 100_000],
      ["Kim", 20_000],
    ]);
  });

  it("has zeros and an empty ranking for a shop without creators", async () => {
    const shop = await createShop();
    const dashboard = await homeDashboard(shop, { from: "2026-11-01", to: "2026-11-02" }, { today: TODAY });
    expect(dashboard).toMatchObject({ creatorCount: 0, byPlatform: [], byFunnelStage: [], topByRoas: [] });
    expect(dashboard.totals).toEqual(deriveCreatorMetrics(emptyRollupTotals()));
    expect(dashboard.series).toHaveLength(2);
  });
});

describe("parseLeaderboardQuery", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const parse = (search: string, knownNiches: string[] = ["Fitness"]) =>
    parseLeaderboardQuery(new URLSearchParams(search), { timezone: "UTC", knownNiches, now });

  it("defaults to the last 30 days by net revenue, ranked by ROAS, unfiltered, first page", () => {
    expect(parse("")).toEqual({
      ok: true,
      query: {
        range: { from: "2026-02-09", to: "2026-03-10" },
        sort: "netRevenue",
        direction: "desc",
        rank: "roas",
        segments: NO_SEGMENTS,
        page: 1,
      },
    });
    expect(parse("sort=name")).toMatchObject({ ok: true, query: { sort: "name", direction: "asc" } });
  });

  it("reads repeated segment values and spells niches as the shop does", () => {
    expect(parse("platform=TIKTOK&platform=YOUTUBE&funnelStage=AWARENESS&niche=fitness&sort=cac&direction=asc&rank=paybackDays&page=3")).toEqual({
      ok: true,
      query: {
        range: { from: "2026-02-09", to: "2026-03-10" },
        sort: "cac",
        direction: "asc",
        rank: "paybackDays",
        segments: { platforms: ["TIKTOK", "YOUTUBE"], funnelStages: ["AWARENESS"], niches: ["Fitness"] },
        page: 3,
      },
    });
  });

  it.each([
    ["platform=MYSPACE", 'Platform "MYSPACE" is not one of Instagram, TikTok, YouTube, Podcast, Blog, Newsletter, Other platform.'],
    ["funnelStage=LOYALTY", 'Funnel stage "LOYALTY" is not one of Awareness, Consideration, Conversion.'],
    ["niche=knitting", 'No creator has the niche "knitting".'],
    ["sort=vibes", `Sort "vibes" is not one of name, clicks, orders, conversionRate, netRevenue, aov, newCustomers, commission, totalCost, cac, roas, ltv30, ltv90, ltv365, ltvToCac, paybackDays, lift.`],
    ["rank=name", `Rank by "name" is not one of clicks, orders, conversionRate, netRevenue, aov, newCustomers, commission, totalCost, cac, roas, ltv30, ltv90, ltv365, ltvToCac, paybackDays.`],
    ["page=0", 'Page "0" must be a whole number from 1.'],
  ])("refuses %s with a message naming it", (search, message) => {
    expect(parse(search)).toMatchObject({ ok: false, rangeError: null, queryError: message });
  });

  it("reports a bad range apart from bad filters, and keeps what it could read", () => {
    const parsed = parse("from=2026-03-05&to=2026-03-01&platform=TIKTOK&niche=knitting");
    expect(parsed).toMatchObject({
      ok: false,
      rangeError: "From must be on or before To.",
      queryError: 'No creator has the niche "knitting".',
      query: { range: { from: "2026-03-05", to: "2026-03-01" }, segments: { platforms: ["TIKTOK"], niches: [] } },
    });
  });
});

describe("previousRange and paging", () => {
  it("compares with the equally long range just before", () => {
    expect(previousRange({ from: "2026-03-01", to: "2026-03-31" })).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(previousRange({ from: "2024-03-01", to: "2024-03-01" })).toEqual({ from: "2024-02-29", to: "2024-02-29" });
  });

  it("slices pages of 50 and clamps a page past the end", () => {
    const rows = Array.from({ length: 120 }, (_, index) => index);
    expect(leaderboardPage(rows, 1)).toEqual({ rows: rows.slice(0, 50), page: 1, pageCount: 3 });
    expect(leaderboardPage(rows, 3).rows).toEqual(rows.slice(100));
    expect(leaderboardPage(rows, 9)).toMatchObject({ page: 3, pageCount: 3 });
    expect(leaderboardPage([], 2)).toEqual({ rows: [], page: 1, pageCount: 1 });
    expect(LEADERBOARD_PAGE_SIZE).toBe(50);
  });
});

describe("parseLeaderboardRange", () => {
  const now = new Date("2026-03-10T03:00:00Z"); // Still 9 March in New York, already 10 March in UTC.

  it("defaults to the last 30 days, today included, in the shop's timezone", () => {
    expect(parseLeaderboardRange(new URLSearchParams(), "America/New_York", now)).toEqual({
      ok: true,
      range: { from: "2026-02-08", to: "2026-03-09" },
    });
    expect(defaultLeaderboardRange("UTC", now)).toEqual({ from: "2026-02-09", to: "2026-03-10" });
  });

  it("accepts a valid range, including exactly 366 days", () => {
    expect(parseLeaderboardRange(new URLSearchParams("from=2026-01-01&to=2026-01-31"), "UTC", now)).toEqual({
      ok: true,
      range: { from: "2026-01-01", to: "2026-01-31" },
    });
    expect(parseLeaderboardRange(new URLSearchParams("from=2024-01-01&to=2024-12-31"), "UTC", now).ok).toBe(true);
  });

  it.each([
    ["from=2026-02-30&to=2026-03-01", "From (2026-02-30) is not a valid calendar date."],
    ["from=yesterday&to=2026-03-01", "From must be a date like 2026-01-31."],
    ["from=2026-03-01&to=2026-13-01", "To (2026-13-01) is not a valid calendar date."],
    ["from=2026-03-05&to=2026-03-01", "From must be on or before To."],
    ["from=2025-01-01&to=2026-01-02", "Choose a range of at most 366 days."],
  ])("rejects %s", (query, error) => {
    const parsed = parseLeaderboardRange(new URLSearchParams(query), "UTC", now);
    expect(parsed).toMatchObject({ ok: false, error });
    // What was asked is echoed so the form can show it again.
    const params = new URLSearchParams(query);
    expect(parsed.range).toEqual({ from: params.get("from"), to: params.get("to") });
  });
});

