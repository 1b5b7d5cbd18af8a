import type { DayWindow } from "~/domain/calendar-days";

export type ExperimentDesign = "GEO_SPLIT" | "PERIOD_HOLDOUT";

/** What an experiment compares (docs/experiments.md). */
export interface ExperimentPlan {
  design: ExperimentDesign;
  /** Geo split: where the content ran / where it did not. Unused by a period holdout (the whole store is compared). */
  exposedRegions: readonly string[];
  controlRegions: readonly string[];
  /** The days the content ran. */
  test: DayWindow;
  /** Geo split: the pre-period both groups are compared over. Period holdout: the days the content was paused. */
  baseline: DayWindow;
}

/** One row of RegionDailyRollup: store-wide orders shipped to a region on a day ("" = ships nowhere). */
export interface RegionDay {
  day: string;
  region: string;
  orders: number;
  netRevenueMinor: bigint;
}

/** A group's orders over a window's elapsed days. */
export interface Cell {
  orders: number;
  netRevenueMinor: bigint;
  /** Days of the window counted (those before today). */
  days: number;
}

/** A lift (ratio − 1) and its 95% interval, in basis points: 2000 = +20%. */
export interface Lift {
  basisPoints: number;
  lowerBasisPoints: number;
  upperBasisPoints: number;
}

export const EXPERIMENT_VERDICTS = ["incremental", "not incremental", "inconclusive", "running", "waiting for data"] as const;
export type ExperimentVerdict = (typeof EXPERIMENT_VERDICTS)[number];

/** One day of the experiment for charts: the exposed group (the whole store in a holdout) and the control group. */
export interface ExperimentDay {
  day: string;
  window: "baseline" | "test";
  exposedOrders: number;
  exposedRevenueMinor: bigint;
  /** Null in a period holdout. */
  controlOrders: number | null;
  controlRevenueMinor: bigint | null;
}

export interface ExperimentResult {
  design: ExperimentDesign;
  /** The days counted are those before `today`: a test still running shows where it stands so far. */
  running: boolean;
  exposed: { test: Cell; baseline: Cell };
  /** Geo split only. */
  control: { test: Cell; baseline: Cell } | null;
  /** Orders the exposed group would have had in the test window without the content; null when undefined. */
  expectedOrders: number | null;
  incrementalOrders: number | null;
  orderLift: Lift | null;
  expectedRevenueMinor: bigint | null;
  incrementalRevenueMinor: bigint | null;
  revenueLift: Lift | null;
  verdict: ExperimentVerdict;
  daily: ExperimentDay[];
}

/** The latest experiment covering a creator, as the leaderboard and creator page show it. */
export interface ExperimentSummary {
  experimentId: string;
  name: string;
  design: ExperimentDesign;
  startsOn: string;
  endsOn: string;
  orderLift: Lift | null;
  incrementalOrders: number | null;
  incrementalRevenueMinor: bigint | null;
  verdict: ExperimentVerdict;
}
