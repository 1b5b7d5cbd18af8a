import { randomUUID } from "node:crypto";
import type { Creator, LedgerEntryKind, Shop } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import {
  defaultLeaderboardRange,
  leaderboard,
  parseLeaderboardRange,
  rangeBounds,
  sortLeaderboard,
  type LeaderboardRow,
} from "./leaderboard.server";

// Each test builds its own shop, so tests never see each other's rows.
async function createShop(timezone = "UTC"): Promise<Shop> {
  return prisma.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, name: "Test shop", currencyCode: "USD", timezone },
  });
}

async function createCreator(
  shop: Shop,
  name: string,
  codes: string[] = [`${name.toUpperCase()}10`]
): Promise<Creator> {
  const handle = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const creator = await prisma.creator.create({ data: { shopId: shop.id, name, handle } });
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
  creator?: Creator | null;
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

function rowFor(rows: LeaderboardRow[], creator: Creator): LeaderboardRow {
  const row = rows.find((candidate) => candidate.creatorId === creator.id);
  if (!row) throw new Error(`No leaderboard row for ${creator.name}`);
  return row;
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("leaderboard", () => {
  it("counts the range's days in the shop's timezone, across a DST change", async () => {
    // 2026-03-08 is the day New York moves to daylight time: it runs 05:00Z to 04:00Z the next day (23 hours).
    const shop = await createShop("America/New_York");
    const ana = await createCreator(shop, "Ana");
    const commission = (amountMinor: bigint) => [{ kind: "COMMISSION" as const, amountMinor }];

    await createOrder(shop, {
      creator: ana,
      processedAt: "2026-03-08T04:59:59.999Z",
      netMinor: 1n,
      commissions: commission(1n),
    }); // 7 Mar 23:59 EST
    await createOrder(shop, {
      creator: ana,
      processedAt: "2026-03-08T05:00:00.000Z",
      netMinor: 100n,
      commissions: commission(10n),
    }); // 8 Mar 00:00 EST
    await createOrder(shop, {
      creator: ana,
      processedAt: "2026-03-09T03:59:59.999Z",
      netMinor: 200n,
      commissions: commission(20n),
    }); // 8 Mar 23:59 EDT
    await createOrder(shop, {
      creator: ana,
      processedAt: "2026-03-09T04:00:00.000Z",
      netMinor: 4n,
      commissions: commission(4n),
    }); // 9 Mar 00:00 EDT

    const [row] = await leaderboard(shop, { from: "2026-03-08", to: "2026-03-08" });
    expect(row).toMatchObject({ creatorId: ana.id, orders: 2, netRevenueMinor: 300n, commissionMinor: 30n });
  });

  it("uses the shop's day, not the UTC day, for zones ahead of UTC", async () => {
    const shop = await createShop("Pacific/Auckland"); // UTC+13 in January
    const kai = await createCreator(shop, "Kai");
    // 15 Jan 01:00 in Auckland, still 14 Jan in UTC: inside the range.
    await createOrder(shop, { creator: kai, processedAt: "2026-01-14T12:00:00Z", netMinor: 500n });
    // 16 Jan 01:00 in Auckland, 15 Jan in UTC: outside the range.
    await createOrder(shop, { creator: kai, processedAt: "2026-01-15T12:00:00Z", netMinor: 700n });

    const [row] = await leaderboard(shop, { from: "2026-01-15", to: "2026-01-15" });
    expect(row).toMatchObject({ orders: 1, netRevenueMinor: 500n });
    expect(rangeBounds({ from: "2026-01-15", to: "2026-01-15" }, "Pacific/Auckland")).toEqual({
      start: new Date("2026-01-14T11:00:00Z"),
      endExclusive: new Date("2026-01-15T11:00:00Z"),
    });
  });

  it("leaves cancelled orders out of orders and revenue; their reversed commission nets to zero", async () => {
    const shop = await createShop();
    const bo = await createCreator(shop, "Bo");
    await createOrder(shop, {
      creator: bo,
      processedAt: "2026-02-10T12:00:00Z",
      netMinor: 10_000n,
      commissions: [{ kind: "COMMISSION", amountMinor: 1_000n }],
    });
    await createOrder(shop, {
      creator: bo,
      processedAt: "2026-02-11T12:00:00Z",
      cancelledAt: "2026-02-12T12:00:00Z",
      netMinor: 50_000n,
      commissions: [
        { kind: "COMMISSION", amountMinor: 5_000n },
        { kind: "REVERSAL", amountMinor: -5_000n },
      ],
    });

    const [row] = await leaderboard(shop, { from: "2026-02-01", to: "2026-02-28" });
    expect(row).toMatchObject({ orders: 1, netRevenueMinor: 10_000n, commissionMinor: 1_000n });
  });

  it("nets reversals against commissions, and counts a reattributed order's entries for each creator", async () => {
    const shop = await createShop();
    const cy = await createCreator(shop, "Cy");
    const dee = await createCreator(shop, "Dee");
    // Partially refunded: 1,000 earned, 400 reversed.
    await createOrder(shop, {
      creator: cy,
      processedAt: "2026-04-02T09:00:00Z",
      netMinor: 10_000n,
      commissions: [
        { kind: "COMMISSION", amountMinor: 1_000n },
        { kind: "REVERSAL", amountMinor: -400n },
      ],
    });
    // First credited to Cy, then re-attributed to Dee: Cy's entry is reversed, Dee gets a new one.
    await createOrder(shop, {
      creator: dee,
      processedAt: "2026-04-03T09:00:00Z",
      netMinor: 20_000n,
      commissions: [
        { kind: "COMMISSION", amountMinor: 2_000n, creator: cy },
        { kind: "REVERSAL", amountMinor: -2_000n, creator: cy },
        { kind: "COMMISSION", amountMinor: 3_000n, creator: dee },
      ],
    });

    const rows = await leaderboard(shop, { from: "2026-04-01", to: "2026-04-30" });
    expect(rowFor(rows, cy)).toMatchObject({ orders: 1, netRevenueMinor: 10_000n, commissionMinor: 600n });
    expect(rowFor(rows, dee)).toMatchObject({ orders: 1, netRevenueMinor: 20_000n, commissionMinor: 3_000n });
  });

  it("does not count unattributed orders", async () => {
    const shop = await createShop();
    const eli = await createCreator(shop, "Eli");
    await createOrder(shop, { creator: null, processedAt: "2026-05-05T10:00:00Z", netMinor: 9_999n });
    await createOrder(shop, { processedAt: "2026-05-05T10:00:00Z", netMinor: 8_888n });

    expect(await leaderboard(shop, { from: "2026-05-01", to: "2026-05-31" })).toEqual([
      {
        creatorId: eli.id,
        name: "Eli",
        discountCodes: ["ELI10"],
        orders: 0,
        netRevenueMinor: 0n,
        commissionMinor: 0n,
        clicks: 0,
        conversionRateBasisPoints: null,
      },
    ]);
  });

  it("never counts another shop's creators, orders or ledger entries", async () => {
    const shop = await createShop();
    const other = await createShop();
    const fay = await createCreator(shop, "Fay", ["FAY"]);
    // Same name and code in the other shop, with far bigger numbers in the same range.
    const otherFay = await createCreator(other, "Fay", ["FAY"]);
    await createOrder(shop, {
      creator: fay,
      processedAt: "2026-06-10T10:00:00Z",
      netMinor: 1_000n,
      commissions: [{ kind: "COMMISSION", amountMinor: 100n }],
    });
    await createOrder(other, {
      creator: otherFay,
      processedAt: "2026-06-10T10:00:00Z",
      netMinor: 99_000n,
      commissions: [{ kind: "COMMISSION", amountMinor: 9_900n }],
    });
    await createOrder(other, { creator: otherFay, processedAt: "2026-06-11T10:00:00Z", netMinor: 99_000n });

    expect(await leaderboard(shop, { from: "2026-06-01", to: "2026-06-30" })).toEqual([
      {
        creatorId: fay.id,
        name: "Fay",
        discountCodes: ["FAY"],
        orders: 1,
        netRevenueMinor: 1_000n,
        commissionMinor: 100n,
        clicks: 0,
        conversionRateBasisPoints: null,
      },
    ]);
  });

  it("lists creators without orders in the range with zeros, with all their codes", async () => {
    const shop = await createShop("Europe/Berlin");
    const gus = await createCreator(shop, "Gus", ["GUS10", "GUS-SUMMER"]);
    const hal = await createCreator(shop, "Hal");
    await createOrder(shop, { creator: hal, processedAt: "2026-07-15T10:00:00Z", netMinor: 2_500n });
    // Gus sold, but outside the range.
    await createOrder(shop, {
      creator: gus,
      processedAt: "2026-08-15T10:00:00Z",
      netMinor: 2_500n,
      commissions: [{ kind: "COMMISSION", amountMinor: 250n }],
    });

    const rows = await leaderboard(shop, { from: "2026-07-01", to: "2026-07-31" });
    expect(rows.map((row) => row.name)).toEqual(["Gus", "Hal"]);
    expect(rowFor(rows, gus)).toEqual({
      creatorId: gus.id,
      name: "Gus",
      discountCodes: ["GUS10", "GUS-SUMMER"],
      orders: 0,
      netRevenueMinor: 0n,
      commissionMinor: 0n,
      clicks: 0,
      conversionRateBasisPoints: null,
    });
    expect(rowFor(rows, hal)).toMatchObject({
      orders: 1,
      netRevenueMinor: 2_500n,
      commissionMinor: 0n,
      clicks: 0,
      conversionRateBasisPoints: null,
    });
  });

  it("returns no rows for a shop without creators", async () => {
    const shop = await createShop();
    expect(await leaderboard(shop, { from: "2026-01-01", to: "2026-01-31" })).toEqual([]);
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

describe("leaderboard clicks", () => {
  it("counts the creator's link clicks inside the range and turns them into a conversion rate", async () => {
    const shop = await createShop();
    const ada = await createCreator(shop, "Ada");
    const link = await prisma.trackingLink.create({
      data: {
        shopId: shop.id,
        creatorId: ada.id,
        slug: randomUUID().slice(0, 12),
        label: "Bio",
        utmSource: "instagram",
        utmCampaign: ada.handle,
      },
    });
    const click = (at: string) =>
      prisma.linkClick.create({
        data: { shopId: shop.id, linkId: link.id, creatorId: ada.id, visitorHash: "h", occurredAt: new Date(at) },
      });
    for (const at of [
      "2026-03-01T00:00:00Z",
      "2026-03-05T12:00:00Z",
      "2026-03-31T23:59:59Z",
      "2026-04-01T00:00:00Z",
      "2026-02-28T23:59:59Z",
    ]) {
      await click(at);
    }
    await createOrder(shop, { processedAt: "2026-03-10T10:00:00Z", netMinor: 5_000n, creator: ada });
    const [row] = await leaderboard(shop, { from: "2026-03-01", to: "2026-03-31" });
    expect(row).toMatchObject({ clicks: 3, orders: 1, conversionRateBasisPoints: 3333 });
  });
});

describe("sortLeaderboard", () => {
  const row = (name: string, orders: number, net: bigint, commission: bigint, clicks = 0): LeaderboardRow => ({
    creatorId: name,
    name,
    discountCodes: [],
    orders,
    netRevenueMinor: net,
    commissionMinor: commission,
    clicks,
    conversionRateBasisPoints: clicks === 0 ? null : Math.round((orders * 10_000) / clicks),
  });
  const rows = [
    row("ann", 3, 900n, 10n, 30),
    row("Bob", 5, 100n, 90n),
    row("cat", 3, 12_345_678_901_234_567_890n, -5n, 10),
  ];

  it("sorts by clicks and by conversion rate, a creator without clicks counting as the lowest rate", () => {
    expect(sortLeaderboard(rows, "clicks", "desc").map((r) => r.name)).toEqual(["ann", "cat", "Bob"]);
    expect(sortLeaderboard(rows, "conversion", "desc").map((r) => r.name)).toEqual(["cat", "ann", "Bob"]);
    expect(sortLeaderboard(rows, "conversion", "asc").map((r) => r.name)).toEqual(["Bob", "ann", "cat"]);
  });

  it("sorts by each column, keeping name order on ties", () => {
    expect(sortLeaderboard(rows, "netRevenue", "desc").map((r) => r.name)).toEqual(["cat", "ann", "Bob"]);
    expect(sortLeaderboard(rows, "orders", "desc").map((r) => r.name)).toEqual(["Bob", "ann", "cat"]);
    expect(sortLeaderboard(rows, "commission", "asc").map((r) => r.name)).toEqual(["cat", "ann", "Bob"]);
    expect(sortLeaderboard(rows, "name", "desc").map((r) => r.name)).toEqual(["cat", "Bob", "ann"]);
  });
});
