import { entryStatus, type LedgerFacts } from "./entry-status";

export type PayableSelection<T> =
  | { ok: true; entries: T[]; amountMinor: bigint }
  | { ok: false; reason: "NOTHING_PAYABLE"; entries: T[]; amountMinor: bigint };

/**
 * What a payout settles: every approved, unpaid entry, negative ones included, so a clawback of something
 * already paid reduces this payout. A payout moves money to the creator, so a total of zero or less pays
 * nothing; the entries stay unpaid and keep counting against what is earned next.
 */
export function selectPayable<T extends LedgerFacts>(entries: readonly T[], now: Date): PayableSelection<T> {
  const payable = entries.filter((entry) => entryStatus(entry, now) === "APPROVED");
  const amountMinor = payable.reduce((sum, entry) => sum + entry.amountMinor, 0n);
  if (payable.length === 0 || amountMinor <= 0n) return { ok: false, reason: "NOTHING_PAYABLE", entries: payable, amountMinor };
  return { ok: true, entries: payable, amountMinor };
}
