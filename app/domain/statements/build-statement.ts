import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { payPeriodBounds } from "../commissions/pay-period";
import { LEDGER_KIND_LABELS } from "../ledger/entry-kind-labels";
import { statusOf, type EntryStatus } from "../ledger/entry-status";
import { convertToPayoutCurrency } from "../ledger/payout-fx";
import { statementCutoff, statementPeriodOf, type StatementCadence, type StatementPeriod } from "./statement-periods";

/*
 * A creator's statement for one period, from their ledger: the balance they started the period with, what was
 * posted and paid out during it, the balance they ended it with, and how much of that was still in its hold
 * (pending) or payable (approved) when the period ended.
 *
 * Which period an entry belongs to. Pay counts in the period of what it pays for — its order's date, the end of its
 * pay period, or its posting for anything else — when it was posted before that period's statements were due
 * (06:00 the next day, statementCutoff), or before the shop's statements began (its history, `historyCutoffAt`).
 * Posted later, it counts in the period it was posted in: a statement that was due never changes, so the next one
 * opens where it closed. A reversal records something that happened when it was posted (a refund, a cancellation,
 * an edit), so it counts when it was posted. Payouts count in the period they were recorded in (their paid-on date may be earlier),
 * which is never before the entries they settle.
 *
 * Money: the ledger's amounts are exact integer minor units of the shop currency, and every shop-currency figure
 * here is an exact sum of them. In the creator's payout currency, each shown amount — the opening balance, each
 * line, pending and approved — is converted once from its exact shop-currency amount at the rate locked on the
 * statement, rounded half away from zero like every ledger amount. Subtotals and the closing balance are sums of
 * shown amounts (closing = pending + approved). Converting line by line can leave the lines a few minor units away
 * from the converted closing balance: that difference is shown as its own "currency rounding" line, so the
 * statement adds up exactly as printed. It is zero whenever the creator is paid in the shop's currency.
 */

export const STATEMENT_ENTRY_KINDS = [
  "COMMISSION",
  "CPA",
  "TIER_ADJUSTMENT",
  "BONUS",
  "RETAINER",
  "BASE_FEE",
  "FLAT_FEE",
  "CAP_ADJUSTMENT",
  "DRAW_ADVANCE",
  "DRAW_RECOVERY",
  "ADJUSTMENT",
  "REVERSAL",
] as const;
export type StatementEntryKind = (typeof STATEMENT_ENTRY_KINDS)[number];

export const STATEMENT_LINE_GROUPS = ["COMMISSIONS", "PERIOD_PAY", "REVERSALS", "ADJUSTMENTS", "PAYOUTS"] as const;
export type StatementLineGroup = (typeof STATEMENT_LINE_GROUPS)[number];

export const STATEMENT_GROUP_TITLES: Record<StatementLineGroup, string> = {
  COMMISSIONS: "Commissions",
  PERIOD_PAY: "Period pay",
  REVERSALS: "Reversals and clawbacks",
  ADJUSTMENTS: "Adjustments",
  PAYOUTS: "Payouts",
};

const GROUP_OF: Record<StatementEntryKind, StatementLineGroup> = {
  COMMISSION: "COMMISSIONS",
  CPA: "COMMISSIONS",
  TIER_ADJUSTMENT: "PERIOD_PAY",
  BONUS: "PERIOD_PAY",
  RETAINER: "PERIOD_PAY",
  BASE_FEE: "PERIOD_PAY",
  FLAT_FEE: "PERIOD_PAY",
  CAP_ADJUSTMENT: "PERIOD_PAY",
  DRAW_ADVANCE: "PERIOD_PAY",
  DRAW_RECOVERY: "PERIOD_PAY",
  ADJUSTMENT: "ADJUSTMENTS",
  REVERSAL: "REVERSALS",
};

export const PAYOUT_METHOD_LABELS = { PAYPAL: "PayPal", BANK_TRANSFER: "Bank transfer", OTHER: "Other" } as const;
export type StatementPayoutMethod = keyof typeof PAYOUT_METHOD_LABELS;

/** A ledger entry as a statement needs it. No customer data: an order is its name and date. */
export interface StatementEntryFacts {
  id: string;
  kind: StatementEntryKind;
  /** Signed minor units of the shop currency. */
  amountMinor: bigint;
  /** Written for the creator (see ADJUSTMENT_REASON_MAX_LENGTH and the commission engine's reasons). */
  reason: string;
  /** When the entry was posted. */
  createdAt: Date;
  /** When its hold ends. */
  availableAt: Date;
  /** The order it pays for or reverses. */
  order: { name: string; processedAt: Date } | null;
  /** The monthly pay period ("2026-11") of pay that is owed per period. */
  periodKey: string | null;
  /** When the payout that settled it was recorded; null while it is unpaid. */
  settledAt: Date | null;
  /** For a reversal: it takes back pay that had already been paid out. */
  clawback: boolean;
}

