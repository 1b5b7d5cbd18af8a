import type { Attribution, Order, Prisma, Shop } from "@prisma/client";
import { flagName } from "~/domain/attribution/flag-names";
import type { CustomerJourney, Verdict } from "~/domain/attribution/types";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import type { OrderFacts } from "~/domain/orders/order-facts";
import { attributeStoredOrder } from "./attribute-order.server";
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
export async function ingestOrder(
  tx: Prisma.TransactionClient,
  shop: Shop,
  facts: OrderFacts,
  /** The journey, when the order was read through Admin GraphQL; a ready one needs no later fetch. */
  journey: CustomerJourney | null = null
): Promise<IngestedOrder> {
  // A survey answer for this order may be being stored right now: whichever commits second sees the other.
  if (facts.confirmationNumber) await lockConfirmationNumber(tx, shop.id, facts.confirmationNumber);
  await lockOrder(tx, shop.id, facts.shopifyOrderGid);

  const existing = await tx.order.findUnique({
    where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
  });
  const stored = !existing || existing.shopifyUpdatedAt <= facts.updatedAt;
  const { updatedAt, lines, noteAttributes, ...columns } = facts;
  const row = {
    ...columns,
    normalizedDiscountCodes: facts.discountCodes.map(normalizeDiscountCode),
    noteAttributes: noteAttributes.map((attribute) => ({ ...attribute })),
    lines: lines.map((line) => ({ productGid: line.productGid, netMinor: line.netMinor.toString() })),
    shopifyUpdatedAt: updatedAt,
    ...(journey?.ready
      ? { customerJourney: journey as unknown as Prisma.InputJsonObject, journeyStatus: "READY" as const }
      : {}),
  };
  const order = stored
    ? await tx.order.upsert({
        where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: facts.shopifyOrderGid } },
        create: { shopId: shop.id, ...row, newCustomer: await isNewCustomer(tx, shop.id, facts) },
        update: row,
      })
    : existing!;

  return { orderId: order.id, stored, ...(await attributeAndPost(tx, shop, order)) };
}

/**
 * Serialises everything that changes one order's credit or ledger (deliveries, late facts, merchant decisions);
 * re-entrant within a transaction.
 */
export async function lockOrder(tx: Prisma.TransactionClient, shopId: string, shopifyOrderGid: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shopId}/${shopifyOrderGid}`}, 0))`;
}

/**
 * Serialises an order's arrival with the survey answer for its confirmation number (recordSurveyAnswer takes it too),
 * so the answer is joined whichever comes first. Taken before the order's own lock, by both.
 */
export async function lockConfirmationNumber(
  tx: Prisma.TransactionClient,
  shopId: string,
  confirmationNumber: string
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shopId}/confirmation/${confirmationNumber}`}, 0))`;
}

async function attributeAndPost(tx: Prisma.TransactionClient, shop: Shop, order: Order) {
  const { verdict, commissionCreatorId, attribution } = await attributeStoredOrder(tx, shop, order);
  const changedPeriods = await postOrderCommissions(
    tx,
    shop,
    order,
    commissionCreatorId,
    reversalCause(order, attribution)
  );
  return { verdict, changedPeriods };
}

/** The customer's first order with the shop as far as the app has seen; a guest checkout counts as new. */
async function isNewCustomer(tx: Prisma.TransactionClient, shopId: string, facts: OrderFacts): Promise<boolean> {
  if (!facts.customerGid) return true;
  const earlier = await tx.order.count({
    where: { shopId, customerGid: facts.customerGid, processedAt: { lt: facts.processedAt } },
  });
  return earlier === 0;
}

function reversalCause(order: { cancelledAt: Date | null }, attribution: Attribution): string {
  if (order.cancelledAt) return "order cancelled";
  if (attribution.method === "MANUAL_OVERRIDE") return "credit overridden by the merchant";
  if (attribution.reviewStatus === "PENDING") {
    return `held for review (${attribution.flags.map((flag) => flagName(flag).toLowerCase()).join(", ")})`;
  }
  if (attribution.reviewStatus === "REJECTED") return "rejected in review";
  if (attribution.creatorId === null) return "the order no longer credits a creator";
  return "the order changed";
}

/**
 * Re-decides a stored order's credit after a late fact (journey, survey answer, override, review) and brings its
 * ledger in line. The caller settles the returned periods after its transaction commits.
 */
export async function reattributeOrder(
  tx: Prisma.TransactionClient,
  shop: Shop,
  orderId: string
): Promise<IngestedOrder | null> {
  const order = await tx.order.findFirst({ where: { id: orderId, shopId: shop.id } });
  if (!order) return null;
  await lockOrder(tx, shop.id, order.shopifyOrderGid);
  return { orderId: order.id, stored: true, ...(await attributeAndPost(tx, shop, order)) };
}
