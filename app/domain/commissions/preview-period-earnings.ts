import type { CommissionOrder, Deliverable, Entitlement, LedgerEntryKind } from "./commission-facts";
import type { ContractTerms } from "./contract-terms";
import { orderEntitlements, orderRevenueMinor } from "./order-entitlements";
import { periodEntitlements } from "./period-entitlements";

export interface PeriodEarningsPreview {
  periodKey: string;
  /** Everything the period would have paid: order by order, then the period as a whole. */
  totalMinor: bigint;
  /** Per kind of ledger entry, in the order the engine posts them; kinds that earn nothing are left out. */
  byKind: { kind: LedgerEntryKind; amountMinor: bigint; entries: number }[];
  entitlements: Entitlement[];
  /** Orders that count (cancelled ones do not) and their revenue as the terms count it. */
  orders: number;
  revenueMinor: bigint;
  deliverables: number;
}

/**
 * What a creator would have earned in a period had these terms applied to all of it: each order's entitlements,
 * then the period's (fixed pay, tier top-up, bonus, cap, draw) on top, as the engine computes them. The preview
 * starts the period with no draw outstanding, so it shows an advance but never a recovery of an earlier one.
 */
export function previewPeriodEarnings(input: {
  periodKey: string;
  terms: ContractTerms;
  orders: readonly CommissionOrder[];
  deliverables: readonly Deliverable[];
  currencyCode: string;
}): PeriodEarningsPreview {
  const { periodKey, terms, currencyCode } = input;
  const orders = [...input.orders];
  const perOrder = orders.flatMap((order) => orderEntitlements(order, terms));
  const orderEntitlementTotal = perOrder.reduce((sum, entitlement) => sum + entitlement.amountMinor, 0n);
  const perPeriod = periodEntitlements({
    periodKey,
    terms,
    orders,
    orderEntitlementTotal,
    deliverables: [...input.deliverables],
    drawOutstandingBefore: 0n,
    currencyCode,
  });
  const entitlements = [...perOrder, ...perPeriod];

  const byKind = new Map<LedgerEntryKind, { amountMinor: bigint; entries: number }>();
  for (const entitlement of entitlements) {
    const kind = byKind.get(entitlement.kind) ?? { amountMinor: 0n, entries: 0 };
    byKind.set(entitlement.kind, { amountMinor: kind.amountMinor + entitlement.amountMinor, entries: kind.entries + 1 });
  }
  const liveOrders = orders.filter((order) => !order.cancelled);
  return {
    periodKey,
    totalMinor: entitlements.reduce((sum, entitlement) => sum + entitlement.amountMinor, 0n),
    byKind: [...byKind].map(([kind, totals]) => ({ kind, ...totals })),
    entitlements,
    orders: liveOrders.length,
    revenueMinor: liveOrders.reduce((sum, order) => sum + orderRevenueMinor(order, terms.revenueBasis), 0n),
    deliverables: input.deliverables.length,
  };
}
