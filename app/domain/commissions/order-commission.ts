import { formatMoney } from "../money";
import { revenueShareCommission } from "./revenue-share";

export interface OrderCommissionFacts {
  orderId: string;
  orderName: string;
  currencyCode: string;
  netMerchandiseMinor: bigint;
  cancelled: boolean;
  creatorId: string | null;
  /** The creator's contract in force when the order was placed. */
  contract: { revenueSharePercent: string } | null;
}

export interface ExpectedCommission {
  creatorId: string;
  amountMinor: bigint;
  reason: string;
}

export interface PostedEntry {
  creatorId: string;
  amountMinor: bigint;
}

export type LedgerEntryKind = "COMMISSION" | "REVERSAL";

export interface PlannedLedgerEntry {
  creatorId: string;
  orderId: string;
  kind: LedgerEntryKind;
  amountMinor: bigint;
  idempotencyKey: string;
  reason: string;
}

/** What the order should have earned its creator, given the facts as they are now. */
export function expectedOrderCommission(facts: OrderCommissionFacts): ExpectedCommission | null {
  if (facts.creatorId === null || facts.contract === null || facts.cancelled) return null;
  const amountMinor = revenueShareCommission(facts.netMerchandiseMinor, facts.contract.revenueSharePercent);
  if (amountMinor === 0n) return null;
  const net = formatMoney(facts.netMerchandiseMinor, facts.currencyCode);
  return {
    creatorId: facts.creatorId,
    amountMinor,
    reason: `${facts.contract.revenueSharePercent}% revenue share of ${net} net merchandise on order ${facts.orderName}`,
  };
}

/**
 * Brings the ledger in line with the expected commission by appending entries only: when a creator's posted
 * total differs from what is expected, the total is reversed and the expected amount posted anew. Keys number
 * each (order, creator) entry, so a replay proposes keys that already exist and a concurrent writer collides.
 */
export function planOrderLedgerEntries(
  facts: OrderCommissionFacts,
  posted: readonly PostedEntry[],
): PlannedLedgerEntry[] {
  const expected = expectedOrderCommission(facts);
  const creatorIds = new Set(posted.map((entry) => entry.creatorId));
  if (expected) creatorIds.add(expected.creatorId);

  const planned: PlannedLedgerEntry[] = [];
  for (const creatorId of [...creatorIds].sort()) {
    const entries = posted.filter((entry) => entry.creatorId === creatorId);
    const postedTotal = entries.reduce((sum, entry) => sum + entry.amountMinor, 0n);
    const target = expected?.creatorId === creatorId ? expected.amountMinor : 0n;
    if (postedTotal === target) continue;

    let sequence = entries.length;
    const key = () => `order-${facts.orderId}-creator-${creatorId}-${sequence++}`;
    if (postedTotal !== 0n) {
      planned.push({
        creatorId,
        orderId: facts.orderId,
        kind: "REVERSAL",
        amountMinor: -postedTotal,
        idempotencyKey: key(),
        reason: `Reverses ${formatMoney(postedTotal, facts.currencyCode)} on order ${facts.orderName}: ${reversalCause(facts, creatorId)}`,
      });
    }
    if (target !== 0n && expected) {
      planned.push({
        creatorId,
        orderId: facts.orderId,
        kind: "COMMISSION",
        amountMinor: target,
        idempotencyKey: key(),
        reason: expected.reason,
      });
    }
  }
  return planned;
}

function reversalCause(facts: OrderCommissionFacts, creatorId: string): string {
  if (facts.cancelled) return "order cancelled";
  if (facts.creatorId === null) return "the order no longer carries a creator's code";
  if (facts.creatorId !== creatorId) return "the order is now attributed to another creator";
  return `net merchandise is now ${formatMoney(facts.netMerchandiseMinor, facts.currencyCode)}`;
}
