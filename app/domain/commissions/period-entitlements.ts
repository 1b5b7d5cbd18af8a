import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { formatMoney } from "../money";
import {
  deliverableSourceKey,
  formatPercent,
  periodSourceKey,
  type CommissionOrder,
  type Deliverable,
  type Entitlement,
  type LedgerEntryKind,
  type PeriodSource,
} from "./commission-facts";
import type { Component, ContractTerms, Tier } from "./contract-terms";
import { daysInForce, type TermsVersion } from "./days-in-force";
import { firstTierShareMinor, orderEntitlements, orderRevenueMinor } from "./order-entitlements";
import { payPeriodBounds } from "./pay-period";
import { percentToBasisPoints, roundedQuotient, roundedShare } from "./revenue-share";
import { versionInForce } from "./version-in-force";

type TieredRevenueShare = Extract<Component, { kind: "TIERED_REVENUE_SHARE" }>;
type PerformanceBonus = Extract<Component, { kind: "PERFORMANCE_BONUS" }>;

export interface PeriodFacts {
  /** "2026-11": periods are calendar months in the shop's timezone. */
  periodKey: string;
  /** The terms in force at the period's end: they set the tiers, the bonus, the cap and the draw. */
  terms: ContractTerms | null;
  /**
   * Every version of the creator's contract, sorted by effectiveFrom: monthly fixed pay follows the days each was
   * in force, a deliverable's fee the version in force when it was delivered. Defaults to `terms` for the whole
   * period (a preview of one set of terms).
   */
  versions?: readonly TermsVersion[];
  /** The creator's attributed orders placed in the period, cancelled ones included (they count for nothing). */
  orders: CommissionOrder[];
  /** Sum of orderEntitlements(...) for those orders: the performance pay already posted order by order. */
  orderEntitlementTotal: bigint;
  /**
   * What those orders earned at the first tier's rate under the terms each was placed under (their `tiered`
   * entitlements). Defaults to recomputing under `terms`, which is the same unless the contract changed mid-period.
   */
  orderTieredTotal?: bigint;
  /** Deliverables delivered in the period. */
  deliverables: Deliverable[];
  /**
   * Draw advances not yet recovered, from earlier periods: the ledger's total on earlier periods' draw-advance and
   * draw-recovery sources (reversals included), or the previous period's drawOutstandingAfter.
   */
  drawOutstandingBefore: bigint;
  currencyCode: string;
  /** The shop's IANA timezone, so that dates in reasons are the merchant's days (UTC when absent). */
  timezone?: string;
}

export interface CreatorPeriodFacts extends Pick<
  PeriodFacts,
  "periodKey" | "orders" | "deliverables" | "drawOutstandingBefore" | "currencyCode"
> {
  /** The creator's contract versions, sorted by effectiveFrom (ties: the one saved later last). */
  versions: readonly TermsVersion[];
  timezone: string;
}

/**
 * The period's pay for a creator whose contract has versions: each order earned under the version in force when it
 * was placed, and the period as a whole pays what periodEntitlements says under the version in force at its end.
 */
export function creatorPeriodEntitlements(facts: CreatorPeriodFacts): Entitlement[] {
  const termsAt = (at: Date) => versionInForce(facts.versions, at)?.terms ?? null;
  const { endExclusive } = payPeriodBounds(facts.periodKey, facts.timezone);
  const earnedByOrders = facts.orders.flatMap((order) => orderEntitlements(order, termsAt(order.placedAt)));
  return periodEntitlements({
    ...facts,
    terms: termsAt(new Date(endExclusive.getTime() - 1)),
    orderEntitlementTotal: sum(earnedByOrders),
    orderTieredTotal: sum(earnedByOrders.filter((entitlement) => entitlement.sourceKey.endsWith(":tiered"))),
  });
}

/**
 * What the creator is owed for the period as a whole, beyond what each order already earned: fixed pay
 * (retainer, base fee, flat fees per deliverable), the tier top-up, the performance bonus, the cap that limits
 * performance pay, and the recoverable draw. Recomputed from the period's facts whenever they change, like order
 * entitlements; reconcileEntries posts the difference.
 *
 * Order of operations: performance pay (orders + tier top-up + bonus) is capped first; the draw then compares
 * everything earned after the cap, fixed pay included, with the draw amount.
 */
