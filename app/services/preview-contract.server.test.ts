import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import type { ContractTerms } from "~/domain/commissions/contract-terms";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { addDeliverable } from "~/models/deliverable.server";
import { markPeriodChanged, postOrderCommissions, settleCreatorPeriod } from "./post-commissions.server";
import { previewContract } from "./preview-contract.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";

// Early November in New York: the previous pay period is October, New York time.
const NOW = new Date("2026-11-10T15:00:00Z");
const noQueue = () => ({ addBulk: async () => [] }) as never;

let orderNumber = 9000;
async function placeOrder(
  shop: Shop,
  creatorId: string | null,
  processedAt: string,
  money: { net: bigint; shipping?: bigint; tax?: bigint; cancelled?: boolean },
) {
  orderNumber += 1;
  const order = await prisma.order.create({
    data: {
      shopId: shop.id,
      shopifyOrderGid: `gid://shopify/Order/${shop.id}-${orderNumber}`,
      name: `#${orderNumber}`,
      currencyCode: shop.currencyCode,
      presentmentCurrency: shop.currencyCode,
      discountCodes: [],
      subtotalMinor: money.net,
      totalTaxMinor: money.tax ?? 0n,
      shippingMinor: money.shipping ?? 0n,
      netMerchandiseMinor: money.net,
      processedAt: new Date(processedAt),
      shopifyUpdatedAt: new Date(processedAt),
      cancelledAt: money.cancelled ? new Date(processedAt) : null,
    },
  });
  await prisma.attribution.create({
    data: { shopId: shop.id, orderId: order.id, creatorId, method: creatorId ? "DISCOUNT_CODE" : "NONE", evidence: {} },
  });
  await prisma.$transaction((tx) => postOrderCommissions(tx, shop, order, creatorId, "test"));
}

/** The creator's contract becomes `terms` well before October, so the engine pays all of October under them. */
async function giveContract(shop: Shop, creatorId: string, model: "HYBRID" | "FLAT_FEE", terms: ContractTerms) {
  await prisma.contract.create({
    data: { shopId: shop.id, creatorId, model, terms: serializeTerms(terms), effectiveFrom: new Date("2026-01-01T00:00:00Z") },
  });
}

/** What the engine posts for October once the period is settled. */
async function settleOctober(shop: Shop, creatorId: string) {
  const ref = await prisma.$transaction((tx) => markPeriodChanged(tx, { shopId: shop.id, creatorId, periodKey: "2026-10" }));
  await prisma.$transaction((tx) => settleCreatorPeriod(tx, ref));
  const posted = await prisma.ledgerEntry.aggregate({ where: { creatorId, periodKey: "2026-10" }, _sum: { amountMinor: true } });
  return posted._sum.amountMinor ?? 0n;
}

