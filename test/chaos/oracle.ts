// What the ledger must hold once every event is in, recomputed from the store's final orders without the app's
// code: the creator is the one whose code is still on the order, revenue is the order's current merchandise
// subtotal (after discounts and refunds; this shop's prices exclude tax), a cancelled order earns nothing, shares
// are rounded once per order to the nearest cent (halves up), and a cap limits a creator's order pay per calendar
// month in the shop's timezone.
import type { SimOrder } from "../simulator/orders";
import type { ChaosCreator } from "./scenario";

export interface ExpectedLedger {
  /** Per order gid, per creator handle: the sum of the order's entries. */
  orders: Map<string, Map<string, bigint>>;
  /** Per "handle period": the sum of the period's own entries (cap adjustments). */
  periods: Map<string, bigint>;
  /** Per creator handle: everything. */
  creators: Map<string, bigint>;
}

export const orderGid = (order: Pick<SimOrder, "id">) => `gid://shopify/Order/${order.id}`;
export const periodEntryKey = (handle: string, periodKey: string) => `${handle} ${periodKey}`;

export function expectedLedger(orders: readonly SimOrder[], creators: readonly ChaosCreator[], timezone: string): ExpectedLedger {
  const byCode = new Map(creators.map((creator) => [creator.code, creator]));
  const expected: ExpectedLedger = { orders: new Map(), periods: new Map(), creators: new Map(creators.map((creator) => [creator.handle, 0n])) };
  const orderPayPerPeriod = new Map<string, bigint>();
  const add = (map: Map<string, bigint>, key: string, amount: bigint) => map.set(key, (map.get(key) ?? 0n) + amount);

  for (const order of orders) {
    // An order keeps its creator while it carries the code; the generator remembers the code as issued.
    const creator = order.discount && order.creatorCode ? byCode.get(order.creatorCode) : undefined;
    if (!creator || order.cancelledAt) continue;
    const amount = orderPay(order, creator);
    if (amount === 0n) continue;
    expected.orders.set(orderGid(order), new Map([[creator.handle, amount]]));
    add(expected.creators, creator.handle, amount);
    add(orderPayPerPeriod, periodEntryKey(creator.handle, monthIn(order.createdAt, timezone)), amount);
  }
  for (const creator of creators) {
    const cap = creator.contract.model === "REVENUE_SHARE" ? creator.contract.capPerPeriodMinor : null;
    if (cap === null) continue;
    for (const [key, earned] of orderPayPerPeriod) {
      if (!key.startsWith(`${creator.handle} `) || earned <= cap) continue;
      expected.periods.set(key, cap - earned);
      add(expected.creators, creator.handle, cap - earned);
    }
  }
  return expected;
}

function orderPay(order: SimOrder, creator: ChaosCreator): bigint {
  const contract = creator.contract;
  if (contract.model === "CPA") return contract.amountMinor;
  const net = order.lines.reduce((sum, line) => sum + line.priceMinor * line.quantity - line.discountMinor - line.refundedSubtotalMinor, 0);
  // Cents × basis points / 10 000, halves up (amounts are never negative here).
  return (BigInt(net) * contract.basisPoints * 2n + 10_000n) / 20_000n;
}

/** "2026-11": the calendar month the instant falls in, in the shop's timezone. */
export function monthIn(instant: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit" }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}`;
}