export function periodEntitlements(input: PeriodFacts): Entitlement[] {
  const { terms, periodKey, currencyCode } = input;
  if (terms === null) return [];
  const money = (minor: bigint) => formatMoney(minor, currencyCode);
  const period = (source: PeriodSource, kind: LedgerEntryKind, amountMinor: bigint, reason: string): Entitlement => ({
    sourceKey: periodSourceKey(periodKey, source),
    kind,
    orderId: null,
    periodKey,
    amountMinor,
    reason,
  });

  const liveOrders = input.orders.filter((order) => !order.cancelled);
  const revenue = liveOrders.reduce((sum, order) => sum + orderRevenueMinor(order, terms.revenueBasis), 0n);
  const metrics: PeriodMetrics = { revenue, conversions: BigInt(liveOrders.length) };

  const versions = input.versions ?? [{ effectiveFrom: new Date(0), terms }];
  const timezone = input.timezone ?? "UTC";
  const fixedPay: Entitlement[] = [
    ...monthlyFixedPay(versions, periodKey, timezone, period, money),
    ...deliverableFees(versions, input.deliverables, periodKey, timezone, money),
  ];
  const performancePay: Entitlement[] = [];
  for (const component of terms.components) {
    switch (component.kind) {
      case "TIERED_REVENUE_SHARE": {
        const tiered = tieredTotal(component, liveOrders, terms, metrics);
        // What the orders already posted at the first tier's rate; the adjustment makes the sum exact.
        const postedFirstTier =
          input.orderTieredTotal ??
          liveOrders.reduce((total, order) => total + firstTierShareMinor(order, component, terms.revenueBasis), 0n);
        performancePay.push(
          period(
            "tier-adjustment",
            "TIER_ADJUSTMENT",
            tiered.totalMinor - postedFirstTier,
            tierReason(component, tiered, metrics, periodKey, money),
          ),
        );
        break;
      }
      case "PERFORMANCE_BONUS":
        if (metricValue(component.metric, metrics) >= component.threshold) {
          performancePay.push(
            period("bonus", "BONUS", component.amountMinor, bonusReason(component, metrics, periodKey, money)),
          );
        }
        break;
      case "REVENUE_SHARE":
      case "CPA":
        break; // earned order by order
      case "RETAINER":
      case "BASE_FEE":
      case "FLAT_FEE":
        break; // fixed pay, above
    }
  }

  const entitlements = [...fixedPay, ...performancePay];
  const performance = input.orderEntitlementTotal + sum(performancePay);
  const cap = terms.capPerPeriodMinor;
  if (cap !== null && performance > cap) {
    entitlements.push(
      period(
        "cap",
        "CAP_ADJUSTMENT",
        cap - performance,
        `Performance pay in ${periodKey} capped at ${money(cap)}: ${money(performance)} earned`,
      ),
    );
  }

  const earnings = input.orderEntitlementTotal + sum(entitlements);
  // A first contract that starts after the period covers its orders, but advances no draw for it.
  const { endExclusive } = payPeriodBounds(periodKey, timezone);
  const started = versions.some((version) => version.effectiveFrom < endExclusive);
  const draw = started ? terms.drawPerPeriodMinor : null;
  entitlements.push(...drawEntitlements(draw, earnings, input.drawOutstandingBefore, period, periodKey, money));
  return entitlements.filter((e) => e.amountMinor !== 0n);
}

const MONTHLY_FIXED_PAY = [
  { kind: "RETAINER", source: "retainer", label: "Monthly retainer" },
  { kind: "BASE_FEE", source: "base-fee", label: "Monthly base fee" },
] as const;

/**
 * Retainer and base fee for the period: the monthly amount of each version times the share of the period's days
 * it was in force, summed exactly and rounded once. A month under one version pays that version's amount.
 */