export interface StatementPayoutFacts {
  id: string;
  /** What it settled, in shop-currency minor units (> 0). */
  amountMinor: bigint;
  /** When the merchant recorded it: the period it counts in. */
  createdAt: Date;
  /** The day the money was sent, as the merchant said. */
  paidAt: Date;
  method: StatementPayoutMethod;
  reference: string | null;
  /** What the creator received, at the payout's own locked rate. */
  payoutCurrency: string;
  payoutAmountMinor: bigint;
  fxRate: string;
}

/**
 * The ledger before the period, summed by the database: entries posted and payouts recorded before it started
 * (every one of them counts in an earlier period), and of those entries, the ones still unpaid when the period
 * ended, by whether their hold had ended by then.
 */
export interface CarriedLedger {
  entriesMinor: bigint;
  payoutsMinor: bigint;
  unpaidPendingAtEndMinor: bigint;
  unpaidApprovedAtEndMinor: bigint;
}

export const NOTHING_CARRIED: CarriedLedger = Object.freeze({
  entriesMinor: 0n,
  payoutsMinor: 0n,
  unpaidPendingAtEndMinor: 0n,
  unpaidApprovedAtEndMinor: 0n,
});

export interface StatementInput {
  period: StatementPeriod;
  timezone: string;
  shopCurrency: string;
  payoutCurrency: string;
  /** Shop currency → payout currency, exact decimal text; "1" when they are the same. */
  fxRate: string;
  /** Entries posted before this instant count in the period of what they pay for, however late. */
  historyCutoffAt: Date;
  carried?: CarriedLedger;
  /** Any of the creator's entries not in `carried`: each is placed in its period, and only this one's are used. */
  entries: readonly StatementEntryFacts[];
  /** Any of the creator's payouts not in `carried`. */
  payouts: readonly StatementPayoutFacts[];
}

/** An amount in the shop's currency (exact) and as shown in the payout currency. */
export interface StatementAmount {
  shopMinor: bigint;
  minor: bigint;
}

export interface StatementLine {
  group: StatementLineGroup;
  /** "Commission", "Clawback", "Payout"… */
  label: string;
  /**
   * yyyy-MM-dd in the shop's timezone: the order's date for an order's pay, the payout's paid-on date, else when the
   * entry counts (a month's pay posted late: the month's last day).
   */
  date: string;
  orderName: string | null;
  description: string;
  amount: StatementAmount;
  /** Where the entry stood when the period ended; null for payouts. */
  status: EntryStatus | null;
  /** For a payout: what the creator received, at the payout's own rate. */
  received: { amountMinor: bigint; currency: string; fxRate: string } | null;
}

export interface StatementGroup {
  group: StatementLineGroup;
  title: string;
  lines: StatementLine[];
  subtotal: StatementAmount;
}

export interface Statement {
  periodKey: string;
  cadence: StatementCadence;
  periodStart: Date;
  periodEnd: Date;
  shopCurrency: string;
  payoutCurrency: string;
  fxRate: string;
  opening: StatementAmount;
  /** The non-empty groups, in STATEMENT_LINE_GROUPS order. */
  groups: StatementGroup[];
  /** Payout-currency minor units that make the converted lines add up to the converted closing balance. */
  roundingMinor: bigint;
  closing: StatementAmount;
  /** Of the closing balance: still in the hold when the period ended. */
  pending: StatementAmount;
  /** Of the closing balance: payable when the period ended. */
  approved: StatementAmount;
  /** Something was posted or paid, or a balance was carried. */
  hasActivity: boolean;
}

export class StatementDoesNotReconcileError extends Error {
  constructor(closingMinor: bigint, unpaidMinor: bigint) {
    super(`The statement does not reconcile: closing balance ${closingMinor} but unpaid entries sum to ${unpaidMinor}`);
    this.name = "StatementDoesNotReconcileError";
  }
}

/** The instant that places an entry in a statement period (see the header). */
export function entryStatementInstant(
  entry: Pick<StatementEntryFacts, "kind" | "createdAt" | "order" | "periodKey">,
  cadence: StatementCadence,
  timezone: string,
  historyCutoffAt: Date,
): Date {
  if (entry.kind === "REVERSAL") return entry.createdAt;
  let paysFor = entry.createdAt;
  if (entry.order) paysFor = entry.order.processedAt;
  else if (entry.periodKey) paysFor = new Date(payPeriodBounds(entry.periodKey, timezone).endExclusive.getTime() - 1);
  // What is paid in advance (a month's retainer posted on its first day) counts when it was posted.
  if (paysFor >= entry.createdAt) return entry.createdAt;
  if (entry.createdAt < historyCutoffAt) return paysFor;
  const due = statementCutoff(statementPeriodOf(paysFor, cadence, timezone), timezone);
  return entry.createdAt < due ? paysFor : entry.createdAt;
}

