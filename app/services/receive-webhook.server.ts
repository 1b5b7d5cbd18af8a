import { InvalidShopError } from "@shopify/shopify-api";
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
    if (error instanceof Response) return withReason(error, request);
    if (error instanceof SyntaxError) return refuse(400, "Webhook body is not valid JSON");
    // Signed, but the shop header is not a myshopify.com domain: Shopify never sends that.
    if (error instanceof InvalidShopError) return refuse(400, "X-Shopify-Shop-Domain is not a shop's myshopify.com domain");
    throw error;
  }
  const { shop: shopDomain, topic, webhookId, apiVersion, payload } = webhook;
  const eventId = ("eventId" in webhook && webhook.eventId) || webhookId;
  const log = logger.child({ shopDomain, topic, eventId: eventId.slice(0, MAX_ID_LENGTH) });

  if (!topics.includes(topic)) {
    return refuse(400, `Topic ${topic} is not delivered to this address`);
  }
  if (eventId.length > MAX_ID_LENGTH || webhookId.length > MAX_ID_LENGTH) {
    return refuse(400, `X-Shopify-Event-Id and X-Shopify-Webhook-Id must be at most ${MAX_ID_LENGTH} characters`);
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return refuse(400, "Webhook body must be a JSON object");
  }
  if (nestedDeeperThan(payload, MAX_PAYLOAD_DEPTH)) {
    return refuse(400, `Webhook body is nested more than ${MAX_PAYLOAD_DEPTH} levels deep`);
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
            ${parseTimestamp(webhook.triggeredAt)}, ${storableJson(payload)}::jsonb)
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

/** Shopify's event and webhook ids are UUIDs; far longer values could not even be indexed (btree rows are ≤ 2704 bytes). */
const MAX_ID_LENGTH = 255;

/** Shopify's payloads are a few levels deep; thousands of levels would overflow the stack serializing them. */
const MAX_PAYLOAD_DEPTH = 64;

/** The headers authenticate.webhook needs, named in the answer when one is missing. */
const REQUIRED_HEADERS = [
  "X-Shopify-Hmac-Sha256",
  "X-Shopify-Topic",
  "X-Shopify-Shop-Domain",
  "X-Shopify-API-Version",
  "X-Shopify-Webhook-Id",
];

const refuse = (status: number, reason: string) =>
  new Response(reason, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** Shopify's library refuses with an empty body; the answer says why, for whoever reads the delivery log. */
function withReason(refusal: Response, request: Request): Response {
  if (refusal.status === 401) return refuse(401, "The X-Shopify-Hmac-Sha256 signature does not match the body");
  if (refusal.status !== 400) return refusal;
  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  return refuse(400, missing.length > 0 ? `Webhook is missing ${missing.join(", ")}` : "Webhook has no body");
}

/** Walks the payload without recursion, so that the check itself cannot overflow the stack. */
function nestedDeeperThan(payload: object, limit: number): boolean {
  const pending: [unknown, number][] = [[payload, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * The payload as JSON that PostgreSQL's jsonb accepts: it has no room for NUL characters nor for UTF-16 halves
 * without their pair, which JSON.parse lets through and JSON.stringify writes as \u escapes (a paired surrogate
 * is written as the character itself, so every \ud800-\udfff escape is a lone half). Both become U+FFFD, as a
 * decoder would show them.
 */
function storableJson(payload: object): string {
  // An escape is one when preceded by an even number of backslashes ("\\u0000" is the text \u0000, not a NUL).
  return JSON.stringify(payload).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, "$1\\ufffd");
}

function parseTimestamp(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  // Dates JavaScript accepts but the database driver does not (years before 0 or after 9999) are as good as none.
  const year = date.getUTCFullYear();
  return Number.isNaN(year) || year < 0 || year > 9999 ? null : date;
}
