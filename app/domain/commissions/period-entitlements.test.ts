import { describe, expect, it } from "vitest";
import type { CommissionOrder, Deliverable, Entitlement } from "./commission-facts";
import { MERCHANDISE_ONLY, NO_EXTRAS, type Component, type ContractTerms, type Tier } from "./contract-terms";
import { orderEntitlements } from "./order-entitlements";
import { drawOutstandingAfter, periodEntitlements, type PeriodFacts } from "./period-entitlements";

let orderNumber = 1000;
const order = (netMerchandiseMinor: bigint, overrides: Partial<CommissionOrder> = {}): CommissionOrder => {
  orderNumber += 1;
  return {
    orderId: `o${orderNumber}`,
    orderName: `#${orderNumber}`,
    placedAt: new Date(Date.UTC(2026, 10, 1) + orderNumber * 60_000),
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

const terms = (components: Component[], extras: Partial<ContractTerms> = {}): ContractTerms => ({
  components,
  revenueBasis: MERCHANDISE_ONLY,
  ...NO_EXTRAS,
  ...extras,
});

/** The period's facts, with orderEntitlementTotal computed the way the caller does: from what each order earned. */
const facts = (
  t: ContractTerms | null,
  orders: CommissionOrder[] = [],
  extra: Partial<PeriodFacts> = {},
): PeriodFacts => ({
  periodKey: "2026-11",
  terms: t,
  orders,
  orderEntitlementTotal: orders.flatMap((o) => orderEntitlements(o, t)).reduce((sum, e) => sum + e.amountMinor, 0n),
  deliverables: [],
  drawOutstandingBefore: 0n,
  currencyCode: "USD",
  ...extra,
});

const amounts = (entitlements: Entitlement[]) =>
  Object.fromEntries(entitlements.map((e) => [e.sourceKey, e.amountMinor]));
const orderTotal = (t: ContractTerms, orders: CommissionOrder[]) =>
  orders.flatMap((o) => orderEntitlements(o, t)).reduce((sum, e) => sum + e.amountMinor, 0n);

const tiered = (metric: "REVENUE" | "CONVERSIONS", mode: "MARGINAL" | "RETROACTIVE", tiers: Tier[]): Component => ({
  kind: "TIERED_REVENUE_SHARE",
  metric,
  mode,
  tiers,
});
const revenueTiers: Tier[] = [
  { from: 0n, percent: "10" },
  { from: 500_000n, percent: "15" },
  { from: 1_000_000n, percent: "20" },
];

describe("periodEntitlements", () => {
  it("owes nothing without a contract", () => {
    expect(periodEntitlements(facts(null, [order(10_000n)]))).toEqual([]);
  });

  describe("fixed pay", () => {
    it("pays the retainer and the base fee once per period", () => {
      const entitlements = periodEntitlements(
        facts(
          terms([
            { kind: "RETAINER", monthlyMinor: 100_000n },
            { kind: "BASE_FEE", monthlyMinor: 25_000n },
          ]),
        ),
      );
      expect(entitlements).toEqual([
        {
          sourceKey: "period:2026-11:retainer",
          kind: "RETAINER",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 100_000n,
          reason: "Monthly retainer for 2026-11: $1,000.00",
        },
        {
          sourceKey: "period:2026-11:base-fee",
          kind: "BASE_FEE",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 25_000n,
          reason: "Monthly base fee for 2026-11: $250.00",
        },
      ]);
    });

    it("pays a flat fee per deliverable whose kind has a fee", () => {
      const deliverables: Deliverable[] = [
        { id: "d2", kind: "POST", deliveredAt: new Date("2026-11-20T12:00:00Z"), title: "Morning routine" },
        { id: "d1", kind: "VIDEO", deliveredAt: new Date("2026-11-03T12:00:00Z"), title: "Unboxing" },
        { id: "d3", kind: "STORY", deliveredAt: new Date("2026-11-04T12:00:00Z"), title: "No fee for stories" },
      ];
      const t = terms([{ kind: "FLAT_FEE", feesMinor: { VIDEO: 30_000n, POST: 15_000n } }]);
      expect(periodEntitlements(facts(t, [], { deliverables }))).toEqual([
        {
          sourceKey: "deliverable:d1:flat-fee",
          kind: "FLAT_FEE",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 30_000n,
          reason: "$300.00 flat fee for video “Unboxing” delivered 2026-11-03",
        },
        {
          sourceKey: "deliverable:d2:flat-fee",
          kind: "FLAT_FEE",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 15_000n,
          reason: "$150.00 flat fee for post “Morning routine” delivered 2026-11-20",
        },
      ]);
    });

    it("names the delivery day in the shop's timezone", () => {
      // 02:00 UTC on Nov 4 is still Nov 3 in New York.
      const deliverables: Deliverable[] = [
        { id: "d1", kind: "VIDEO", deliveredAt: new Date("2026-11-04T02:00:00Z"), title: "Late upload" },
      ];
      const t = terms([{ kind: "FLAT_FEE", feesMinor: { VIDEO: 30_000n } }]);
      const [fee] = periodEntitlements({ ...facts(t, [], { deliverables }), timezone: "America/New_York" });
      expect(fee?.reason).toBe("$300.00 flat fee for video “Late upload” delivered 2026-11-03");
    });

    it("owes nothing for zero fees", () => {
      const t = terms([
        { kind: "RETAINER", monthlyMinor: 0n },
        { kind: "FLAT_FEE", feesMinor: { POST: 0n } },
      ]);
      const deliverables: Deliverable[] = [
        { id: "d1", kind: "POST", deliveredAt: new Date("2026-11-03"), title: "Post" },
      ];
      expect(periodEntitlements(facts(t, [], { deliverables }))).toEqual([]);
    });
  });

  describe("a contract that changes mid-month", () => {
    const retainer = (monthlyMinor: bigint) => terms([{ kind: "RETAINER", monthlyMinor }]);
    const revenueShare = terms([{ kind: "REVENUE_SHARE", percent: "10", overrides: [] }]);
    const since = (iso: string, t: ContractTerms) => ({ effectiveFrom: new Date(iso), terms: t });

    it("pays the monthly retainer by the days each version was in force, rounded once", () => {
      const versions = [since("2026-01-01T00:00:00Z", retainer(100_000n)), since("2026-11-11T09:00:00Z", retainer(50_000n))];
      const [pay] = periodEntitlements(facts(retainer(50_000n), [], { versions }));
      // $1,000 × 10/30 + $500 × 20/30 = $333.333… + $333.333… = $666.67
      expect(pay).toMatchObject({
        sourceKey: "period:2026-11:retainer",
        amountMinor: 66_667n,
        reason:
          "Monthly retainer for 2026-11, by days under contract: $1,000.00 × 10/30 days from 2026-11-01 + " +
          "$500.00 × 20/30 days from 2026-11-11 = $666.67",
      });
    });

    it("pays a retainer that ended mid-month for its days, under a month-end contract without one", () => {
      const versions = [since("2026-01-01T00:00:00Z", retainer(90_000n)), since("2026-11-21T00:00:00Z", revenueShare)];
      expect(amounts(periodEntitlements(facts(revenueShare, [], { versions })))).toEqual({
        "period:2026-11:retainer": 60_000n,
      });
    });

    it("pays a creator's first month in full, even when the first contract starts mid-month", () => {
      const versions = [since("2026-11-16T10:00:00Z", terms([{ kind: "BASE_FEE", monthlyMinor: 30_000n }]))];
      const [fee] = periodEntitlements(facts(versions[0]!.terms, [], { versions }));
      expect(fee).toMatchObject({ kind: "BASE_FEE", amountMinor: 30_000n, reason: "Monthly base fee for 2026-11: $300.00" });
    });

    it("advances no draw for a month that ends before the first contract starts", () => {
      const withDraw = terms([{ kind: "REVENUE_SHARE", percent: "10", overrides: [] }], { drawPerPeriodMinor: 50_000n });
      const versions = [since("2026-12-05T00:00:00Z", withDraw)];
      expect(periodEntitlements(facts(withDraw, [order(10_000n)], { versions }))).toEqual([]);
      expect(amounts(periodEntitlements(facts(withDraw, [order(10_000n)], { periodKey: "2026-12", versions })))).toEqual({
        "period:2026-12:draw-advance": 49_000n,
      });
    });

    it("prices each deliverable under the version in force when it was delivered", () => {
      const before = terms([{ kind: "FLAT_FEE", feesMinor: { VIDEO: 30_000n } }]);
      const after = terms([{ kind: "FLAT_FEE", feesMinor: { VIDEO: 45_000n } }]);
      const versions = [since("2026-01-01T00:00:00Z", before), since("2026-11-15T00:00:00Z", after)];
      const deliverables: Deliverable[] = [
        { id: "d1", kind: "VIDEO", deliveredAt: new Date("2026-11-14T23:00:00Z"), title: "Before" },
        { id: "d2", kind: "VIDEO", deliveredAt: new Date("2026-11-15T01:00:00Z"), title: "After" },
      ];
      expect(amounts(periodEntitlements(facts(after, [], { versions, deliverables })))).toEqual({
        "deliverable:d1:flat-fee": 30_000n,
        "deliverable:d2:flat-fee": 45_000n,
      });
    });

    it("keeps the cap and bonus of the version in force at the month's end", () => {
      const early = terms([{ kind: "REVENUE_SHARE", percent: "10", overrides: [] }], { capPerPeriodMinor: 1_000n });
      const late = terms(
        [
          { kind: "REVENUE_SHARE", percent: "10", overrides: [] },
          { kind: "PERFORMANCE_BONUS", metric: "CONVERSIONS", threshold: 1n, amountMinor: 5_000n },
        ],
        { capPerPeriodMinor: 20_000n },
      );
      const versions = [since("2026-01-01T00:00:00Z", early), since("2026-11-20T00:00:00Z", late)];
      const orders = [order(100_000n)];
      expect(amounts(periodEntitlements(facts(late, orders, { versions })))).toEqual({
        "period:2026-11:bonus": 5_000n,
      });
    });
  });

  describe("tiered revenue share on revenue", () => {
    // $7,200 of revenue over three orders: $2,000 + $2,000 + $3,200.
    const orders = () => [order(200_000n), order(200_000n), order(320_000n)];

    it("marginal: each slice of revenue earns its tier's rate; the top-up completes the first-tier order entries", () => {
      const t = terms([tiered("REVENUE", "MARGINAL", revenueTiers)]);
      const os = orders();
      const entitlements = periodEntitlements(facts(t, os));
      // 10% of $5,000 + 15% of $2,200 = $830; orders posted 10% of $7,200 = $720.
      expect(entitlements).toEqual([
        {
          sourceKey: "period:2026-11:tier-adjustment",
          kind: "TIER_ADJUSTMENT",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 11_000n,
          reason:
            "Tier 2 (15.00% from $5,000.00) reached in 2026-11: top-up on $7,200.00 revenue, marginal tiered total $830.00",
        },
      ]);
      expect(orderTotal(t, os) + entitlements[0]!.amountMinor).toBe(83_000n);
    });

    it("retroactive: all revenue earns the rate of the highest tier reached", () => {
      const t = terms([tiered("REVENUE", "RETROACTIVE", revenueTiers)]);
      const entitlements = periodEntitlements(facts(t, orders()));
      // 15% of $7,200 = $1,080, minus the $720 posted.
      expect(amounts(entitlements)).toEqual({ "period:2026-11:tier-adjustment": 36_000n });
      expect(entitlements[0]!.reason).toBe(
        "Tier 2 (15.00% from $5,000.00) reached in 2026-11: top-up on $7,200.00 revenue, retroactive tiered total $1,080.00",
      );
    });

    it("marginal across three tiers", () => {
      const t = terms([tiered("REVENUE", "MARGINAL", revenueTiers)]);
      // $12,000: 10% of 5,000 + 15% of 5,000 + 20% of 2,000 = 500 + 750 + 400 = $1,650; posted $1,200.
      expect(amounts(periodEntitlements(facts(t, [order(1_200_000n)])))).toEqual({
        "period:2026-11:tier-adjustment": 45_000n,
      });
    });

    it("at a tier's `from` exactly: retroactive pays the tier on everything, marginal has no slice above it yet", () => {
      const os = [order(250_000n), order(250_000n)];
      expect(amounts(periodEntitlements(facts(terms([tiered("REVENUE", "RETROACTIVE", revenueTiers)]), os)))).toEqual({
        "period:2026-11:tier-adjustment": 25_000n,
      });
      expect(periodEntitlements(facts(terms([tiered("REVENUE", "MARGINAL", revenueTiers)]), os))).toEqual([]);
    });

    it("one minor unit below a tier pays the first tier only", () => {
      const os = [order(499_999n)];
      expect(periodEntitlements(facts(terms([tiered("REVENUE", "RETROACTIVE", revenueTiers)]), os))).toEqual([]);
    });

    it("corrects the rounding of the order entries so the period total is rounded once", () => {
      // Each $0.05 order posts 10% = 0.5 → 1; the exact total is 10% of $0.10 = 1.
      const t = terms([tiered("REVENUE", "MARGINAL", revenueTiers)]);
      const entitlements = periodEntitlements(facts(t, [order(5n), order(5n)]));
      expect(entitlements).toEqual([
        expect.objectContaining({
          amountMinor: -1n,
          reason:
            "Tier 1 (10.00% from $0.00) in 2026-11: rounding correction on $0.10 revenue, marginal tiered total $0.01",
        }),
      ]);
    });

    it("ignores cancelled orders", () => {
      const t = terms([tiered("REVENUE", "RETROACTIVE", revenueTiers)]);
      expect(periodEntitlements(facts(t, [order(400_000n), order(400_000n, { cancelled: true })]))).toEqual([]);
    });

    it("counts shipping and taxes in the revenue when the basis does", () => {
      const t = terms([tiered("REVENUE", "RETROACTIVE", revenueTiers)], {
        revenueBasis: { includeShipping: true, includeTaxes: true },
      });
      // $4,900 merchandise + $60 shipping + $50 taxes = $5,010 → tier 2 on all: 15% of 5,010 = 751.50, posted 501.
      const os = [order(490_000n, { shippingMinor: 6_000n, taxMinor: 5_000n })];
      expect(amounts(periodEntitlements(facts(t, os)))).toEqual({
        "period:2026-11:tier-adjustment": 75_150n - 50_100n,
      });
    });
  });

  describe("tiered revenue share on conversions", () => {
    const conversionTiers: Tier[] = [
      { from: 0n, percent: "10" },
      { from: 2n, percent: "20" },
    ];
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 0, minute));

    it("marginal: the n-th order (0-based, by placement) earns the tier whose `from` ≤ n", () => {
      const os = [
        order(10_000n, { orderId: "c", placedAt: at(3) }),
        order(30_000n, { orderId: "a", placedAt: at(1) }),
        order(50_000n, { orderId: "b", placedAt: at(2) }),
      ];
      const t = terms([tiered("CONVERSIONS", "MARGINAL", conversionTiers)]);
      const entitlements = periodEntitlements(facts(t, os));
      // a and b (1st and 2nd) at 10%, c (3rd) at 20%: top-up is 10% of c's $100.
      expect(amounts(entitlements)).toEqual({ "period:2026-11:tier-adjustment": 1_000n });
      expect(entitlements[0]!.reason).toBe(
        "Tier 2 (20.00% from 2 conversions) reached in 2026-11: top-up on 3 conversions ($900.00 revenue), marginal tiered total $100.00",
      );
    });

    it("marginal: orders placed at the same instant are ordered by id", () => {
      const os = [
        order(10_000n, { orderId: "z", placedAt: at(1) }),
        order(20_000n, { orderId: "y", placedAt: at(1) }),
        order(30_000n, { orderId: "x", placedAt: at(1) }),
      ];
      const t = terms([tiered("CONVERSIONS", "MARGINAL", conversionTiers)]);
      // x, y at 10%; z (the third) at 20%.
      expect(amounts(periodEntitlements(facts(t, os)))).toEqual({ "period:2026-11:tier-adjustment": 1_000n });
    });

    it("retroactive: every order earns the tier the period's count reached", () => {
      const os = [order(10_000n), order(30_000n), order(50_000n)];
      const t = terms([tiered("CONVERSIONS", "RETROACTIVE", conversionTiers)]);
      expect(amounts(periodEntitlements(facts(t, os)))).toEqual({ "period:2026-11:tier-adjustment": 9_000n });
    });

    it("at the boundary: exactly `from` conversions reach the tier retroactively; marginally, no order is past it yet", () => {
      const os = [order(10_000n), order(30_000n)];
      expect(
        amounts(periodEntitlements(facts(terms([tiered("CONVERSIONS", "RETROACTIVE", conversionTiers)]), os))),
      ).toEqual({
        "period:2026-11:tier-adjustment": 4_000n,
      });
      expect(periodEntitlements(facts(terms([tiered("CONVERSIONS", "MARGINAL", conversionTiers)]), os))).toEqual([]);
    });

    it("does not count cancelled orders as conversions", () => {
      const os = [order(10_000n), order(30_000n, { cancelled: true })];
      expect(periodEntitlements(facts(terms([tiered("CONVERSIONS", "RETROACTIVE", conversionTiers)]), os))).toEqual([]);
    });
  });

  describe("performance bonus", () => {
    const bonus = (metric: "REVENUE" | "CONVERSIONS", threshold: bigint): Component => ({
      kind: "PERFORMANCE_BONUS",
      metric,
      threshold,
      amountMinor: 25_000n,
    });

    it("pays when the period's revenue reaches the threshold, exactly included", () => {
      expect(
        periodEntitlements(facts(terms([bonus("REVENUE", 1_000_000n)]), [order(600_000n), order(400_000n)])),
      ).toEqual([
        {
          sourceKey: "period:2026-11:bonus",
          kind: "BONUS",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 25_000n,
          reason: "Performance bonus for 2026-11: $10,000.00 revenue reached the $10,000.00 threshold",
        },
      ]);
      expect(periodEntitlements(facts(terms([bonus("REVENUE", 1_000_000n)]), [order(999_999n)]))).toEqual([]);
    });

    it("pays on conversions, not counting cancelled orders", () => {
      const t = terms([bonus("CONVERSIONS", 2n)]);
      expect(periodEntitlements(facts(t, [order(1n), order(1n)]))[0]!.reason).toBe(
        "Performance bonus for 2026-11: 2 conversions reached the threshold of 2 conversions",
      );
      expect(periodEntitlements(facts(t, [order(1n), order(1n, { cancelled: true })]))).toEqual([]);
    });
  });

  describe("cap on performance pay", () => {
    const share: Component = { kind: "REVENUE_SHARE", percent: "10", overrides: [] };

    it("brings performance pay down to the cap", () => {
      const t = terms([share], { capPerPeriodMinor: 50_000n });
      expect(periodEntitlements(facts(t, [order(400_000n), order(300_000n)]))).toEqual([
        {
          sourceKey: "period:2026-11:cap",
          kind: "CAP_ADJUSTMENT",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: -20_000n,
          reason: "Performance pay in 2026-11 capped at $500.00: $700.00 earned",
        },
      ]);
    });

    it("does nothing when performance pay is exactly at the cap or below", () => {
      expect(periodEntitlements(facts(terms([share], { capPerPeriodMinor: 70_000n }), [order(700_000n)]))).toEqual([]);
      expect(periodEntitlements(facts(terms([share], { capPerPeriodMinor: 70_001n }), [order(700_000n)]))).toEqual([]);
    });

    it("caps the tier top-up, the bonus and CPAs too, but not fixed pay", () => {
      const t = terms(
        [
          { kind: "RETAINER", monthlyMinor: 100_000n },
          { kind: "CPA", amountMinor: 1_000n, newCustomersOnly: false },
          tiered("REVENUE", "RETROACTIVE", revenueTiers),
          { kind: "PERFORMANCE_BONUS", metric: "CONVERSIONS", threshold: 1n, amountMinor: 5_000n },
        ],
        { capPerPeriodMinor: 80_000n },
      );
      // Orders: 10% of $6,000 + $10 CPA = $610; top-up to 15% = $300; bonus $50 → $960 of performance pay.
      expect(amounts(periodEntitlements(facts(t, [order(600_000n)])))).toEqual({
        "period:2026-11:retainer": 100_000n,
        "period:2026-11:tier-adjustment": 30_000n,
        "period:2026-11:bonus": 5_000n,
        "period:2026-11:cap": -16_000n,
      });
    });

    it("a zero cap takes all performance pay back", () => {
      expect(amounts(periodEntitlements(facts(terms([share], { capPerPeriodMinor: 0n }), [order(10_000n)])))).toEqual({
        "period:2026-11:cap": -1_000n,
      });
    });
  });

  describe("recoverable draw", () => {
    const share: Component = { kind: "REVENUE_SHARE", percent: "10", overrides: [] };
    const t = terms([share], { drawPerPeriodMinor: 100_000n });

    it("advances the shortfall when the period earns less than the draw", () => {
      const entitlements = periodEntitlements(facts(t, [order(300_000n)]));
      expect(entitlements).toEqual([
        {
          sourceKey: "period:2026-11:draw-advance",
          kind: "DRAW_ADVANCE",
          orderId: null,
          periodKey: "2026-11",
          amountMinor: 70_000n,
          reason: "Draw advance for 2026-11: $300.00 earned, topped up to the $1,000.00 draw",
        },
      ]);
      expect(drawOutstandingAfter(0n, entitlements)).toBe(70_000n);
    });

    it("advances the whole draw in a period with no earnings", () => {
      expect(amounts(periodEntitlements(facts(t, [])))).toEqual({ "period:2026-11:draw-advance": 100_000n });
    });

    it("recovers earlier advances from earnings above the draw, no more than is outstanding", () => {
      const partly = periodEntitlements(facts(t, [order(1_300_000n)], { drawOutstandingBefore: 70_000n }));
      expect(partly).toEqual([
        expect.objectContaining({
          sourceKey: "period:2026-11:draw-recovery",
          kind: "DRAW_RECOVERY",
          amountMinor: -30_000n,
          reason:
            "Recovers $300.00 of $700.00 draw advanced before 2026-11: $1,300.00 earned in 2026-11, above the $1,000.00 draw",
        }),
      ]);
      expect(drawOutstandingAfter(70_000n, partly)).toBe(40_000n);

      const fully = periodEntitlements(facts(t, [order(5_000_000n)], { drawOutstandingBefore: 70_000n }));
      expect(amounts(fully)).toEqual({ "period:2026-11:draw-recovery": -70_000n });
      expect(drawOutstandingAfter(70_000n, fully)).toBe(0n);
    });

    it("does nothing when the period earns the draw exactly, or more with nothing outstanding", () => {
      expect(periodEntitlements(facts(t, [order(1_000_000n)], { drawOutstandingBefore: 50_000n }))).toEqual([]);
      expect(periodEntitlements(facts(t, [order(2_000_000n)]))).toEqual([]);
    });

    it("counts fixed pay and the capped performance pay as earnings", () => {
      const capped = terms([{ kind: "BASE_FEE", monthlyMinor: 20_000n }, share], {
        capPerPeriodMinor: 50_000n,
        drawPerPeriodMinor: 100_000n,
      });
      // Orders $900 capped to $500, plus the $200 base fee = $700 earned: $300 advanced.
      expect(amounts(periodEntitlements(facts(capped, [order(9_000_000n / 10n)])))).toEqual({
        "period:2026-11:base-fee": 20_000n,
        "period:2026-11:cap": -40_000n,
        "period:2026-11:draw-advance": 30_000n,
      });
    });

    it("advances, then recovers across periods, and the outstanding draw follows", () => {
      const periods: [string, bigint][] = [
        ["2026-09", 200_000n], // earns $200: advance $800
        ["2026-10", 600_000n], // earns $600: advance $400 (outstanding $1,200)
        ["2026-11", 1_500_000n], // earns $1,500: recover $500 (outstanding $700)
        ["2026-12", 2_500_000n], // earns $2,500: recover $700 of the $1,500 above the draw
        ["2027-01", 3_000_000n], // nothing outstanding: nothing to do
      ];
      let outstanding = 0n;
      const history: Record<string, bigint>[] = [];
      for (const [periodKey, net] of periods) {
        const entitlements = periodEntitlements(
          facts(t, [order(net)], { periodKey, drawOutstandingBefore: outstanding }),
        );
        history.push(amounts(entitlements));
        outstanding = drawOutstandingAfter(outstanding, entitlements);
      }
      expect(history).toEqual([
        { "period:2026-09:draw-advance": 80_000n },
        { "period:2026-10:draw-advance": 40_000n },
        { "period:2026-11:draw-recovery": -50_000n },
        { "period:2026-12:draw-recovery": -70_000n },
        {},
      ]);
      expect(outstanding).toBe(0n);
    });

    it("keeps recovering outstanding advances after the contract drops its draw", () => {
      const noDraw = terms([share]);
      const entitlements = periodEntitlements(facts(noDraw, [order(200_000n)], { drawOutstandingBefore: 50_000n }));
      expect(entitlements).toEqual([
        expect.objectContaining({
          amountMinor: -20_000n,
          reason:
            "Recovers $200.00 of $500.00 draw advanced before 2026-11: $200.00 earned in 2026-11, after the draw ended",
        }),
      ]);
    });
  });

  it("combines a retainer, a bonus and fixed pay in one period (retainer + performance bonus)", () => {
    const t = terms([
      { kind: "RETAINER", monthlyMinor: 150_000n },
      { kind: "PERFORMANCE_BONUS", metric: "REVENUE", threshold: 500_000n, amountMinor: 50_000n },
    ]);
    expect(amounts(periodEntitlements(facts(t, [order(600_000n)])))).toEqual({
      "period:2026-11:retainer": 150_000n,
      "period:2026-11:bonus": 50_000n,
    });
  });
});