function monthlyFixedPay(
  versions: readonly TermsVersion[],
  periodKey: string,
  timezone: string,
  period: (source: PeriodSource, kind: LedgerEntryKind, amountMinor: bigint, reason: string) => Entitlement,
  money: (minor: bigint) => string,
): Entitlement[] {
  const { daysInPeriod, spans } = daysInForce(versions, periodKey, timezone);
  return MONTHLY_FIXED_PAY.flatMap(({ kind, source, label }) => {
    const paying = spans.flatMap((span) =>
      span.terms.components.flatMap((c) =>
        c.kind === kind && (c.kind === "RETAINER" || c.kind === "BASE_FEE") ? [{ ...span, monthlyMinor: c.monthlyMinor }] : [],
      ),
    );
    if (paying.length === 0) return [];
    const amountMinor = roundedQuotient(
      paying.reduce((total, span) => total + span.monthlyMinor * BigInt(span.days), 0n),
      BigInt(daysInPeriod),
    );
    const wholePeriod = paying.length === 1 && paying[0]!.days === daysInPeriod;
    const reason = wholePeriod
      ? `${label} for ${periodKey}: ${money(amountMinor)}`
      : `${label} for ${periodKey}, by days under contract: ` +
        paying
          .map((span) => `${money(span.monthlyMinor)} × ${span.days}/${daysInPeriod} days from ${periodKey}-${String(span.firstDay).padStart(2, "0")}`)
          .join(" + ") +
        ` = ${money(amountMinor)}`;
    return [period(source, kind, amountMinor, reason)];
  });
}

/** Each deliverable of the period earns the flat fee of the contract version in force when it was delivered. */
function deliverableFees(
  versions: readonly TermsVersion[],
  deliverables: readonly Deliverable[],
  periodKey: string,
  timezone: string,
  money: (minor: bigint) => string,
): Entitlement[] {
  return [...deliverables].sort(byDeliveryThenId).flatMap((deliverable) => {
    const flatFee = versionInForce(versions, deliverable.deliveredAt)?.terms.components.find((c) => c.kind === "FLAT_FEE");
    const fee = flatFee?.kind === "FLAT_FEE" ? flatFee.feesMinor[deliverable.kind] : undefined;
    if (fee === undefined) return [];
    return [
      {
        sourceKey: deliverableSourceKey(deliverable.id),
        kind: "FLAT_FEE" as const,
        orderId: null,
        periodKey,
        amountMinor: fee,
        reason:
          `${money(fee)} flat fee for ${deliverable.kind.toLowerCase()} “${deliverable.title}” ` +
          `delivered ${shopDay(deliverable.deliveredAt, timezone)}`,
      },
    ];
  });
}

/**
 * The draw still to recover after the period: what was outstanding, plus this period's advance, minus this
 * period's recovery (negative). Once these entitlements are posted the ledger tells the same story: the total on
 * all draw-advance and draw-recovery sources is the outstanding draw.
 */
export function drawOutstandingAfter(drawOutstandingBefore: bigint, entitlements: readonly Entitlement[]): bigint {
  return entitlements
    .filter((e) => e.kind === "DRAW_ADVANCE" || e.kind === "DRAW_RECOVERY")
    .reduce((outstanding, e) => outstanding + e.amountMinor, drawOutstandingBefore);
}

/**
 * A period that earns less than the draw is topped up to it (an advance); one that earns more gives the excess
 * back against earlier advances (a recovery) until none is outstanding. When a contract drops its draw, advances
 * still outstanding keep being recovered from earnings.
 */
function drawEntitlements(
  drawPerPeriodMinor: bigint | null,
  earnings: bigint,
  outstandingBefore: bigint,
  period: (source: PeriodSource, kind: LedgerEntryKind, amountMinor: bigint, reason: string) => Entitlement,
  periodKey: string,
  money: (minor: bigint) => string,
): Entitlement[] {
  const draw = drawPerPeriodMinor ?? 0n;
  if (earnings < draw) {
    return [
      period(
        "draw-advance",
        "DRAW_ADVANCE",
        draw - earnings,
        `Draw advance for ${periodKey}: ${money(earnings)} earned, topped up to the ${money(draw)} draw`,
      ),
    ];
  }
  const recovered = min(outstandingBefore, earnings - draw);
  if (recovered <= 0n) return [];
  const against = drawPerPeriodMinor === null ? "after the draw ended" : `above the ${money(draw)} draw`;
  return [
    period(
      "draw-recovery",
      "DRAW_RECOVERY",
      -recovered,
      `Recovers ${money(recovered)} of ${money(outstandingBefore)} draw advanced before ${periodKey}: ` +
        `${money(earnings)} earned in ${periodKey}, ${against}`,
    ),
  ];
}

interface PeriodMetrics {
  revenue: bigint;
  conversions: bigint;
}

interface TieredTotal {
  totalMinor: bigint;
  /** Index of the highest tier the period's metric reached. */
  reachedIndex: number;
}

