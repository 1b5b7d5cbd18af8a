import { roundedQuotient } from "~/domain/commissions/revenue-share";
import { conversionRateBasisPoints } from "./conversion-rate";
import { COHORT_WINDOWS_DAYS, type CohortWindowDays, type RollupTotals } from "./rollup-totals";

/**
 * Everything the leaderboard, creator page and home dashboard show about a creator over a range, derived from the
 * range's rollup totals.
 *
 * Rounding rule: every quotient (money per order or per customer, a ratio in basis points, a number of days) is the
 * exact quotient rounded once to the nearest integer, halves away from zero — `roundedQuotient`, the rule ledger
 * entries use — so the same facts always show the same numbers and sorting never meets floating-point noise.
 *
 * A metric is `null` where it means nothing: a rate without clicks, an average without orders, a cost per customer
 * without new customers or without any (positive) cost, a return on no cost.
 */
export interface CreatorMetrics {
  clicks: number;
  orders: number;
  netRevenueMinor: bigint;
  newCustomers: number;
  commissionMinor: bigint;
  feeMinor: bigint;
  seedingMinor: bigint;
  /** Orders per click, basis points; null without clicks. */
  conversionRateBasisPoints: number | null;
  /** Average order value: net revenue ÷ orders; null without orders. */
  aovMinor: bigint | null;
  /** Commissions (ledger, reversals net out) + flat fees + product seeding. */
  totalCostMinor: bigint;
  /** Customer acquisition cost: total cost ÷ new customers; null without new customers or without a positive cost. */
  cacMinor: bigint | null;
  /** Return on spend: net revenue ÷ total cost, basis points (31 250 = 3.125×); null without a positive cost. */
  roasBasisPoints: number | null;
  /** Lifetime value of a customer the creator acquired, per window: cohort revenue ÷ matured customers. */
  ltvMinor: Record<CohortWindowDays, bigint | null>;
  /**
   * LTV ÷ CAC in basis points, on the longest window whose cohort has matured (365 days when it has), with that
   * window, so the page can say which LTV it compared; null without LTV or CAC.
   */
  ltvToCac: { basisPoints: number; windowDays: CohortWindowDays } | null;
  /**
   * Days until an acquired customer's cumulative revenue reaches CAC: interpolated linearly between day 0 (first-order
   * revenue per new customer) and the matured 30/90/365-day LTV points; 0 when the first order already pays for the
   * customer; null without CAC or when not reached within the matured windows (at most a year).
   */
  paybackDays: number | null;
}

export function deriveCreatorMetrics(totals: RollupTotals): CreatorMetrics {
  const totalCostMinor = totals.commissionMinor + totals.feeMinor + totals.seedingMinor;
  const hasCost = totalCostMinor > 0n;
  const cacMinor = hasCost && totals.newCustomers > 0 ? roundedQuotient(totalCostMinor, BigInt(totals.newCustomers)) : null;
  const ltvMinor = ltvByWindow(totals);
  return {
    clicks: totals.clicks,
    orders: totals.orders,
    netRevenueMinor: totals.netRevenueMinor,
    newCustomers: totals.newCustomers,
    commissionMinor: totals.commissionMinor,
    feeMinor: totals.feeMinor,
    seedingMinor: totals.seedingMinor,
    conversionRateBasisPoints: conversionRateBasisPoints(totals.orders, totals.clicks),
    aovMinor: totals.orders > 0 ? roundedQuotient(totals.netRevenueMinor, BigInt(totals.orders)) : null,
    totalCostMinor,
    cacMinor,
    roasBasisPoints: hasCost ? basisPoints(totals.netRevenueMinor, totalCostMinor) : null,
    ltvMinor,
    ltvToCac: cacMinor === null ? null : ltvToCac(ltvMinor, totalCostMinor, totals.newCustomers),
    paybackDays: paybackDays(totals, ltvMinor, cacMinor),
  };
}

function ltvByWindow(totals: RollupTotals): Record<CohortWindowDays, bigint | null> {
  const perCustomer = (window: CohortWindowDays) => {
    const { customers, revenueMinor } = totals.cohort[window];
    return customers > 0 ? roundedQuotient(revenueMinor, BigInt(customers)) : null;
  };
  return { 30: perCustomer(30), 90: perCustomer(90), 365: perCustomer(365) };
}

/** The longest window with an LTV: a cohort matured for 365 days has also matured for 90 and 30. */
export function longestMaturedWindow(ltvMinor: Record<CohortWindowDays, bigint | null>): CohortWindowDays | null {
  return [...COHORT_WINDOWS_DAYS].reverse().find((window) => ltvMinor[window] !== null) ?? null;
}

/** LTV ÷ (total cost ÷ new customers), dividing once by the exact CAC rather than by the rounded one. */
function ltvToCac(
  ltvMinor: Record<CohortWindowDays, bigint | null>,
  totalCostMinor: bigint,
  newCustomers: number,
): CreatorMetrics["ltvToCac"] {
  const windowDays = longestMaturedWindow(ltvMinor);
  if (windowDays === null) return null;
  return { basisPoints: basisPoints(ltvMinor[windowDays]! * BigInt(newCustomers), totalCostMinor), windowDays };
}

