/**
 * A ledger entry's lifecycle is derived, never stored: it is PAID once a payout settled it, otherwise APPROVED
 * (payable) once its hold has ended, otherwise PENDING. Balances are sums over entries by that status.
 * Amounts are signed integer minor units of the shop currency: reversals and clawbacks are negative entries.
 */

export const ENTRY_STATUSES = ["PENDING", "APPROVED", "PAID"] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface EntryLifecycleFacts {
  /** When the hold ends. */
  availableAt: Date;
  /** A payout settled the entry. */
  paid: boolean;
}

export interface LedgerFacts extends EntryLifecycleFacts {
  amountMinor: bigint;
}

/** The rule itself, for callers that already know whether the hold has ended (a database aggregate, say). */
export function statusOf(paid: boolean, holdEnded: boolean): EntryStatus {
  if (paid) return "PAID";
  return holdEnded ? "APPROVED" : "PENDING";
}

export function entryStatus(entry: EntryLifecycleFacts, now: Date): EntryStatus {
  return statusOf(entry.paid, entry.availableAt.getTime() <= now.getTime());
}

export interface LedgerBalances {
  /** Still in its hold (return window). */
  pendingMinor: bigint;
  /** Payable now: what the next payout would settle. */
  approvedMinor: bigint;
  /** Settled by payouts. */
  paidMinor: bigint;
  /** Everything ever earned, net of reversals: pending + approved + paid. */
  totalMinor: bigint;
}

export const ZERO_BALANCES: LedgerBalances = Object.freeze({
  pendingMinor: 0n,
  approvedMinor: 0n,
  paidMinor: 0n,
  totalMinor: 0n,
});

/** Sums per status; the input may be single entries or sums already grouped by status. */
export function balancesByStatus(amounts: Iterable<{ status: EntryStatus; amountMinor: bigint }>): LedgerBalances {
  let pendingMinor = 0n;
  let approvedMinor = 0n;
  let paidMinor = 0n;
  for (const { status, amountMinor } of amounts) {
    if (status === "PENDING") pendingMinor += amountMinor;
    else if (status === "APPROVED") approvedMinor += amountMinor;
    else paidMinor += amountMinor;
  }
  return { pendingMinor, approvedMinor, paidMinor, totalMinor: pendingMinor + approvedMinor + paidMinor };
}

export function ledgerBalances(entries: Iterable<LedgerFacts>, now: Date): LedgerBalances {
  const amounts: { status: EntryStatus; amountMinor: bigint }[] = [];
  for (const entry of entries) amounts.push({ status: entryStatus(entry, now), amountMinor: entry.amountMinor });
  return balancesByStatus(amounts);
}
