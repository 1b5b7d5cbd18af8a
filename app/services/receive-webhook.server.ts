import type { Queue } from "bullmq";
import { prisma } from "~/db.server";
import { findShopByDomain } from "~/models/shop.server";
import { inboxJobId, inboxQueue, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

export const ORDER_TOPICS = ["ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED", "REFUNDS_CREATE"];
export const DISCOUNT_TOPICS = [
  "DISCOUNTS_REDEEMCODE_ADDED",
  "DISCOUNTS_REDEEMCODE_REMOVED",
  "DISCOUNTS_DELETE",
  "DISCOUNTS_UPDATE",
];
/** Collections whose products earn a contract's collection rate are read again when they change. */
export const COLLECTION_TOPICS = ["COLLECTIONS_UPDATE", "COLLECTIONS_DELETE"];
export const APP_TOPICS = ["APP_UNINSTALLED"];
export const COMPLIANCE_TOPICS = ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"];

export const methodNotAllowed = () =>
  new Response("Webhooks are delivered with POST", { status: 405, headers: { Allow: "POST" } });

/**
 * Shopify's delivery contract: a 200 means we have it for good. The event is committed to the inbox before
 * answering; the queue is only a wake-up call, and the sweeper catches any event whose wake-up was lost.
 */
export async function receiveWebhook(
  request: Request,
  topics: readonly string[],
  queue: Queue<ProcessInboxEventJob> = inboxQueue(),
): Promise<Response> {
  try {
    return await storeWebhook(request, topics, queue);
  } catch (error) {
    // Most likely the database is unreachable. Anything but a 2xx makes Shopify deliver again later.
    logger.error({ err: error }, "webhook not stored");
    return new Response("Webhook could not be stored; please retry", { status: 503, headers: { "Retry-After": "5" } });
  }
}

async function storeWebhook(request: Request, topics: readonly string[], queue: Queue<ProcessInboxEventJob>) {
  let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    webhook = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof SyntaxError) return new Response("Webhook body is not valid JSON", { status: 400 });
    throw error;
  }
  const { shop: shopDomain, topic, webhookId, apiVersion, payload } = webhook;
  const eventId = ("eventId" in webhook && webhook.eventId) || webhookId;
  const log = logger.child({ shopDomain, topic, eventId });

  if (!topics.includes(topic)) {
    return new Response(`Topic ${topic} is not delivered to this address`, { status: 400 });
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return new Response("Webhook body must be a JSON object", { status: 400 });
  }
  const shop = await findShopByDomain(shopDomain);
  if (!shop) {
    // Signed by Shopify for a store that never installed the app (or was erased): nothing to keep.
    log.warn("webhook for unknown shop acknowledged and dropped");
    return new Response(null, { status: 200 });
  }

  // Raw SQL: this insert is the whole cost of acknowledging a webhook, and the ORM's createMany is ~2.5x slower.
  const count = await prisma.$executeRaw`
    INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
    VALUES (gen_random_uuid(), ${shopDomain}, ${eventId}, ${webhookId}, ${topic}, ${apiVersion},
            ${parseTimestamp(webhook.triggeredAt)}, ${JSON.stringify(payload)}::jsonb)
    ON CONFLICT ("shopDomain", "eventId") DO NOTHING`;
  if (count === 0) {
    log.info("duplicate delivery acknowledged");
    return new Response(null, { status: 200 });
  }

  const job = { shopId: shop.id, shopDomain, eventId };
  try {
    await queue.add(JOB.processInboxEvent, job, { jobId: inboxJobId(job) });
  } catch (error) {
    log.warn({ err: error }, "enqueue failed; the inbox sweeper will pick the event up");
  }
  return new Response(null, { status: 200 });
}

function parseTimestamp(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