function paybackDays(
  totals: RollupTotals,
  ltvMinor: Record<CohortWindowDays, bigint | null>,
  cacMinor: bigint | null,
): number | null {
  if (cacMinor === null || totals.newCustomers === 0) return null;
  const firstOrderPerCustomer = roundedQuotient(totals.newCustomerRevenueMinor, BigInt(totals.newCustomers));
  const points: { day: number; revenueMinor: bigint }[] = [{ day: 0, revenueMinor: firstOrderPerCustomer }];
  for (const window of COHORT_WINDOWS_DAYS) {
    const ltv = ltvMinor[window];
    if (ltv !== null) points.push({ day: window, revenueMinor: ltv });
  }
  if (points[0]!.revenueMinor >= cacMinor) return 0;
  for (let index = 1; index < points.length; index += 1) {
    const before = points[index - 1]!;
    const after = points[index]!;
    // Cohorts of different maturity can make a later point lower; the curve only pays back where it crosses CAC upwards.
    if (before.revenueMinor < cacMinor && after.revenueMinor >= cacMinor) {
      const span = BigInt(after.day - before.day);
      const fraction = roundedQuotient((cacMinor - before.revenueMinor) * span, after.revenueMinor - before.revenueMinor);
      return before.day + Number(fraction);
    }
  }
  return null;
}

/** numerator ÷ denominator × 10 000, by the one rounding rule. */
function basisPoints(numerator: bigint, denominator: bigint): number {
  return Number(roundedQuotient(numerator * 10_000n, denominator));
}

/**
 * The change from the previous period, in basis points of the previous value (+1 250 = +12.5%), by the one rounding
 * rule; null when either side has no value or the previous value is zero (no percentage of nothing).
 */
export function metricChange(current: bigint | number | null, previous: bigint | number | null): number | null {
  if (current === null || previous === null) return null;
  const now = BigInt(current);
  const before = BigInt(previous);
  if (before === 0n) return null;
  const magnitude = before < 0n ? -before : before;
  return Number(roundedQuotient((now - before) * 10_000n, magnitude));
}

/**
 * The metrics a creator can be ranked and sorted by, and which way is better: less CAC and a shorter payback are
 * better, more of everything else is.
 */
export const CREATOR_METRIC_KEYS = [
  "clicks",
  "orders",
  "conversionRate",
  "netRevenue",
  "aov",
  "newCustomers",
  "commission",
  "totalCost",
  "cac",
  "roas",
  "ltv30",
  "ltv90",
  "ltv365",
  "ltvToCac",
  "paybackDays",
] as const;
export type CreatorMetricKey = (typeof CREATOR_METRIC_KEYS)[number];

export const LOWER_IS_BETTER: ReadonlySet<CreatorMetricKey> = new Set(["cac", "paybackDays", "totalCost", "commission"]);

export function creatorMetricValue(metrics: CreatorMetrics, key: CreatorMetricKey): bigint | number | null {
  switch (key) {
    case "clicks":
      return metrics.clicks;
    case "orders":
      return metrics.orders;
    case "conversionRate":
      return metrics.conversionRateBasisPoints;
    case "netRevenue":
      return metrics.netRevenueMinor;
    case "aov":
      return metrics.aovMinor;
    case "newCustomers":
      return metrics.newCustomers;
    case "commission":
      return metrics.commissionMinor;
    case "totalCost":
      return metrics.totalCostMinor;
    case "cac":
      return metrics.cacMinor;
    case "roas":
      return metrics.roasBasisPoints;
    case "ltv30":
      return metrics.ltvMinor[30];
    case "ltv90":
      return metrics.ltvMinor[90];
    case "ltv365":
      return metrics.ltvMinor[365];
    case "ltvToCac":
      return metrics.ltvToCac?.basisPoints ?? null;
    case "paybackDays":
      return metrics.paybackDays;
  }
}

/** Compares two metric values ascending; both must be present. Mixed number/bigint compare exactly. */
export function compareMetricValues(a: bigint | number, b: bigint | number): number {
  return a === b ? 0 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The items in the top 20% by a metric: the best ceil(20% of the items that have a value), ties with the last of
 * them included. Items without a value are never marked, and neither is a "best" that is nothing to build on: zero
 * or less of a more-is-better metric (no revenue at all is not a top performer, however few creators sold).
 */
export function topFifth<Item>(
  items: readonly Item[],
  valueOf: (item: Item) => bigint | number | null,
  { lowerIsBetter = false }: { lowerIsBetter?: boolean } = {},
): Set<Item> {
  const valued = items.flatMap((item) => {
    const value = valueOf(item);
    return value === null ? [] : [{ item, value }];
  });
  if (valued.length === 0) return new Set();
  const better = (a: bigint | number, b: bigint | number) => (lowerIsBetter ? compareMetricValues(a, b) : compareMetricValues(b, a));
  const ranked = [...valued].sort((a, b) => better(a.value, b.value));
  const count = Math.ceil(valued.length / 5);
  const threshold = ranked[count - 1]!.value;
  return new Set(
    ranked
      .filter(({ value }) => better(value, threshold) <= 0)
      .filter(({ value }) => lowerIsBetter || value > 0)
      .map(({ item }) => item),
  );
}

/** Two ranges' or two creators' totals as one: every fact is a sum, cohorts included (customers and their revenue). */
export function addRollupTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  const cohort = (window: CohortWindowDays) => ({
    customers: a.cohort[window].customers + b.cohort[window].customers,
    revenueMinor: a.cohort[window].revenueMinor + b.cohort[window].revenueMinor,
  });
  return {
    clicks: a.clicks + b.clicks,
    orders: a.orders + b.orders,
    netRevenueMinor: a.netRevenueMinor + b.netRevenueMinor,
    newCustomers: a.newCustomers + b.newCustomers,
    newCustomerRevenueMinor: a.newCustomerRevenueMinor + b.newCustomerRevenueMinor,
    commissionMinor: a.commissionMinor + b.commissionMinor,
    feeMinor: a.feeMinor + b.feeMinor,
    seedingMinor: a.seedingMinor + b.seedingMinor,
    cohort: { 30: cohort(30), 90: cohort(90), 365: cohort(365) },
  };
}
