import { daysOf, elapsedPart, inWindow, type DayWindow } from "~/domain/calendar-days";
import { inRegions } from "./regions";
import { bootstrapInterval, liftBasisPoints, poissonLogRatioInterval, type RatioInterval } from "./statistics";
import type { Cell, ExperimentDay, ExperimentPlan, ExperimentResult, Lift, RegionDay } from "./types";
import { experimentVerdict } from "./verdict";

interface Day {
  exposedOrders: number;
  exposedRevenueMinor: bigint;
  controlOrders: number;
  controlRevenueMinor: bigint;
}

/**
 * An experiment's result from the store's daily orders per shipping region (docs/experiments.md):
 * - geo split (difference in differences): exposed regions' test orders against what the control regions' change
 *   from baseline to test predicts for them: expected = control_test × exposed_baseline ÷ control_baseline;
 * - period holdout: the store's orders per day in the test window against its orders per day while the content was
 *   paused: expected = holdout orders × test days ÷ holdout days.
 * Only days before `today` count (today's orders are still coming in); revenue is measured the same way, with a
 * bootstrap interval over days.
 */
export function measureExperiment(plan: ExperimentPlan, rows: readonly RegionDay[], today: string): ExperimentResult {
  const geo = plan.design === "GEO_SPLIT";
  const running = plan.test.to >= today || plan.baseline.to >= today;
  const testDays = dayTotals(plan, rows, elapsedPart(plan.test, today));
  const baselineDays = dayTotals(plan, rows, elapsedPart(plan.baseline, today));
  const exposed = { test: cell(testDays, "exposed"), baseline: cell(baselineDays, "exposed") };
  const control = geo ? { test: cell(testDays, "control"), baseline: cell(baselineDays, "control") } : null;

  const orders = geo ? geoOrders(exposed, control!) : holdoutOrders(exposed);
  const revenue = geo ? geoRevenue(exposed, control!, testDays, baselineDays) : holdoutRevenue(exposed, testDays, baselineDays);
  const orderLift = toLift(orders.interval);

  const daily: ExperimentDay[] = [
    ...[...baselineDays].map(([day, values]) => chartDay(day, "baseline" as const, values, geo)),
    ...[...testDays].map(([day, values]) => chartDay(day, "test" as const, values, geo)),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  return {
    design: plan.design,
    running,
    exposed,
    control,
    expectedOrders: orders.expected === null ? null : Math.round(orders.expected),
    incrementalOrders: orders.expected === null ? null : Math.round(exposed.test.orders - orders.expected),
    orderLift,
    expectedRevenueMinor: revenue.expected,
    incrementalRevenueMinor: revenue.expected === null ? null : exposed.test.netRevenueMinor - revenue.expected,
    revenueLift: toLift(revenue.interval),
    verdict: experimentVerdict(running, orderLift),
    daily,
  };
}

/** Every elapsed day of the window (zero-filled), with the exposed and control groups' orders that day. */
function dayTotals(plan: ExperimentPlan, rows: readonly RegionDay[], window: DayWindow | null): Map<string, Day> {
  const days = new Map<string, Day>();
  if (!window) return days;
  for (const day of daysOf(window)) {
    days.set(day, { exposedOrders: 0, exposedRevenueMinor: 0n, controlOrders: 0, controlRevenueMinor: 0n });
  }
  for (const row of rows) {
    if (!inWindow(row.day, window)) continue;
    const totals = days.get(row.day)!;
    // A period holdout compares the whole store with itself, orders that ship nowhere included.
    if (plan.design === "PERIOD_HOLDOUT" || inRegions(row.region, plan.exposedRegions)) {
      totals.exposedOrders += row.orders;
      totals.exposedRevenueMinor += row.netRevenueMinor;
    } else if (inRegions(row.region, plan.controlRegions)) {
      totals.controlOrders += row.orders;
      totals.controlRevenueMinor += row.netRevenueMinor;
    }
  }
  return days;
}

function cell(days: Map<string, Day>, group: "exposed" | "control"): Cell {
  let orders = 0;
  let netRevenueMinor = 0n;
  for (const day of days.values()) {
    orders += group === "exposed" ? day.exposedOrders : day.controlOrders;
    netRevenueMinor += group === "exposed" ? day.exposedRevenueMinor : day.controlRevenueMinor;
  }
  return { orders, netRevenueMinor, days: days.size };
}

interface Cells {
  test: Cell;
  baseline: Cell;
}

function geoOrders(exposed: Cells, control: Cells) {
  const [a, b, c, d] = [exposed.test.orders, exposed.baseline.orders, control.test.orders, control.baseline.orders];
  const expected = d > 0 ? (c * b) / d : null;
  const interval = expected ? poissonLogRatioInterval(a / expected, [a, b, c, d]) : null;
  return { expected, interval };
}

function holdoutOrders(exposed: Cells) {
  const { test, baseline: holdout } = exposed;
  const expected = holdout.days > 0 && test.days > 0 ? (holdout.orders * test.days) / holdout.days : null;
  const interval = expected ? poissonLogRatioInterval(test.orders / expected, [test.orders, holdout.orders]) : null;
  return { expected, interval };
}

function geoRevenue(exposed: Cells, control: Cells, testDays: Map<string, Day>, baselineDays: Map<string, Day>) {
  const [b, c, d] = [exposed.baseline.netRevenueMinor, control.test.netRevenueMinor, control.baseline.netRevenueMinor];
  const expected = d > 0n ? divideRounded(c * b, d) : null;
  // Columns: exposed revenue, control revenue; windows: test, baseline. Ratio = (A·D) ÷ (B·C).
  const columns = (days: Map<string, Day>) =>
    [...days.values()].map((day) => [Number(day.exposedRevenueMinor), Number(day.controlRevenueMinor)]);
  const interval = bootstrapInterval([columns(testDays), columns(baselineDays)], ([test, baseline]) => {
    const [a, c2] = test!;
    const [b2, d2] = baseline!;
    return a! > 0 && b2! > 0 && c2! > 0 && d2! > 0 ? (a! * d2!) / (b2! * c2!) : null;
  });
  return { expected, interval };
}

function holdoutRevenue(exposed: Cells, testDays: Map<string, Day>, holdoutDays: Map<string, Day>) {
  const { test, baseline: holdout } = exposed;
  const expected =
    holdout.days > 0 && test.days > 0 ? divideRounded(holdout.netRevenueMinor * BigInt(test.days), BigInt(holdout.days)) : null;
  const columns = (days: Map<string, Day>) => [...days.values()].map((day) => [Number(day.exposedRevenueMinor)]);
  const interval = bootstrapInterval([columns(testDays), columns(holdoutDays)], ([inTest, inHoldout]) =>
    inTest![0]! > 0 && inHoldout![0]! > 0 ? (inTest![0]! / test.days) / (inHoldout![0]! / holdout.days) : null,
  );
  return { expected, interval };
}

function toLift(interval: RatioInterval | null): Lift | null {
  if (!interval) return null;
  return {
    basisPoints: liftBasisPoints(interval.ratio),
    lowerBasisPoints: liftBasisPoints(interval.lower),
    upperBasisPoints: liftBasisPoints(interval.upper),
  };
}

/** a ÷ b for positive b, rounded half away from zero (refunds can make a day's revenue negative). */
function divideRounded(a: bigint, b: bigint): bigint {
  return a < 0n ? -divideRounded(-a, b) : (a * 2n + b) / (b * 2n);
}

function chartDay(day: string, window: "baseline" | "test", values: Day, geo: boolean): ExperimentDay {
  return {
    day,
    window,
    exposedOrders: values.exposedOrders,
    exposedRevenueMinor: values.exposedRevenueMinor,
    controlOrders: geo ? values.controlOrders : null,
    controlRevenueMinor: geo ? values.controlRevenueMinor : null,
  };
}
