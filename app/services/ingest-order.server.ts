import { randomUUID } from "node:crypto";
import type { Attribution, Order, Prisma, Shop } from "@prisma/client";
import { flagName } from "~/domain/attribution/flag-names";
import type { CustomerJourney, Verdict } from "~/domain/attribution/types";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import type { OrderFacts } from "~/domain/orders/order-facts";
import { attributeStoredOrder, firstEarlierOrder, type EarlierOrder } from "./attribute-order.server";
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
  // A survey answer for this order may be being stored right now: whichever commits second sees the other. The
  // confirmation number's lock comes first, as recordSurveyAnswer takes them; one statement takes both in that order.
  if (facts.confirmationNumber) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${confirmationLockKey(shop.id, facts.confirmationNumber)}, 0)),
                                pg_advisory_xact_lock(hashtextextended(${orderLockKey(shop.id, facts.shopifyOrderGid)}, 0))`;
  } else {
    await lockOrder(tx, shop.id, facts.shopifyOrderGid);
  }

  // Raw SQL: this runs for every delivery, and Prisma's query compiler costs more than the query.
  const [existing] = await tx.$queryRaw<Order[]>`
    SELECT * FROM "Order" WHERE "shopId" = ${shop.id}::uuid AND "shopifyOrderGid" = ${facts.shopifyOrderGid}`;
  const stored = !existing || existing.shopifyUpdatedAt <= facts.updatedAt;
  // One read serves both the new-customer flag and the acquisition (the customer's earlier orders, as of this one).
  const firstEarlier = await firstEarlierOrder(tx, shop.id, stored ? facts : existing!);
  const order = stored
    ? await upsertOrder(tx, shop.id, facts, journey?.ready ? journey : null, firstEarlier === null)
    : existing!;

  return { orderId: order.id, stored, ...(await attributeAndPost(tx, shop, order, { firstEarlier, created: !existing })) };
}

/**
 * Stores the order's facts (created or replaced whole); a ready journey replaces the stored one. Raw SQL: every
 * delivery writes here, and compiling this statement was the costliest part of Prisma's work per order. Every field
 * of OrderFacts has its column below: a new fact needs its column here too.
 */
async function upsertOrder(
  tx: Prisma.TransactionClient,
  shopId: string,
  facts: OrderFacts,
  readyJourney: CustomerJourney | null,
  /** The customer's first order with the shop as far as the app has seen; a guest checkout counts as new. */
  newCustomer: boolean
): Promise<Order> {
  const now = new Date();
  const noteAttributes = facts.noteAttributes.map(({ name, value }) => ({ name, value }));
  const lines = facts.lines.map((line) => ({ productGid: line.productGid, netMinor: line.netMinor.toString() }));
  const [order] = await tx.$queryRaw<Order[]>`
    INSERT INTO "Order" ("id", "shopId", "shopifyOrderGid", "name", "confirmationNumber", "customerGid", "currencyCode",
      "presentmentCurrency", "discountCodes", "normalizedDiscountCodes", "landingSite", "referringSite", "noteAttributes",
      "customerEmailHash", "subtotalMinor", "totalTaxMinor", "shippingMinor", "netMerchandiseMinor",
      "presentmentNetMerchandiseMinor", "lines", "processedAt", "shopifyUpdatedAt", "cancelledAt", "financialStatus",
      "shippingRegion", "test", "newCustomer", "customerJourney", "journeyStatus", "createdAt", "updatedAt")
    VALUES (${randomUUID()}::uuid, ${shopId}::uuid, ${facts.shopifyOrderGid}, ${facts.name}, ${facts.confirmationNumber},
      ${facts.customerGid}, ${facts.currencyCode}, ${facts.presentmentCurrency}, ${facts.discountCodes}::text[],
      ${facts.discountCodes.map(normalizeDiscountCode)}::text[], ${facts.landingSite}, ${facts.referringSite},
      ${JSON.stringify(noteAttributes)}::jsonb, ${facts.customerEmailHash}, ${facts.subtotalMinor}, ${facts.totalTaxMinor},
      ${facts.shippingMinor}, ${facts.netMerchandiseMinor}, ${facts.presentmentNetMerchandiseMinor},
      ${JSON.stringify(lines)}::jsonb, ${facts.processedAt}, ${facts.updatedAt}, ${facts.cancelledAt},
      ${facts.financialStatus}, ${facts.shippingRegion}, ${facts.test}, ${newCustomer},
      ${readyJourney ? JSON.stringify(readyJourney) : null}::jsonb, ${readyJourney ? "READY" : "PENDING"}::"JourneyStatus",
      ${now}, ${now})
    ON CONFLICT ("shopId", "shopifyOrderGid") DO UPDATE SET
      "name" = EXCLUDED."name", "confirmationNumber" = EXCLUDED."confirmationNumber",
      "customerGid" = EXCLUDED."customerGid", "currencyCode" = EXCLUDED."currencyCode",
      "presentmentCurrency" = EXCLUDED."presentmentCurrency", "discountCodes" = EXCLUDED."discountCodes",
      "normalizedDiscountCodes" = EXCLUDED."normalizedDiscountCodes", "landingSite" = EXCLUDED."landingSite",
      "referringSite" = EXCLUDED."referringSite", "noteAttributes" = EXCLUDED."noteAttributes",
      "customerEmailHash" = EXCLUDED."customerEmailHash", "subtotalMinor" = EXCLUDED."subtotalMinor",
      "totalTaxMinor" = EXCLUDED."totalTaxMinor", "shippingMinor" = EXCLUDED."shippingMinor",
      "netMerchandiseMinor" = EXCLUDED."netMerchandiseMinor",
      "presentmentNetMerchandiseMinor" = EXCLUDED."presentmentNetMerchandiseMinor", "lines" = EXCLUDED."lines",
      "processedAt" = EXCLUDED."processedAt", "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
      "cancelledAt" = EXCLUDED."cancelledAt", "financialStatus" = EXCLUDED."financialStatus",
      "shippingRegion" = EXCLUDED."shippingRegion", "test" = EXCLUDED."test",
      "customerJourney" = CASE WHEN ${readyJourney !== null} THEN EXCLUDED."customerJourney" ELSE "Order"."customerJourney" END,
      "journeyStatus" = CASE WHEN ${readyJourney !== null} THEN EXCLUDED."journeyStatus" ELSE "Order"."journeyStatus" END,
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING *`;
  return order!;
}

const orderLockKey = (shopId: string, shopifyOrderGid: string) => `${shopId}/${shopifyOrderGid}`;
const confirmationLockKey = (shopId: string, confirmationNumber: string) => `${shopId}/confirmation/${confirmationNumber}`;

/**
 * Serialises everything that changes one order's credit or ledger (deliveries, late facts, merchant decisions);
 * re-entrant within a transaction.
 */
export async function lockOrder(tx: Prisma.TransactionClient, shopId: string, shopifyOrderGid: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderLockKey(shopId, shopifyOrderGid)}, 0))`;
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
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${confirmationLockKey(shopId, confirmationNumber)}, 0))`;
}

async function attributeAndPost(
  tx: Prisma.TransactionClient,
  shop: Shop,
  order: Order,
  known: { firstEarlier: EarlierOrder | null; created: boolean } | null = null
) {
  const { verdict, commissionCreatorId, attribution } = await attributeStoredOrder(tx, shop, order, known);
  const changedPeriods = await postOrderCommissions(
    tx,
    shop,
    order,
    commissionCreatorId,
    reversalCause(order, attribution),
    { created: known?.created ?? false }
  );
  return { verdict, changedPeriods };
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
