import type { InboxEvent, Prisma, PrismaClient, Shop } from "@prisma/client";
import { parseGraphqlOrder } from "~/domain/orders/parse-graphql-order";
import { InvalidPayloadError, parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { parseRefundPayload } from "~/domain/orders/parse-refund-payload";
import type { InboxEventRef } from "~/queues.server";
import { applyCollectionWebhook, type CollectionSyncStepRef } from "./collection-sync.server";
import { eraseShop, exportCustomerData, redactCustomer, uninstallShop } from "./compliance.server";
import { applyDiscountWebhook, DISCOUNT_TOPICS } from "./discount-codes.server";
import { ingestOrder } from "./ingest-order.server";
import { ORDERS_SYNC_TOPIC } from "./order-sync.server";
import type { CreatorPeriodRef } from "./post-commissions.server";
import { COLLECTION_TOPICS } from "./receive-webhook.server";

/** After this many failed attempts an event stops being swept back into the queue; it stays visible with its error. */
export const MAX_INBOX_ATTEMPTS = 10;

export type InboxOutcome = "processed" | "already-processed" | "missing" | "shop-not-installed";

export interface InboxResult {
  outcome: InboxOutcome;
  /** Pay periods the event changed, to settle once the transaction has committed. */
  changedPeriods: CreatorPeriodRef[];
  /** Collections to read again from Shopify, once the transaction has committed. */
  collectionSyncs: CollectionSyncStepRef[];
}

/**
 * Processes one inbox event exactly once: its row is locked for the whole transaction and marked processed in
 * the same commit as the work, so a crash anywhere leaves it unprocessed and a duplicate job finds it done.
 */
export async function processInboxEvent(db: PrismaClient, ref: InboxEventRef): Promise<InboxResult> {
  try {
    return await db.$transaction(
      async (tx) => {
        // Raw SQL on this path: it runs for every webhook, and Prisma's query compiler costs more than the queries.
        const [event] = await tx.$queryRaw<ClaimedEvent[]>`
          SELECT "id"::text AS "id", "topic", "payload", "triggeredAt", "processedAt"
          FROM "InboxEvent" WHERE "shopDomain" = ${ref.shopDomain} AND "eventId" = ${ref.eventId} FOR UPDATE`;
        if (!event) return { outcome: "missing", changedPeriods: [], collectionSyncs: [] };
        if (event.processedAt) return { outcome: "already-processed", changedPeriods: [], collectionSyncs: [] };

        const [shop] = await tx.$queryRaw<Shop[]>`SELECT * FROM "Shop" WHERE "domain" = ${ref.shopDomain}`;
        const { changedPeriods, collectionSyncs } = shop ? await applyEvent(tx, shop, event) : NO_EFFECTS;
        await tx.$executeRaw`
          UPDATE "InboxEvent" SET "processedAt" = ${new Date()}, "payload" = NULL, "attempts" = "attempts" + 1, "lastError" = NULL
          WHERE "id" = ${event.id}::uuid`;
        return { outcome: shop ? "processed" : "shop-not-installed", changedPeriods, collectionSyncs };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    await db.inboxEvent
      .updateMany({
        where: { shopDomain: ref.shopDomain, eventId: ref.eventId, processedAt: null },
        data:
          error instanceof InvalidPayloadError
            ? { attempts: MAX_INBOX_ATTEMPTS, lastError: error.message.slice(0, 4000) }
            : { attempts: { increment: 1 }, lastError: String(error).slice(0, 4000) },
      })
      .catch(() => undefined);
    throw error;
  }
}

const NO_EFFECTS: Omit<InboxResult, "outcome"> = { changedPeriods: [], collectionSyncs: [] };

/** What processing reads of a locked inbox row. */
type ClaimedEvent = Pick<InboxEvent, "id" | "topic" | "payload" | "triggeredAt" | "processedAt">;

async function applyEvent(tx: Prisma.TransactionClient, shop: Shop, event: ClaimedEvent): Promise<Omit<InboxResult, "outcome">> {
  if (COLLECTION_TOPICS.includes(event.topic)) {
    return { changedPeriods: [], collectionSyncs: await applyCollectionWebhook(tx, shop, event.payload) };
  }
  return { changedPeriods: await applyShopEvent(tx, shop, event), collectionSyncs: [] };
}

async function applyShopEvent(tx: Prisma.TransactionClient, shop: Shop, event: ClaimedEvent): Promise<CreatorPeriodRef[]> {
  switch (event.topic) {
    case "ORDERS_CREATE":
    case "ORDERS_UPDATED":
    case "ORDERS_PAID":
    case "ORDERS_CANCELLED":
      return (await ingestOrder(tx, shop, parseOrderPayload(event.payload))).changedPeriods;
    case ORDERS_SYNC_TOPIC: {
      const { facts, journey } = parseGraphqlOrder(event.payload);
      return (await ingestOrder(tx, shop, facts, journey)).changedPeriods;
    }
    case "REFUNDS_CREATE": {
      // The order's current_subtotal (orders/updated follows every refund) drives commissions; the refund is
      // kept for reporting and for proportional clawbacks.
      const refund = parseRefundPayload(event.payload);
      await tx.refund.createMany({ data: [{ shopId: shop.id, ...refund }], skipDuplicates: true });
      return [];
    }
    case "APP_UNINSTALLED":
      await uninstallShop(tx, shop, event.triggeredAt ?? new Date());
      return [];
    case "CUSTOMERS_DATA_REQUEST":
      await exportCustomerData(tx, shop, event.payload);
      return [];
    case "CUSTOMERS_REDACT":
      await redactCustomer(tx, shop, event.payload);
      return [];
    case "SHOP_REDACT":
      await eraseShop(tx, shop, event.id);
      return [];
    default:
      if (DISCOUNT_TOPICS.includes(event.topic)) {
        await applyDiscountWebhook(tx, shop, event.topic, event.payload);
        return [];
      }
      throw new InvalidPayloadError(`No handler for topic ${event.topic}`);
  }
}
