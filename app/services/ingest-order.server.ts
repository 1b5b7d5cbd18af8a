import type { Prisma, Shop } from "@prisma/client";
import { attributeOrder, type Verdict } from "~/domain/attribution/attribute-order";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import type { OrderFacts } from "~/domain/orders/order-facts";
import { postOrderCommissions, type CreatorPeriodRef } from "./post-commissions.server";

export interface IngestedOrder {
  orderId: string;
  /** False when a newer version of the order was already stored: the incoming one was older news. */
  stored: boolean;
  verdict: Verdict;
  /** Pay periods whose period-level pay must be settled again. */
  changedPeriods: CreatorPeriodRef[];
}

/**
 * Upserts the order (the newest `updated_at` wins), attributes it from the stored facts and appends whatever
 * the ledger lacks. Runs inside the caller's transaction; an advisory lock per order serialises concurrent
 * deliveries of the same order, so each one sees the previous one's ledger.
 */
export async function ingestOrder(tx: Prisma.TransactionClient, shop: Shop, facts: OrderFacts): Promise<IngestedOrder> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop.id}/${facts.shopifyOrderGid}`}, 0))`;

  const existing = await tx.order.findUnique({
    where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
  });
  const stored = !existing || existing.shopifyUpdatedAt <= facts.updatedAt;
  const { updatedAt, lines, ...columns } = facts;
  const row = {
    ...columns,
    lines: lines.map((line) => ({ productGid: line.productGid, netMinor: line.netMinor.toString() })),
    shopifyUpdatedAt: updatedAt,
  };
  const order = stored
    ? await tx.order.upsert({
        where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
        create: { shopId: shop.id, ...row, newCustomer: await isNewCustomer(tx, shop.id, facts) },
        update: row,
      })
    : existing!;

  const codes = await tx.discountCode.findMany({
    where: { shopId: shop.id, normalizedCode: { in: order.discountCodes.map(normalizeDiscountCode) } },
    select: { creatorId: true, code: true },
  });
  const verdict = attributeOrder({ discountCodes: order.discountCodes }, codes);
  const attribution = {
    creatorId: verdict.creatorId,
    method: verdict.method,
    evidence: { rule: verdict.rule, signals: verdict.evidence } as unknown as Prisma.InputJsonObject,
  };
  await tx.attribution.upsert({
    where: { orderId: order.id },
    create: { shopId: shop.id, orderId: order.id, ...attribution },
    update: { ...attribution, decidedAt: new Date() },
  });

  const changedPeriods = await postOrderCommissions(tx, shop, order, verdict.creatorId, reversalCause(order, verdict));
  return { orderId: order.id, stored, verdict, changedPeriods };
}

/** The customer's first order with the shop as far as the app has seen; a guest checkout counts as new. */
async function isNewCustomer(tx: Prisma.TransactionClient, shopId: string, facts: OrderFacts): Promise<boolean> {
  if (!facts.customerGid) return true;
  const earlier = await tx.order.count({
    where: { shopId, customerGid: facts.customerGid, processedAt: { lt: facts.processedAt } },
  });
  return earlier === 0;
}

function reversalCause(order: { cancelledAt: Date | null }, verdict: Verdict): string {
  if (order.cancelledAt) return "order cancelled";
  if (verdict.creatorId === null) return "the order no longer carries a creator's code";
  return "the order changed";
}
