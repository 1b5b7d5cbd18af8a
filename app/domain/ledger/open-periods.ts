import { payPeriodOf } from "../commissions/pay-period";

/**
 * A creator's pay period stays open until a payout settles any of its entries. Facts that change after the fact
 * (which products a collection holds, say) are applied to the orders of open periods only: a period that was paid
 * out keeps what it was paid.
 */
export function ordersInOpenPeriods<T extends { creatorId: string; processedAt: Date }>(
  orders: readonly T[],
  paidPeriods: readonly { creatorId: string; periodKey: string }[],
  timezone: string,
): T[] {
  const paid = new Set(paidPeriods.map((period) => `${period.creatorId}/${period.periodKey}`));
  return orders.filter((order) => !paid.has(`${order.creatorId}/${payPeriodOf(order.processedAt, timezone)}`));
}
