import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysOf, type DayWindow } from "~/domain/calendar-days";
import { measureExperiment } from "./measure-experiment";
import { bootstrapInterval, mulberry32, poissonLogRatioInterval } from "./statistics";
import type { ExperimentPlan, Lift, RegionDay } from "./types";
import { experimentVerdict, MEANINGFUL_LIFT_BASIS_POINTS } from "./verdict";

const BASELINE: DayWindow = { from: "2026-09-01", to: "2026-09-10" };
const TEST: DayWindow = { from: "2026-09-11", to: "2026-09-20" };
const AFTER = "2026-10-01";

const geo = (exposedRegions = ["US-CA"], controlRegions = ["US-NY"]): ExperimentPlan => ({
  design: "GEO_SPLIT",
  exposedRegions,
  controlRegions,
  test: TEST,
  baseline: BASELINE,
});

/** `total` orders of `revenueEach` spread over the window's days (the remainder on the first days). */
function spread(window: DayWindow, region: string, total: number, revenueEach = 5_000n): RegionDay[] {
  const days = daysOf(window);
  return days.map((day, index) => {
    const orders = Math.floor(total / days.length) + (index < total % days.length ? 1 : 0);
    return { day, region, orders, netRevenueMinor: BigInt(orders) * revenueEach };
  });
}

describe("geo split (difference in differences)", () => {
  it("expects the exposed regions to move as the control regions did, and calls the rest incremental", () => {
    // Both groups had 1000 orders before the test; control stayed at 1000, so CA was expected at 1000 and had 1200.
    const rows = [...spread(BASELINE, "US-CA", 1000), ...spread(TEST, "US-CA", 1200), ...spread(BASELINE, "US-NY", 1000), ...spread(TEST, "US-NY", 1000)];
    const result = measureExperiment(geo(), rows, AFTER);
    expect(result.exposed.test).toEqual({ orders: 1200, netRevenueMinor: 6_000_000n, days: 10 });
    expect(result.control!.baseline).toEqual({ orders: 1000, netRevenueMinor: 5_000_000n, days: 10 });
    expect(result.expectedOrders).toBe(1000);
    expect(result.incrementalOrders).toBe(200);
    // ln 1.2 ± 1.96·√(1/1200 + 3/1000), computed by hand.
    expect(result.orderLift).toEqual({ basisPoints: 2000, lowerBasisPoints: 629, upperBasisPoints: 3548 });
    expect(result.verdict).toBe("incremental");
    expect(result.expectedRevenueMinor).toBe(5_000_000n);
    expect(result.incrementalRevenueMinor).toBe(1_000_000n);
    expect(result.revenueLift!.basisPoints).toBe(2000);
  });

  it("is inconclusive when the same lift rests on too few orders", () => {
    const rows = [...spread(BASELINE, "US-CA", 100), ...spread(TEST, "US-CA", 120), ...spread(BASELINE, "US-NY", 100), ...spread(TEST, "US-NY", 100)];
    const result = measureExperiment(geo(), rows, AFTER);
    expect(result.orderLift).toEqual({ basisPoints: 2000, lowerBasisPoints: -1824, upperBasisPoints: 7613 });
    expect(result.verdict).toBe("inconclusive");
  });

  it("calls a creator not incremental when the exposed regions did no better than control", () => {
    const rows = [...spread(BASELINE, "US-CA", 2000), ...spread(TEST, "US-CA", 1900), ...spread(BASELINE, "US-NY", 2000), ...spread(TEST, "US-NY", 2000)];
    const result = measureExperiment(geo(), rows, AFTER);
    expect(result.orderLift!.basisPoints).toBe(-500);
    expect(result.orderLift!.upperBasisPoints).toBeLessThan(MEANINGFUL_LIFT_BASIS_POINTS);
    expect(result.incrementalOrders).toBe(-100);
    expect(result.verdict).toBe("not incremental");
  });

  it("counts a country's regions in its group, and neither group's orders elsewhere (or shipping nowhere)", () => {
    const rows: RegionDay[] = [
      ...spread(BASELINE, "US-CA", 10),
      ...spread(BASELINE, "US", 5),
      ...spread(BASELINE, "CA-ON", 7),
      ...spread(BASELINE, "", 50),
      ...spread(BASELINE, "DE", 50),
    ];
    const result = measureExperiment(geo(["US"], ["CA"]), rows, AFTER);
    expect(result.exposed.baseline.orders).toBe(15);
    expect(result.control!.baseline.orders).toBe(7);
  });

  it("waits for data while a group has no orders in a window (the interval is undefined)", () => {
    const rows = [...spread(BASELINE, "US-CA", 100), ...spread(TEST, "US-CA", 120), ...spread(TEST, "US-NY", 100)];
    const result = measureExperiment(geo(), rows, AFTER);
    expect(result.expectedOrders).toBeNull();
    expect(result.incrementalOrders).toBeNull();
    expect(result.orderLift).toBeNull();
    expect(result.revenueLift).toBeNull();
    expect(result.verdict).toBe("waiting for data");
  });

  it("gives no verdict while the test runs, and counts only the days before today", () => {
    const rows = [...spread(BASELINE, "US-CA", 100), ...spread(TEST, "US-CA", 120), ...spread(BASELINE, "US-NY", 100), ...spread(TEST, "US-NY", 100)];
    const today = addDays(TEST.from, 4);
    const result = measureExperiment(geo(), rows, today);
    expect(result.running).toBe(true);
    expect(result.verdict).toBe("running");
    expect(result.exposed.test).toEqual({ orders: 48, netRevenueMinor: 240_000n, days: 4 });
    expect(result.daily.map((day) => day.day)).toEqual([...daysOf(BASELINE), ...daysOf({ from: TEST.from, to: addDays(today, -1) })]);
    expect(measureExperiment(geo(), rows, TEST.to).verdict).toBe("running");
    expect(measureExperiment(geo(), rows, addDays(TEST.to, 1)).verdict).toBe("inconclusive");
  });

  it("charts every day of both windows, zero-filled, with both groups", () => {
    const result = measureExperiment(geo(), spread({ from: "2026-09-12", to: "2026-09-12" }, "US-NY", 3), AFTER);
    expect(result.daily).toHaveLength(20);
    expect(result.daily.find((day) => day.day === "2026-09-12")).toEqual({
      day: "2026-09-12",
      window: "test",
      exposedOrders: 0,
      exposedRevenueMinor: 0n,
      controlOrders: 3,
      controlRevenueMinor: 15_000n,
    });
  });
});

