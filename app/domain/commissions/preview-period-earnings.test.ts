import { describe, expect, it } from "vitest";
import type { CommissionOrder, Deliverable } from "./commission-facts";
import { termsForModel } from "./contract-presets";
import { previewPeriodEarnings } from "./preview-period-earnings";

let orderNumber = 2000;
const order = (netMerchandiseMinor: bigint, overrides: Partial<CommissionOrder> = {}): CommissionOrder => {
  orderNumber += 1;
  return {
    orderId: `o${orderNumber}`,
    orderName: `#${orderNumber}`,
    placedAt: new Date(Date.UTC(2026, 9, 1) + orderNumber * 60_000),
    currencyCode: "USD",
    netMerchandiseMinor,
    shippingMinor: 0n,
    taxMinor: 0n,
    cancelled: false,
    newCustomer: true,
    lines: [],
    ...overrides,
  };
};

const deliverable = (id: string, kind: Deliverable["kind"], day: number): Deliverable => ({
  id,
  kind,
  title: `${kind} ${id}`,
  deliveredAt: new Date(Date.UTC(2026, 9, day, 12)),
});

const preview = (terms: ReturnType<typeof termsForModel>, orders: CommissionOrder[], deliverables: Deliverable[] = []) =>
  previewPeriodEarnings({ periodKey: "2026-10", terms, orders, deliverables, currencyCode: "USD" });

describe("previewPeriodEarnings", () => {
  it("adds a hybrid's base fee to its capped revenue share", () => {
    const terms = termsForModel("HYBRID", {
      baseMonthlyMinor: 50_000n,
      percent: "10.00",
      revenueBasis: { includeShipping: true, includeTaxes: false },
      capPerPeriodMinor: 8_000n,
    });
    const result = preview(terms, [
      order(40_000n, { shippingMinor: 1_000n, taxMinor: 3_000n }), // 10% of 410.00 = 41.00
      order(52_345n), // 10% of 523.45 = 52.345, rounded half-up to 52.35
      order(100_000n, { cancelled: true }), // earns nothing
    ]);
    // Performance pay 41.00 + 52.35 = 93.35, capped at 80.00; the base fee is fixed pay, not capped.
    expect(result.byKind).toEqual([
      { kind: "COMMISSION", amountMinor: 9_335n, entries: 2 },
      { kind: "BASE_FEE", amountMinor: 50_000n, entries: 1 },
      { kind: "CAP_ADJUSTMENT", amountMinor: -1_335n, entries: 1 },
    ]);
    expect(result.totalMinor).toBe(58_000n);
    expect(result.orders).toBe(2);
    expect(result.revenueMinor).toBe(40_000n + 1_000n + 52_345n);
  });

  it("pays flat fees per deliverable and tops the period up to the draw", () => {
    const terms = termsForModel("FLAT_FEE", {
      feesMinor: { POST: 15_000n, VIDEO: 40_000n },
      drawPerPeriodMinor: 100_000n,
    });
    const result = preview(
      terms,
      [order(99_999n)],
      [deliverable("d1", "POST", 3), deliverable("d2", "VIDEO", 9), deliverable("d3", "STORY", 20)],
    );
    // 150.00 + 400.00 earned (a story has no fee), 450.00 advanced up to the 1,000.00 draw.
    expect(result.byKind).toEqual([
      { kind: "FLAT_FEE", amountMinor: 55_000n, entries: 2 },
      { kind: "DRAW_ADVANCE", amountMinor: 45_000n, entries: 1 },
    ]);
    expect(result.totalMinor).toBe(100_000n);
    expect(result.deliverables).toBe(3);
  });

  it("counts marginal conversion tiers by each order's place in the period", () => {
    const terms = termsForModel("TIERED", {
      metric: "CONVERSIONS",
      mode: "MARGINAL",
      tiers: [
        { from: 0n, percent: "5.00" },
        { from: 2n, percent: "10.00" },
      ],
    });
    // 1st and 2nd orders at 5%, the 3rd at 10%: 5.00 + 10.00 + 30.00.
    const result = preview(terms, [order(10_000n), order(20_000n), order(30_000n)]);
    expect(result.byKind).toEqual([
      { kind: "COMMISSION", amountMinor: 500n + 1_000n + 1_500n, entries: 3 },
      { kind: "TIER_ADJUSTMENT", amountMinor: 1_500n, entries: 1 },
    ]);
    expect(result.totalMinor).toBe(4_500n);
  });

  it("pays a CPA for new customers only when the contract says so", () => {
    const terms = termsForModel("CPA", { amountMinor: 2_000n, newCustomersOnly: true });
    const result = preview(terms, [order(5_000n), order(5_000n, { newCustomer: false }), order(5_000n)]);
    expect(result.totalMinor).toBe(4_000n);
    expect(result.byKind).toEqual([{ kind: "CPA", amountMinor: 4_000n, entries: 2 }]);
  });

  it("earns a retainer and no bonus below the threshold, with nothing to recover", () => {
    const terms = termsForModel("RETAINER_BONUS", {
      monthlyMinor: 30_000n,
      bonus: { metric: "REVENUE", threshold: 100_000n, amountMinor: 10_000n },
    });
    const result = preview(terms, [order(60_000n), order(39_999n)]);
    expect(result.byKind).toEqual([{ kind: "RETAINER", amountMinor: 30_000n, entries: 1 }]);
    const reached = preview(terms, [order(60_000n), order(40_000n)]);
    expect(reached.totalMinor).toBe(40_000n);
  });
});