describe("previewContract", () => {
  it("equals what the engine posts for last month under the same terms, and an independent hand computation", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    const other = await createTestCreator(shop.id);
    const terms = termsForModel("HYBRID", {
      baseMonthlyMinor: 20_000n,
      percent: "10.00",
      revenueBasis: { includeShipping: true, includeTaxes: false },
      capPerPeriodMinor: 5_000n,
    });
    await giveContract(shop, creator.id, "HYBRID", terms);

    await placeOrder(shop, creator.id, "2026-10-01T03:00:00Z", { net: 100_000n }); // Sep 30 in New York: not October
    await placeOrder(shop, creator.id, "2026-10-15T16:00:00Z", { net: 15_000n, shipping: 1_000n, tax: 900n });
    await placeOrder(shop, creator.id, "2026-10-20T16:00:00Z", { net: 33_333n });
    await placeOrder(shop, creator.id, "2026-11-01T02:00:00Z", { net: 9_995n, shipping: 500n }); // Oct 31 in New York
    await placeOrder(shop, creator.id, "2026-10-21T16:00:00Z", { net: 50_000n, cancelled: true });
    await placeOrder(shop, other.id, "2026-10-22T16:00:00Z", { net: 70_000n });
    await placeOrder(shop, null, "2026-10-23T16:00:00Z", { net: 80_000n });
    const posted = await settleOctober(shop, creator.id);

    // By hand: 10% of (net + shipping), each order rounded half-up: 160.00 → 16.00, 333.33 → 33.33 (33.333),
    // 104.95 → 10.50 (10.495). 59.83 of performance pay, capped at 50.00; plus the 200.00 base fee.
    const byHand = 1_600n + 3_333n + 1_050n - (1_600n + 3_333n + 1_050n - 5_000n) + 20_000n;
    expect(byHand).toBe(25_000n);

    const preview = await previewContract(shop, creator.id, terms, NOW);
    expect(preview.periodKey).toBe("2026-10");
    expect(preview.candidate.totalMinor).toBe(byHand);
    expect(preview.candidate.totalMinor).toBe(posted);
    expect(preview.actualMinor).toBe(posted);
    expect(preview.candidate.byKind).toEqual([
      { kind: "COMMISSION", amountMinor: 5_983n, entries: 3 },
      { kind: "BASE_FEE", amountMinor: 20_000n, entries: 1 },
      { kind: "CAP_ADJUSTMENT", amountMinor: -983n, entries: 1 },
    ]);
    expect(preview.candidate.orders).toBe(3);
    expect(preview.candidate.revenueMinor).toBe(15_000n + 1_000n + 33_333n + 9_995n + 500n);

    // Other terms for the same month: what they would have paid, next to what the ledger actually holds.
    const cpa = await previewContract(shop, creator.id, termsForModel("CPA", { amountMinor: 1_234n, newCustomersOnly: false }), NOW);
    expect(cpa.candidate.totalMinor).toBe(3n * 1_234n);
    expect(cpa.actualMinor).toBe(posted);
    // Nothing was written by previewing.
    expect(await prisma.ledgerEntry.aggregate({ where: { creatorId: creator.id, periodKey: "2026-10" }, _sum: { amountMinor: true } }))
      .toEqual({ _sum: { amountMinor: posted } });
  });

  it("pays last month's deliverables at the candidate's flat fees, topped up to its draw", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    const terms = termsForModel("FLAT_FEE", { feesMinor: { POST: 10_000n, VIDEO: 25_000n }, drawPerPeriodMinor: 50_000n });
    await giveContract(shop, creator.id, "FLAT_FEE", terms);
    for (const [kind, deliveredOn] of [
      ["POST", "2026-09-30"],
      ["POST", "2026-10-01"],
      ["VIDEO", "2026-10-20"],
      ["STORY", "2026-10-31"],
      ["POST", "2026-11-01"],
    ] as const) {
      const added = await addDeliverable(shop.id, creator.id, { kind, title: `${kind} on ${deliveredOn}`, deliveredOn }, NOW, noQueue);
      expect(added).toMatchObject({ ok: true });
    }
    const posted = await settleOctober(shop, creator.id);

    // By hand: a post (100.00) and a video (250.00) in October; the story has no fee; 150.00 advanced to reach 500.00.
    const preview = await previewContract(shop, creator.id, terms, NOW);
    expect(preview.candidate.totalMinor).toBe(50_000n);
    expect(preview.candidate.totalMinor).toBe(posted);
    expect(preview.candidate.byKind).toEqual([
      { kind: "FLAT_FEE", amountMinor: 35_000n, entries: 2 },
      { kind: "DRAW_ADVANCE", amountMinor: 15_000n, entries: 1 },
    ]);
    expect(preview.candidate.deliverables).toBe(3);
  });

  it("shows nothing earned for a creator with no orders last month", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const preview = await previewContract(shop, creator.id, termsForModel("REVENUE_SHARE", { percent: "10.00" }), NOW);
    expect(preview).toMatchObject({ periodKey: "2026-10", actualMinor: 0n, candidate: { totalMinor: 0n, byKind: [], orders: 0 } });
  });
});