describe("period holdout", () => {
  const holdout: ExperimentPlan = {
    design: "PERIOD_HOLDOUT",
    exposedRegions: [],
    controlRegions: [],
    test: { from: "2026-09-11", to: "2026-10-10" },
    baseline: { from: "2026-08-22", to: "2026-09-10" },
  };

  it("compares orders per day with the content running and paused, across the whole store", () => {
    // 300 orders in 30 test days (10/day) against 140 in 20 holdout days (7/day).
    const rows = [...spread(holdout.test, "US-CA", 200), ...spread(holdout.test, "", 100), ...spread(holdout.baseline, "DE", 140)];
    const result = measureExperiment(holdout, rows, "2026-11-01");
    expect(result.control).toBeNull();
    expect(result.exposed.test).toMatchObject({ orders: 300, days: 30 });
    expect(result.exposed.baseline).toMatchObject({ orders: 140, days: 20 });
    expect(result.expectedOrders).toBe(210);
    expect(result.incrementalOrders).toBe(90);
    expect(result.orderLift).toEqual({ basisPoints: 4286, lowerBasisPoints: 1689, upperBasisPoints: 7459 });
    expect(result.expectedRevenueMinor).toBe(1_050_000n);
    expect(result.incrementalRevenueMinor).toBe(450_000n);
    expect(result.verdict).toBe("incremental");
    expect(result.daily.every((day) => day.controlOrders === null)).toBe(true);
  });

  it("runs until the later window is over (a holdout after the test)", () => {
    const after = { ...holdout, test: holdout.baseline, baseline: holdout.test };
    expect(measureExperiment(after, [], "2026-10-01").verdict).toBe("running");
    expect(measureExperiment(after, [], "2026-10-11").verdict).toBe("waiting for data");
  });
});

describe("verdict", () => {
  const lift = (lowerBasisPoints: number, upperBasisPoints: number): Lift => ({ basisPoints: 0, lowerBasisPoints, upperBasisPoints });
  it("follows the interval, as docs/experiments.md says", () => {
    expect(experimentVerdict(true, lift(100, 900))).toBe("running");
    expect(experimentVerdict(false, null)).toBe("waiting for data");
    expect(experimentVerdict(false, lift(1, 900))).toBe("incremental");
    expect(experimentVerdict(false, lift(1, 300))).toBe("incremental");
    expect(experimentVerdict(false, lift(0, 499))).toBe("not incremental");
    expect(experimentVerdict(false, lift(-3000, -100))).toBe("not incremental");
    expect(experimentVerdict(false, lift(0, 500))).toBe("inconclusive");
    expect(experimentVerdict(false, lift(-2000, 4000))).toBe("inconclusive");
  });
});

describe("statistics", () => {
  it("has no Poisson interval with a zero count", () => {
    expect(poissonLogRatioInterval(1, [3, 0])).toBeNull();
    expect(poissonLogRatioInterval(0, [3, 3])).toBeNull();
  });

  it("bootstraps the same interval every time for the same days (seeded)", () => {
    const random = mulberry32(7);
    const days = Array.from({ length: 30 }, () => [Math.floor(random() * 1000), Math.floor(random() * 1000)]);
    const ratio = ([window]: number[][]) => (window![1]! > 0 ? window![0]! / window![1]! : null);
    const first = bootstrapInterval([days], ratio);
    expect(first).toEqual(bootstrapInterval([days], ratio));
    expect(first!.lower).toBeLessThan(first!.ratio);
    expect(first!.upper).toBeGreaterThan(first!.ratio);
  });
});

