import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CREATOR_METRIC_KEYS,
  addRollupTotals,
  LOWER_IS_BETTER,
  creatorMetricValue,
  deriveCreatorMetrics,
  metricChange,
  topFifth,
} from "./creator-metrics";
import { formatDays, formatLift, formatPercentChange, formatRatio } from "./format-metrics";
import { emptyRollupTotals, type RollupTotals } from "./rollup-totals";

function totals(overrides: Partial<RollupTotals>): RollupTotals {
  return { ...emptyRollupTotals(), ...overrides };
}

function cohort(c30: [number, bigint], c90: [number, bigint], c365: [number, bigint]): RollupTotals["cohort"] {
  return {
    30: { customers: c30[0], revenueMinor: c30[1] },
    90: { customers: c90[0], revenueMinor: c90[1] },
    365: { customers: c365[0], revenueMinor: c365[1] },
  };
}

describe("deriveCreatorMetrics", () => {
  it("gives nothing but zeros and nulls for a creator with no facts", () => {
    expect(deriveCreatorMetrics(emptyRollupTotals())).toEqual({
      clicks: 0,
      orders: 0,
      netRevenueMinor: 0n,
      newCustomers: 0,
      commissionMinor: 0n,
      feeMinor: 0n,
      seedingMinor: 0n,
      conversionRateBasisPoints: null,
      aovMinor: null,
      totalCostMinor: 0n,
      cacMinor: null,
      roasBasisPoints: null,
      ltvMinor: { 30: null, 90: null, 365: null },
      ltvToCac: null,
      paybackDays: null,
    });
  });

  it("derives every metric of a worked example", () => {
    // 200 clicks, 8 orders worth $1,000.00; 4 new customers whose first orders were $400.00; $150.00 commissions,
    // $50.00 fee, $40.00 of products seeded. Cohorts: 3 customers matured 30 days ($360), 2 matured 90 days ($300),
    // 1 matured a year ($250).
    const metrics = deriveCreatorMetrics(
      totals({
        clicks: 200,
        orders: 8,
        netRevenueMinor: 100_000n,
        newCustomers: 4,
        newCustomerRevenueMinor: 40_000n,
        commissionMinor: 15_000n,
        feeMinor: 5_000n,
        seedingMinor: 4_000n,
        cohort: cohort([3, 36_000n], [2, 30_000n], [1, 25_000n]),
      }),
    );
    expect(metrics.conversionRateBasisPoints).toBe(400);
    expect(metrics.aovMinor).toBe(12_500n);
    expect(metrics.totalCostMinor).toBe(24_000n);
    expect(metrics.cacMinor).toBe(6_000n);
    expect(metrics.roasBasisPoints).toBe(41_667); // 1000 / 240 = 4.1666…
    expect(metrics.ltvMinor).toEqual({ 30: 12_000n, 90: 15_000n, 365: 25_000n });
    expect(metrics.ltvToCac).toEqual({ basisPoints: 41_667, windowDays: 365 }); // 250 / 60
    // First order $100 per customer already covers the $60 CAC.
    expect(metrics.paybackDays).toBe(0);
  });

  it("interpolates payback between the matured LTV points", () => {
    // CAC $100; first order $40 per customer, $70 by day 30, $130 by day 90: $100 is reached half-way, day 60.
    const metrics = deriveCreatorMetrics(
      totals({
        orders: 2,
        netRevenueMinor: 8_000n,
        newCustomers: 2,
        newCustomerRevenueMinor: 8_000n,
        commissionMinor: 20_000n,
        cohort: cohort([2, 14_000n], [2, 26_000n], [0, 0n]),
      }),
    );
    expect(metrics.cacMinor).toBe(10_000n);
    expect(metrics.paybackDays).toBe(60);
    expect(metrics.ltvToCac).toEqual({ basisPoints: 13_000, windowDays: 90 });
  });

  it("has no payback when the matured windows never reach CAC, and none without cost", () => {
    const unpaid = deriveCreatorMetrics(
      totals({
        orders: 1,
        netRevenueMinor: 1_000n,
        newCustomers: 1,
        newCustomerRevenueMinor: 1_000n,
        feeMinor: 50_000n,
        cohort: cohort([1, 2_000n], [1, 3_000n], [1, 9_000n]),
      }),
    );
    expect(unpaid.paybackDays).toBeNull();
    const free = deriveCreatorMetrics(totals({ orders: 1, netRevenueMinor: 1_000n, newCustomers: 1, newCustomerRevenueMinor: 1_000n }));
    expect(free.cacMinor).toBeNull();
    expect(free.roasBasisPoints).toBeNull();
    expect(free.paybackDays).toBeNull();
  });

  it("treats costs reversed below zero as no cost", () => {
    const metrics = deriveCreatorMetrics(totals({ orders: 1, netRevenueMinor: 500n, newCustomers: 1, commissionMinor: -300n }));
    expect(metrics.totalCostMinor).toBe(-300n);
    expect(metrics.cacMinor).toBeNull();
    expect(metrics.roasBasisPoints).toBeNull();
  });

  const money = fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n });
  const positiveMoney = fc.bigInt({ min: 1n, max: 10_000_000_000n });
  const count = fc.integer({ min: 0, max: 1_000_000 });

  it("rounds every money quotient once, to the nearest minor unit", () => {
    fc.assert(
      fc.property(money, count, positiveMoney, count, (revenue, orders, cost, newCustomers) => {
        const metrics = deriveCreatorMetrics(
          totals({ netRevenueMinor: revenue, orders, commissionMinor: cost, newCustomers }),
        );
        expect(metrics.totalCostMinor).toBe(cost);
        if (orders === 0) expect(metrics.aovMinor).toBeNull();
        else {
          const error = metrics.aovMinor! * BigInt(orders) - revenue;
          expect(2n * (error < 0n ? -error : error) <= BigInt(orders)).toBe(true);
        }
        if (newCustomers === 0) expect(metrics.cacMinor).toBeNull();
        else {
          const error = metrics.cacMinor! * BigInt(newCustomers) - cost;
          expect(2n * (error < 0n ? -error : error) <= BigInt(newCustomers)).toBe(true);
        }
        const roasError = BigInt(metrics.roasBasisPoints!) * cost - revenue * 10_000n;
        expect(2n * (roasError < 0n ? -roasError : roasError) <= cost).toBe(true);
      }),
    );
  });

  it("sums commissions, fees and seeding into total cost exactly", () => {
    fc.assert(
      fc.property(money, money, money, (commission, fee, seeding) => {
        const metrics = deriveCreatorMetrics(totals({ commissionMinor: commission, feeMinor: fee, seedingMinor: seeding }));
        expect(metrics.totalCostMinor).toBe(commission + fee + seeding);
      }),
    );
  });

  // A cohort whose cumulative revenue per customer only grows with time, as one cohort's does.
  const growingCohort = fc
    .record({
      customers: fc.integer({ min: 1, max: 1_000 }),
      firstOrder: fc.bigInt({ min: 0n, max: 100_000n }),
      growth: fc.tuple(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 100_000n })),
    })
    .map(({ customers, firstOrder, growth: [g30, g90, g365] }) => {
      const n = BigInt(customers);
      const at30 = firstOrder + g30;
      return {
        customers,
        first: firstOrder * n,
        curve: cohort([customers, at30 * n], [customers, (at30 + g90) * n], [customers, (at30 + g90 + g365) * n]),
      };
    });

  it("pays back within a year or not at all, and never sooner for a higher cost", () => {
    fc.assert(
      fc.property(growingCohort, positiveMoney, positiveMoney, ({ customers, first, curve }, costA, costB) => {
        const payback = (cost: bigint) =>
          deriveCreatorMetrics(
            totals({ orders: customers, newCustomers: customers, newCustomerRevenueMinor: first, netRevenueMinor: first, feeMinor: cost, cohort: curve }),
          ).paybackDays;
        const [low, high] = costA <= costB ? [costA, costB] : [costB, costA];
        const lowDays = payback(low);
        const highDays = payback(high);
        for (const days of [lowDays, highDays]) {
          if (days !== null) expect(days >= 0 && days <= 365 && Number.isInteger(days)).toBe(true);
        }
        if (highDays !== null) expect(lowDays !== null && lowDays <= highDays).toBe(true);
      }),
    );
  });

  it("compares LTV with CAC on the longest matured window", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(30, 90, 365),
        fc.integer({ min: 1, max: 100 }),
        positiveMoney,
        (window, customers, cost) => {
          const matured = (days: number) => (days <= window ? ([customers, 5_000n * BigInt(days)] as [number, bigint]) : ([0, 0n] as [number, bigint]));
          const metrics = deriveCreatorMetrics(
            totals({ newCustomers: customers, feeMinor: cost, cohort: cohort(matured(30), matured(90), matured(365)) }),
          );
          expect(metrics.ltvToCac?.windowDays).toBe(window);
        },
      ),
    );
  });
});