function day(instant: Date, timezone: string): string {
  return format(new TZDate(instant.getTime(), timezone), "yyyy-MM-dd");
}

type Place = "BEFORE" | "DURING" | "AFTER";
function place(instant: Date, period: StatementPeriod): Place {
  if (instant < period.start) return "BEFORE";
  return instant < period.end ? "DURING" : "AFTER";
}

const byDateThenText = (a: StatementLine, b: StatementLine) =>
  a.date.localeCompare(b.date) ||
  (a.orderName ?? "").localeCompare(b.orderName ?? "") ||
  a.label.localeCompare(b.label) ||
  a.description.localeCompare(b.description) ||
  (a.amount.shopMinor < b.amount.shopMinor ? -1 : a.amount.shopMinor > b.amount.shopMinor ? 1 : 0);

export function buildStatement(input: StatementInput): Statement {
  const { period, timezone, shopCurrency, payoutCurrency, fxRate } = input;
  const carried = input.carried ?? NOTHING_CARRIED;
  const convert = (shopMinor: bigint): StatementAmount => ({
    shopMinor,
    minor: convertToPayoutCurrency(shopMinor, shopCurrency, payoutCurrency, fxRate),
  });

  let openingMinor = carried.entriesMinor - carried.payoutsMinor;
  let pendingMinor = carried.unpaidPendingAtEndMinor;
  let approvedMinor = carried.unpaidApprovedAtEndMinor;
  const lines: StatementLine[] = [];

  for (const entry of input.entries) {
    const instant = entryStatementInstant(entry, period.cadence, timezone, input.historyCutoffAt);
    const where = place(instant, period);
    if (where === "AFTER") continue;
    const paidByEnd = entry.settledAt !== null && entry.settledAt < period.end;
    const status = statusOf(paidByEnd, entry.availableAt <= period.end);
    if (status === "PENDING") pendingMinor += entry.amountMinor;
    if (status === "APPROVED") approvedMinor += entry.amountMinor;
    if (where === "BEFORE") {
      openingMinor += entry.amountMinor;
      continue;
    }
    lines.push({
      group: GROUP_OF[entry.kind],
      label: entry.kind === "REVERSAL" && entry.clawback ? "Clawback" : LEDGER_KIND_LABELS[entry.kind],
      date: day(entry.order && entry.kind !== "REVERSAL" ? entry.order.processedAt : instant, timezone),
      orderName: entry.order?.name ?? null,
      description: entry.reason,
      amount: convert(entry.amountMinor),
      status,
      received: null,
    });
  }

  for (const payout of input.payouts) {
    const where = place(payout.createdAt, period);
    if (where === "AFTER") continue;
    if (where === "BEFORE") {
      openingMinor -= payout.amountMinor;
      continue;
    }
    lines.push({
      group: "PAYOUTS",
      label: "Payout",
      date: day(payout.paidAt, timezone),
      orderName: null,
      description: [PAYOUT_METHOD_LABELS[payout.method], payout.reference].filter(Boolean).join(" · "),
      amount: convert(-payout.amountMinor),
      status: null,
      received: { amountMinor: payout.payoutAmountMinor, currency: payout.payoutCurrency, fxRate: payout.fxRate },
    });
  }

  const groups: StatementGroup[] = [];
  for (const group of STATEMENT_LINE_GROUPS) {
    const members = lines.filter((line) => line.group === group).sort(byDateThenText);
    if (members.length === 0) continue;
    const subtotal = members.reduce(
      (sum, line) => ({ shopMinor: sum.shopMinor + line.amount.shopMinor, minor: sum.minor + line.amount.minor }),
      { shopMinor: 0n, minor: 0n },
    );
    groups.push({ group, title: STATEMENT_GROUP_TITLES[group], lines: members, subtotal });
  }

  const movementsMinor = groups.reduce((sum, group) => sum + group.subtotal.shopMinor, 0n);
  const closingMinor = openingMinor + movementsMinor;
  // Payouts settle exactly their entries, so what is still owed is the unpaid entries: if not, the data is wrong.
  if (pendingMinor + approvedMinor !== closingMinor) throw new StatementDoesNotReconcileError(closingMinor, pendingMinor + approvedMinor);

  const opening = convert(openingMinor);
  const pending = convert(pendingMinor);
  const approved = convert(approvedMinor);
  const closing = { shopMinor: closingMinor, minor: pending.minor + approved.minor };
  const shownMovements = groups.reduce((sum, group) => sum + group.subtotal.minor, 0n);

  return {
    periodKey: period.key,
    cadence: period.cadence,
    periodStart: period.start,
    periodEnd: period.end,
    shopCurrency,
    payoutCurrency,
    fxRate,
    opening,
    groups,
    roundingMinor: closing.minor - opening.minor - shownMovements,
    closing,
    pending,
    approved,
    hasActivity: lines.length > 0 || openingMinor !== 0n,
  };
}