// ----- properties ---------------------------------------------------------------------------------------------

const dailyCounts = fc.array(fc.nat({ max: 400 }), { minLength: 10, maxLength: 10 });
const revenueEach = fc.bigInt({ min: 1n, max: 50_000_00n });

function rowsOf(window: DayWindow, region: string, counts: number[], each: bigint): RegionDay[] {
  return daysOf(window).map((day, index) => ({ day, region, orders: counts[index]!, netRevenueMinor: BigInt(counts[index]!) * each }));
}

describe("properties", () => {
  const cells = fc.record({ a: dailyCounts, b: dailyCounts, c: dailyCounts, d: dailyCounts, each: revenueEach });
  const rowsFor = ({ a, b, c, d, each }: { a: number[]; b: number[]; c: number[]; d: number[]; each: bigint }) => [
    ...rowsOf(TEST, "US-CA", a, each),
    ...rowsOf(BASELINE, "US-CA", b, each),
    ...rowsOf(TEST, "US-NY", c, each),
    ...rowsOf(BASELINE, "US-NY", d, each),
  ];

  it("the interval holds the lift, and expected + incremental revenue is the exposed test revenue to the cent", () => {
    fc.assert(
      fc.property(cells, (input) => {
        const result = measureExperiment(geo(), rowsFor(input), AFTER);
        if (result.orderLift) {
          expect(result.orderLift.lowerBasisPoints).toBeLessThanOrEqual(result.orderLift.basisPoints);
          expect(result.orderLift.basisPoints).toBeLessThanOrEqual(result.orderLift.upperBasisPoints);
        }
        if (result.expectedRevenueMinor !== null) {
          expect(result.expectedRevenueMinor + result.incrementalRevenueMinor!).toBe(result.exposed.test.netRevenueMinor);
        }
        expect(result.daily.reduce((sum, day) => sum + day.exposedOrders, 0)).toBe(result.exposed.test.orders + result.exposed.baseline.orders);
      }),
      { numRuns: 60 },
    );
  });

  it("swapping exposed and control inverts the lift", () => {
    fc.assert(
      fc.property(cells, (input) => {
        const forward = measureExperiment(geo(), rowsFor(input), AFTER).orderLift;
        const backward = measureExperiment(geo(["US-NY"], ["US-CA"]), rowsFor(input), AFTER).orderLift;
        expect(backward === null).toBe(forward === null);
        if (forward && backward) {
          const product = (1 + forward.basisPoints / 10_000) * (1 + backward.basisPoints / 10_000);
          expect(product).toBeCloseTo(1, 3);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a group that moves exactly as control did has no lift, and no incremental orders or revenue", () => {
    fc.assert(
      fc.property(dailyCounts, dailyCounts, fc.integer({ min: 1, max: 5 }), revenueEach, (control, controlBaseline, factor, each) => {
        const rows = [
          ...rowsOf(TEST, "US-NY", control, each),
          ...rowsOf(BASELINE, "US-NY", controlBaseline, each),
          ...rowsOf(TEST, "US-CA", control.map((n) => n * factor), each),
          ...rowsOf(BASELINE, "US-CA", controlBaseline.map((n) => n * factor), each),
        ];
        const result = measureExperiment(geo(), rows, AFTER);
        if (!result.orderLift) return;
        expect(result.orderLift.basisPoints).toBe(0);
        expect(result.orderLift.lowerBasisPoints).toBeLessThan(0);
        expect(result.orderLift.upperBasisPoints).toBeGreaterThan(0);
        expect(result.incrementalOrders).toBe(0);
        expect(result.incrementalRevenueMinor).toBe(0n);
        expect(result.verdict).not.toBe("incremental");
      }),
      { numRuns: 60 },
    );
  });

  it("more orders at the same lift narrow the interval", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 500 }), fc.integer({ min: 5, max: 500 }), fc.integer({ min: 2, max: 10 }), (test, holdout, scale) => {
        const plan: ExperimentPlan = { design: "PERIOD_HOLDOUT", exposedRegions: [], controlRegions: [], test: TEST, baseline: BASELINE };
        const width = (n: number) => {
          const lift = measureExperiment(plan, [...spread(TEST, "US", test * n), ...spread(BASELINE, "US", holdout * n)], AFTER).orderLift!;
          return lift.upperBasisPoints - lift.lowerBasisPoints;
        };
        expect(width(scale)).toBeLessThanOrEqual(width(1));
      }),
      { numRuns: 60 },
    );
  });
});