describe("addRollupTotals", () => {
  const rollup = fc.record({
    clicks: fc.nat(1_000_000),
    orders: fc.nat(1_000_000),
    netRevenueMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    newCustomers: fc.nat(1_000_000),
    newCustomerRevenueMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    commissionMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    feeMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    seedingMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    cohort: fc.record({
      30: fc.record({ customers: fc.nat(1_000), revenueMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }) }),
      90: fc.record({ customers: fc.nat(1_000), revenueMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }) }),
      365: fc.record({ customers: fc.nat(1_000), revenueMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }) }),
    }),
  });

  it("is a sum: empty totals change nothing, the order of creators does not matter, no money is lost", () => {
    fc.assert(
      fc.property(rollup, rollup, rollup, (a, b, c) => {
        expect(addRollupTotals(a, emptyRollupTotals())).toEqual(a);
        expect(addRollupTotals(a, b)).toEqual(addRollupTotals(b, a));
        expect(addRollupTotals(addRollupTotals(a, b), c)).toEqual(addRollupTotals(a, addRollupTotals(b, c)));
        const sum = deriveCreatorMetrics(addRollupTotals(a, b));
        expect(sum.totalCostMinor).toBe(deriveCreatorMetrics(a).totalCostMinor + deriveCreatorMetrics(b).totalCostMinor);
        expect(sum.netRevenueMinor).toBe(a.netRevenueMinor + b.netRevenueMinor);
      }),
    );
  });
});

