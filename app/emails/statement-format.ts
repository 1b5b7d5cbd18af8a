import type { EntryStatus } from "~/domain/ledger/entry-status";
import { formatMoney } from "~/domain/money";
import type { Statement, StatementLine } from "~/domain/statements/build-statement";
import type { StatementDocument } from "~/domain/statements/statement-document";

/*
 * The words and figures every rendering of a statement shares (HTML, plain text, PDF, CSV), so that they all say
 * the same thing. Amounts in the creator's payout currency come first; the shop-currency amount the ledger holds is
 * shown beside them when the two currencies differ.
 */

export const STATUS_LABELS: Record<EntryStatus, string> = { PENDING: "Pending", APPROVED: "Approved", PAID: "Paid" };

export function converted(statement: Statement): boolean {
  return statement.payoutCurrency !== statement.shopCurrency;
}

export const money = (minor: bigint, currency: string) => formatMoney(minor, currency);

// Built once: an Intl.DateTimeFormat costs more to build than the dozens of dates a statement formats with it.
const DAY_LABEL = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "Nov 3, 2026" for "2026-11-03". */
export function dayLabel(date: string): string {
  return DAY_LABEL.format(new Date(`${date}T00:00:00Z`));
}

export function subject(document: StatementDocument): string {
  return `Your ${document.shopName} statement for ${document.periodLabel}`;
}

export function greeting(document: StatementDocument): string {
  return `Hi ${document.creatorName}, here is your statement from ${document.shopName} for ${document.periodLabel}.`;
}

/** How amounts were converted, or null when the creator is paid in the shop's currency. */
export function rateSentence(document: StatementDocument): string | null {
  const { statement } = document;
  if (!converted(statement)) return null;
  return (
    `Amounts are in ${statement.payoutCurrency}, converted from the shop's ${statement.shopCurrency} ledger at ` +
    `1 ${statement.shopCurrency} = ${statement.fxRate} ${statement.payoutCurrency}, the rate locked on this statement. ` +
    `Each amount is converted once and rounded to the nearest ${statement.payoutCurrency} minor unit; ` +
    `the ${statement.shopCurrency} amounts are shown beside them.`
  );
}

export interface SummaryRow {
  label: string;
  minor: bigint;
  shopMinor: bigint | null;
  emphasis?: boolean;
  /** Explained under the label. */
  note?: string;
}

/** Opening balance, one row per group, the rounding (if any), closing balance; then pending and approved. */
export function summaryRows(statement: Statement): { balance: SummaryRow[]; split: SummaryRow[] } {
  const balance: SummaryRow[] = [{ label: "Opening balance", minor: statement.opening.minor, shopMinor: statement.opening.shopMinor, emphasis: true }];
  for (const group of statement.groups) balance.push({ label: group.title, minor: group.subtotal.minor, shopMinor: group.subtotal.shopMinor });
  if (statement.roundingMinor !== 0n) {
    balance.push({
      label: "Currency rounding",
      minor: statement.roundingMinor,
      shopMinor: null,
      note: "Lines converted one by one differ from the converted balance by this much.",
    });
  }
  balance.push({ label: "Closing balance", minor: statement.closing.minor, shopMinor: statement.closing.shopMinor, emphasis: true });
  return {
    balance,
    split: [
      { label: "Pending", minor: statement.pending.minor, shopMinor: statement.pending.shopMinor, note: "Still in the return window at the end of the period" },
      { label: "Approved", minor: statement.approved.minor, shopMinor: statement.approved.shopMinor, note: "Payable at the end of the period" },
    ],
  };
}

/** "PayPal · PP-1 — you received €92.00 (1 USD = 0.92 EUR)". */
export function lineDetail(line: StatementLine, statement: Statement): string {
  if (!line.received) return line.description;
  const received = money(line.received.amountMinor, line.received.currency);
  const rate = line.received.currency !== statement.shopCurrency ? ` at 1 ${statement.shopCurrency} = ${line.received.fxRate} ${line.received.currency}` : "";
  return `${line.description}: you received ${received}${rate}`;
}
