/**
 * A creator's daily rollups (CreatorDailyRollup) summed over a range of days: the raw facts every creator metric
 * is derived from. Money is signed integer minor units of the shop currency.
 */
export interface RollupTotals {
  clicks: number;
  /** Attributed, not cancelled, not rejected, not test orders processed in the range. */
  orders: number;
  netRevenueMinor: bigint;
  /** Customers whose first order was one of those orders: the customers the creator acquired. */
  newCustomers: number;
  newCustomerRevenueMinor: bigint;
  /** Ledger entries that count in the range (commissions, period pay, fees, reversals); payouts are not costs. */
  commissionMinor: bigint;
  /** CreatorCost flat fees incurred in the range. */
  feeMinor: bigint;
  /** CreatorCost product seeding incurred in the range. */
  seedingMinor: bigint;
  /**
   * The acquired cohort's value: for each window, only customers acquired at least that many days before today
   * count (a younger cohort has not had the time), with their net revenue within the window, first order included.
   */
  cohort: Record<CohortWindowDays, { customers: number; revenueMinor: bigint }>;
}

export const COHORT_WINDOWS_DAYS = [30, 90, 365] as const;
export type CohortWindowDays = (typeof COHORT_WINDOWS_DAYS)[number];

export function emptyRollupTotals(): RollupTotals {
  return {
    clicks: 0,
    orders: 0,
    netRevenueMinor: 0n,
    newCustomers: 0,
    newCustomerRevenueMinor: 0n,
    commissionMinor: 0n,
    feeMinor: 0n,
    seedingMinor: 0n,
    cohort: {
      30: { customers: 0, revenueMinor: 0n },
      90: { customers: 0, revenueMinor: 0n },
      365: { customers: 0, revenueMinor: 0n },
    },
  };
}

/** One day of a series (shop timezone, YYYY-MM-DD) for charts. */
export interface DailyPoint {
  day: string;
  clicks: number;
  orders: number;
  netRevenueMinor: bigint;
  newCustomers: number;
  /** commissions + fees + seeding that day. */
  costMinor: bigint;
}