/**
 * Marginal: each slice of revenue (or each order, by its place in the period) earns its own tier's rate.
 * Retroactive: all revenue earns the rate of the highest tier reached. Conversions count non-cancelled orders; the
 * order that is the n-th of the period (0-based, by placedAt then orderId) earns the tier whose `from` ≤ n, so a
 * tier from 10 pays from the 11th order on, as a revenue tier from $5,000 pays on revenue above $5,000. The exact
 * sum is rounded once, like any ledger entry.
 */
function tieredTotal(
  component: TieredRevenueShare,
  liveOrders: CommissionOrder[],
  terms: ContractTerms,
  metrics: PeriodMetrics,
): TieredTotal {
  const tiers = component.tiers;
  const rates = tiers.map((tier) => percentToBasisPoints(tier.percent));
  const reachedIndex = tierIndexAt(tiers, metricValue(component.metric, metrics));
  // Amounts times basis points: exact, in ten-thousandths of a minor unit; roundedShare(weighted, 1) divides by
  // 10 000 with the one rounding rule.
  let weighted = 0n;
  if (component.mode === "RETROACTIVE") {
    weighted = metrics.revenue * rates[reachedIndex]!;
  } else if (component.metric === "REVENUE") {
    tiers.forEach((tier, i) => {
      const next = tiers[i + 1]?.from;
      const above = metrics.revenue - tier.from;
      const slice = next === undefined ? above : min(above, next - tier.from);
      if (slice > 0n) weighted += slice * rates[i]!;
    });
  } else {
    [...liveOrders].sort(byPlacementThenId).forEach((order, n) => {
      weighted += orderRevenueMinor(order, terms.revenueBasis) * rates[tierIndexAt(tiers, BigInt(n))]!;
    });
  }
  return { totalMinor: roundedShare(weighted, 1n), reachedIndex };
}

/** The highest tier whose `from` the value has reached; the first tier (from 0) always applies. */
function tierIndexAt(tiers: readonly Tier[], value: bigint): number {
  let index = 0;
  tiers.forEach((tier, i) => {
    if (tier.from <= value) index = i;
  });
  return index;
}

function metricValue(metric: "REVENUE" | "CONVERSIONS", metrics: PeriodMetrics): bigint {
  return metric === "REVENUE" ? metrics.revenue : metrics.conversions;
}

function tierReason(
  component: TieredRevenueShare,
  tiered: TieredTotal,
  metrics: PeriodMetrics,
  periodKey: string,
  money: (minor: bigint) => string,
): string {
  const tier = component.tiers[tiered.reachedIndex]!;
  const from = component.metric === "REVENUE" ? money(tier.from) : conversions(tier.from);
  const label = `Tier ${tiered.reachedIndex + 1} (${formatPercent(tier.percent)} from ${from})`;
  const basis =
    component.metric === "REVENUE"
      ? `${money(metrics.revenue)} revenue`
      : `${conversions(metrics.conversions)} (${money(metrics.revenue)} revenue)`;
  const mode = component.mode === "MARGINAL" ? "marginal" : "retroactive";
  const total = `${mode} tiered total ${money(tiered.totalMinor)}`;
  return tiered.reachedIndex === 0
    ? `${label} in ${periodKey}: rounding correction on ${basis}, ${total}`
    : `${label} reached in ${periodKey}: top-up on ${basis}, ${total}`;
}

function bonusReason(
  component: PerformanceBonus,
  metrics: PeriodMetrics,
  periodKey: string,
  money: (minor: bigint) => string,
): string {
  const reached =
    component.metric === "REVENUE"
      ? `${money(metrics.revenue)} revenue reached the ${money(component.threshold)} threshold`
      : `${conversions(metrics.conversions)} reached the threshold of ${conversions(component.threshold)}`;
  return `Performance bonus for ${periodKey}: ${reached}`;
}

function conversions(count: bigint): string {
  return count === 1n ? "1 conversion" : `${count} conversions`;
}

function byPlacementThenId(a: CommissionOrder, b: CommissionOrder): number {
  return a.placedAt.getTime() - b.placedAt.getTime() || compareStrings(a.orderId, b.orderId);
}

function byDeliveryThenId(a: Deliverable, b: Deliverable): number {
  return a.deliveredAt.getTime() - b.deliveredAt.getTime() || compareStrings(a.id, b.id);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shopDay(date: Date, timezone: string): string {
  return format(new TZDate(date.getTime(), timezone), "yyyy-MM-dd");
}

function sum(entitlements: readonly Entitlement[]): bigint {
  return entitlements.reduce((total, e) => total + e.amountMinor, 0n);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
