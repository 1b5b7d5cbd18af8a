import { Prisma } from "@prisma/client";
import { attributeOrder, type Verdict } from "~/domain/attribution/attribute-order";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { planOrderLedgerEntries, type PlannedLedgerEntry } from "~/domain/commissions/order-commission";
import type { OrderFacts } from "~/domain/orders/order-facts";

export interface IngestedOrder {
  orderId: string;
  /** False when a newer version of the order was already stored: the incoming one was older news. */
  stored: boolean;
  verdict: Verdict;
  posted: PlannedLedgerEntry[];
}

/**
 * Upserts the order (the newest `updated_at` wins), attributes it from the stored facts and appends whatever
 * the ledger lacks. Runs inside the caller's transaction; an advisory lock per order serialises concurrent
 * deliveries of the same order, so each one sees the previous one's ledger.
 */
export async function ingestOrder(
  tx: Prisma.TransactionClient,
  shop: { id: string },
  facts: OrderFacts,
): Promise<IngestedOrder> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop.id}/${facts.shopifyOrderGid}`}, 0))`;

  const existing = await tx.order.findUnique({
    where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
  });
  const stored = !existing || existing.shopifyUpdatedAt <= facts.updatedAt;
  const { updatedAt, ...columns } = facts;
  const order = stored
    ? await tx.order.upsert({
        where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
        create: { shopId: shop.id, ...columns, shopifyUpdatedAt: updatedAt },
        update: { ...columns, shopifyUpdatedAt: updatedAt },
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

  const contract = verdict.creatorId ? await contractInForce(tx, shop.id, verdict.creatorId, order.processedAt) : null;
  const postedEntries = await tx.ledgerEntry.findMany({
    where: { shopId: shop.id, orderId: order.id },
    select: { creatorId: true, amountMinor: true },
  });
  const planned = planOrderLedgerEntries(
    {
      orderId: order.id,
      orderName: order.name,
      currencyCode: order.currencyCode,
      netMerchandiseMinor: order.netMerchandiseMinor,
      cancelled: order.cancelledAt !== null,
      creatorId: verdict.creatorId,
      contract: contract ? { revenueSharePercent: contract.revenueSharePercent.toFixed(2) } : null,
    },
    postedEntries,
  );
  if (planned.length > 0) {
    await tx.ledgerEntry.createMany({
      data: planned.map((entry) => ({ shopId: shop.id, currencyCode: order.currencyCode, ...entry })),
    });
  }
  return { orderId: order.id, stored, verdict, posted: planned };
}

/**
 * The version in force when the order was placed. A creator's first terms also cover orders placed before the
 * merchant added them (their code was already circulating); later versions apply from when they were made.
 */
async function contractInForce(tx: Prisma.TransactionClient, shopId: string, creatorId: string, placedAt: Date) {
  return (
    (await tx.contract.findFirst({
      where: { shopId, creatorId, effectiveFrom: { lte: placedAt } },
      orderBy: { effectiveFrom: "desc" },
    })) ??
    (await tx.contract.findFirst({ where: { shopId, creatorId }, orderBy: { effectiveFrom: "asc" } }))
  );
}
