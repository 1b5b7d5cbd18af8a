/**
 * A creator's contract: what they earn, as a list of components. Each compensation model a merchant picks in the
 * admin is a preset of components (hybrid = base fee + revenue share; retainer + bonus = retainer + performance
 * bonus), so the engine handles every combination the same way.
 *
 * Amounts are integer minor units of the shop currency; percents are decimal strings with at most two decimals.
 */

export type DeliverableKind = "POST" | "VIDEO" | "STORY" | "REEL" | "LIVESTREAM";

/** What counts as revenue: net merchandise after discounts; shipping and taxes only when the contract says so. */
export interface RevenueBasis {
  includeShipping: boolean;
  includeTaxes: boolean;
}

/** A different rate for orders' lines of a product or a collection; the first matching override wins. */
export interface RateOverride {
  target: { type: "PRODUCT" | "COLLECTION"; gid: string; title: string };
  percent: string;
}

export interface Tier {
  /** Revenue (minor units) or conversions reached in the period from which the tier's rate applies; the first is 0. */
  from: bigint;
  percent: string;
}

export type Component =
  | { kind: "REVENUE_SHARE"; percent: string; overrides: RateOverride[] }
  | { kind: "CPA"; amountMinor: bigint; newCustomersOnly: boolean }
  | { kind: "TIERED_REVENUE_SHARE"; metric: "REVENUE" | "CONVERSIONS"; mode: "MARGINAL" | "RETROACTIVE"; tiers: Tier[] }
  | { kind: "FLAT_FEE"; feesMinor: Partial<Record<DeliverableKind, bigint>> }
  | { kind: "RETAINER"; monthlyMinor: bigint }
  | { kind: "BASE_FEE"; monthlyMinor: bigint }
  | {
      kind: "PERFORMANCE_BONUS";
      metric: "REVENUE" | "CONVERSIONS";
      /** Minor units for revenue, a count for conversions. */
      threshold: bigint;
      amountMinor: bigint;
    };

export interface ContractTerms {
  components: Component[];
  revenueBasis: RevenueBasis;
  /** Most performance pay (commissions, tier top-ups, bonuses) one period can earn; null for no cap. */
  capPerPeriodMinor: bigint | null;
  /** A recoverable draw: each period pays at least this much; shortfalls are advanced and recovered later. */
  drawPerPeriodMinor: bigint | null;
}

export interface ContractVersion {
  id: string;
  creatorId: string;
  /** Orders placed from this instant on earn under these terms (the first version also covers earlier orders). */
  effectiveFrom: Date;
  terms: ContractTerms;
}

/** The models the merchant chooses from; each is a preset of components. */
export type CompensationModel =
  | "FLAT_FEE"
  | "RETAINER"
  | "CPA"
  | "REVENUE_SHARE"
  | "TIERED"
  | "HYBRID"
  | "RETAINER_BONUS";

export const NO_EXTRAS = { capPerPeriodMinor: null, drawPerPeriodMinor: null } as const;
export const MERCHANDISE_ONLY: RevenueBasis = { includeShipping: false, includeTaxes: false };