describe("metricChange", () => {
  it.each([
    [120, 100, 2_000],
    [80, 100, -2_000],
    [100, 100, 0],
    [5, 0, null],
    [null, 10, null],
    [10, null, null],
    [1n, 3n, -6_667],
    [-50n, -100n, 5_000],
  ] as const)("%s after %s → %s bp", (current, previous, expected) => {
    expect(metricChange(current, previous)).toBe(expected);
  });

  it("has the sign of the difference and recovers it from the previous value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -1_000_000_000n, max: 1_000_000_000n }), fc.bigInt({ min: 1n, max: 1_000_000_000n }), (current, previous) => {
        const change = metricChange(current, previous)!;
        expect(Math.sign(change) === 0 || Math.sign(change) === Number(current > previous) * 2 - 1).toBe(true);
        const error = BigInt(change) * previous - (current - previous) * 10_000n;
        expect(2n * (error < 0n ? -error : error) <= previous).toBe(true);
      }),
    );
  });
});

describe("topFifth", () => {
  const names = (set: Set<{ name: string }>) => [...set].map(({ name }) => name).sort();

  it("marks ceil(20%) of the creators with a value, ties included, never the ones without", () => {
    const rows = [
      { name: "a", value: 50 },
      { name: "b", value: 40 },
      { name: "c", value: 40 },
      { name: "d", value: 10 },
      { name: "e", value: 5 },
      { name: "f", value: 1 },
      { name: "g", value: null },
    ];
    // 6 valued → ceil(1.2) = 2: a and b, and c ties with b.
    expect(names(topFifth(rows, (row) => row.value))).toEqual(["a", "b", "c"]);
    expect(names(topFifth(rows, (row) => row.value, { lowerIsBetter: true }))).toEqual(["e", "f"]);
    expect(topFifth([{ name: "x", value: null }], (row) => row.value).size).toBe(0);
  });

  it("does not mark nothing as the best", () => {
    const rows = [{ name: "a", value: 0n }, { name: "b", value: 0n }, { name: "c", value: 0n }];
    expect(topFifth(rows, (row) => row.value).size).toBe(0);
  });

  it("marks at least a fifth of positive values, and every marked value beats every unmarked one", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }), { maxLength: 60 }), fc.boolean(), (values, lowerIsBetter) => {
        const rows = values.map((value, index) => ({ index, value }));
        const marked = topFifth(rows, (row) => row.value, { lowerIsBetter });
        const valued = rows.filter((row) => row.value !== null);
        expect(marked.size).toBeGreaterThanOrEqual(Math.ceil(valued.length / 5));
        for (const row of marked) expect(row.value).not.toBeNull();
        for (const inside of marked) {
          for (const outside of valued.filter((row) => !marked.has(row))) {
            expect(lowerIsBetter ? inside.value! < outside.value! : inside.value! > outside.value!).toBe(true);
          }
        }
      }),
    );
  });

  it("knows a value and a direction for every metric", () => {
    const metrics = deriveCreatorMetrics(totals({ clicks: 10, orders: 2, netRevenueMinor: 100n, newCustomers: 1, feeMinor: 10n }));
    for (const key of CREATOR_METRIC_KEYS) expect(creatorMetricValue(metrics, key) === undefined).toBe(false);
    expect([...LOWER_IS_BETTER].sort()).toEqual(["cac", "commission", "paybackDays", "totalCost"]);
  });
});

describe("formatting", () => {
  it.each([
    [null, "—"],
    [0, "0.00×"],
    [31_250, "3.13×"],
    [10_000, "1.00×"],
    [-5_050, "-0.51×"],
  ])("ratio %s → %s", (bp, text) => expect(formatRatio(bp)).toBe(text));

  it.each([
    [null, "—"],
    [0, "0.0%"],
    [4, "0.0%"],
    [1_250, "+12.5%"],
    [-400, "−4.0%"],
    [5, "+0.1%"],
  ])("change %s → %s", (bp, text) => expect(formatPercentChange(bp)).toBe(text));

  it.each([
    [null, "—"],
    [0, "0 days"],
    [1, "1 day"],
    [45, "45 days"],
  ])("days %s → %s", (days, text) => expect(formatDays(days)).toBe(text));

  it.each([
    [1_200, 400, 2_000, "+12% (±8)"],
    [-350, -1_370, 670, "−4% (±10)"],
    [0, -500, 500, "0% (±5)"],
    [-40, -90, 10, "0% (±1)"],
  ])("lift %s in [%s, %s] → %s", (basisPoints, lowerBasisPoints, upperBasisPoints, text) =>
    expect(formatLift({ basisPoints, lowerBasisPoints, upperBasisPoints })).toBe(text));
});
