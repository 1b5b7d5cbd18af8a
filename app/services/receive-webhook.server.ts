import type { ActionFunctionArgs } from "@remix-run/node";
import type { Queue } from "bullmq";
import { pgPool } from "~/db.server";
import { inboxJobId, inboxQueue, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { verifyWebhook, type VerifiedWebhook, type WebhookDelivery } from "./verify-webhook.server";

export type { WebhookDelivery } from "./verify-webhook.server";

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

/** What to answer a delivery: what a Response would carry, for servers that write it without one. */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** The action of a webhook route; `acknowledge` is the same action on a delivery node:http has read. */
export type WebhookAction = ((args: ActionFunctionArgs) => Promise<Response>) & {
  acknowledge: (delivery: WebhookDelivery) => Promise<WebhookAnswer>;
};

/**
 * A webhook route's action for the topics delivered to its address. The web server (app/web.server.ts) finds
 * `acknowledge` on the routes' actions and serves their addresses with it directly, before Remix: a webhook needs
 * neither Remix's routing nor a Fetch API Request, and is most of the traffic.
 */
export function webhookAction(topics: readonly string[]): WebhookAction {
  const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, topics);
  return Object.assign(action, { acknowledge: (delivery: WebhookDelivery) => acknowledgeWebhook(delivery, topics) });
}

/** A delivery as a Fetch API Request (Remix, the tests). */
export async function receiveWebhook(
  request: Request,
  topics: readonly string[],
  queue: Queue<ProcessInboxEventJob> = inboxQueue(),
): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed();
  let body: Buffer;
  try {
    body = Buffer.from(await request.arrayBuffer());
  } catch (error) {
    // The sender went away mid-body.
    return answerAsResponse(notStored(error));
  }
  const delivery = { header: (name: string) => request.headers.get(name) ?? undefined, body };
  return answerAsResponse(await acknowledgeWebhook(delivery, topics, queue));
}

const answerAsResponse = (answer: WebhookAnswer) => new Response(answer.body, { status: answer.status, headers: answer.headers });

/**
 * Shopify's delivery contract: a 200 means we have it for good. The event is committed to the inbox before
 * answering; the queue is only a wake-up call, and the sweeper catches any event whose wake-up was lost.
 */
export async function acknowledgeWebhook(
  delivery: WebhookDelivery,
  topics: readonly string[],
  queue: Queue<ProcessInboxEventJob> = inboxQueue(),
): Promise<WebhookAnswer> {
  try {
    return await storeWebhook(delivery, topics, queue);
  } catch (error) {
    return notStored(error);
  }
}

/** Most likely the database is unreachable. Anything but a 2xx makes Shopify deliver again later. */
function notStored(error: unknown): WebhookAnswer {
  logger.error({ err: error }, "webhook not stored");
  return { status: 503, headers: { "Retry-After": "5", "Content-Type": TEXT }, body: "Webhook could not be stored; please retry" };
}

async function storeWebhook(delivery: WebhookDelivery, topics: readonly string[], queue: Queue<ProcessInboxEventJob>): Promise<WebhookAnswer> {
  const verdict = verifyWebhook(delivery, env().SHOPIFY_API_SECRET);
  if (!verdict.ok) return refuse(verdict.status, verdict.reason);
  const webhook = verdict.webhook;
  const { shopDomain, topic, eventId, webhookId, payload } = webhook;
  const log = () => logger.child({ shopDomain, topic, eventId: eventId.slice(0, MAX_ID_LENGTH) });

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

  const { shopId, stored } = await storeInInbox(webhook, payload);
  if (shopId === null) {
    // Signed by Shopify for a store that never installed the app (or was erased): nothing to keep.
    log().warn("webhook for unknown shop acknowledged and dropped");
    return ACKNOWLEDGED;
  }
  if (!stored) {
    log().info("duplicate delivery acknowledged");
    return ACKNOWLEDGED;
  }
  const job = { shopId, shopDomain, eventId };
  try {
    await queue.add(JOB.processInboxEvent, job, { jobId: inboxJobId(job) });
  } catch (error) {
    log().warn({ err: error }, "enqueue failed; the inbox sweeper will pick the event up");
  }
  return ACKNOWLEDGED;
}

const ACKNOWLEDGED: WebhookAnswer = Object.freeze({ status: 200, headers: {}, body: null });

/**
 * The shop lookup and the insert in one statement, one round trip: the row is kept only if the shop has the app
 * (is in "Shop" at this moment; uninstalled shops stay there until shop/redact erases them), and only once per
 * event. The answer says which: no shop, a duplicate, or stored. Committed when it returns (autocommit).
 */
const STORE_IN_INBOX = `
  WITH shop AS (SELECT "id" FROM "Shop" WHERE "domain" = $1::text),
  stored AS (
    INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
    SELECT gen_random_uuid(), $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamp(3), $7::jsonb FROM shop
    ON CONFLICT ("shopDomain", "eventId") DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT "id" FROM shop) AS "shopId", EXISTS (SELECT FROM stored) AS "stored"`;

async function storeInInbox(webhook: VerifiedWebhook, payload: object): Promise<{ shopId: string | null; stored: boolean }> {
  const { shopDomain, eventId, webhookId, topic, apiVersion, triggeredAt } = webhook;
  const result = await inboxPool().query<{ shopId: string | null; stored: boolean }>({
    // Prepared once per connection.
    name: "store-webhook-in-inbox",
    text: STORE_IN_INBOX,
    values: [shopDomain, eventId, webhookId, topic, apiVersion, parseTimestamp(triggeredAt), storableJson(payload)],
  });
  return result.rows[0]!;
}

/** Webhooks write through pg directly rather than Prisma (a quarter of an acknowledgement's CPU); as large as the bench's bare server's. */
const inboxPool = () => pgPool("webhook inbox", { max: 10, connectionTimeoutMillis: 3_000, allowExitOnIdle: true });

/** Shopify's event and webhook ids are UUIDs; far longer values could not even be indexed (btree rows are ≤ 2704 bytes). */
const MAX_ID_LENGTH = 255;

/** Shopify's payloads are a few levels deep; thousands of levels would overflow the stack serializing them. */
const MAX_PAYLOAD_DEPTH = 64;

const TEXT = "text/plain; charset=utf-8";

const refuse = (status: number, reason: string): WebhookAnswer => ({ status, headers: { "Content-Type": TEXT }, body: reason });

/**
 * Whether any object or array lies more than `limit` levels deep (the payload itself is level 1). Recursive, but
 * never deeper than `limit` + 1 calls: it stops at the first level too deep, so the check cannot overflow the stack.
 */
function nestedDeeperThan(value: object, limit: number): boolean {
  if (limit === 0) return true;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    if (child !== null && typeof child === "object" && nestedDeeperThan(child, limit - 1)) return true;
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

/**
 * The delivery's time as the column stores it (UTC, without a zone: PostgreSQL ignores the ISO string's "Z" for a
 * timestamp without time zone), or null. Dates JavaScript accepts but PostgreSQL does not (ISO years before 1, or
 * after 9999) are as good as none.
 */
function parseTimestamp(value: string | undefined): string | null {
  if (!value) return null;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  return Number.isNaN(year) || year < 1 || year > 9999 ? null : date.toISOString();
}
