import { isUtf8 } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify's webhook checks, exactly as @shopify/shopify-api 15 makes them for shopify-app-remix's
 * `authenticate.webhook` (webhooks.validate, then the shop check of its offline-session lookup, then JSON.parse),
 * in the same order and with the same outcomes, but synchronously on the raw body with node:crypto: the library
 * converts the request, canonicalises every header name for every lookup, signs through async WebCrypto and reads
 * the shop's offline session from the database, which a webhook of this app never uses. test/fuzz/webhooks.fuzz.test.ts
 * holds the two to the same verdicts.
 */

/** A delivery as the HTTP server received it. */
export interface WebhookDelivery {
  /** A request header by its lower-case name, repeats joined with ", " (as node:http and the Fetch API both do). */
  header(name: string): string | undefined;
  body: Buffer;
}

export interface VerifiedWebhook {
  /** As shopify-api stores topics: orders/create → ORDERS_CREATE. */
  topic: string;
  shopDomain: string;
  apiVersion: string;
  webhookId: string;
  /** X-Shopify-Event-Id, or the webhook id where there is none (Shopify's newer "events" deliveries). */
  eventId: string;
  triggeredAt: string | undefined;
  payload: unknown;
}

export type WebhookVerdict = { ok: true; webhook: VerifiedWebhook } | { ok: false; status: 400 | 401; reason: string };

/**
 * The two header sets shopify-api knows; a delivery is of the "events" kind when it carries Shopify-Hmac-Sha256.
 * The first five of each are required.
 */
const HEADERS = {
  webhooks: {
    hmac: "X-Shopify-Hmac-Sha256",
    topic: "X-Shopify-Topic",
    domain: "X-Shopify-Shop-Domain",
    apiVersion: "X-Shopify-API-Version",
    webhookId: "X-Shopify-Webhook-Id",
    triggeredAt: "X-Shopify-Triggered-At",
    eventId: "X-Shopify-Event-Id",
  },
  events: {
    hmac: "Shopify-Hmac-Sha256",
    topic: "Shopify-Topic",
    domain: "Shopify-Shop-Domain",
    apiVersion: "Shopify-API-Version",
    webhookId: "Shopify-Webhook-Id",
    triggeredAt: "Shopify-Triggered-At",
    eventId: undefined,
  },
} as const;
const REQUIRED = ["hmac", "topic", "domain", "apiVersion", "webhookId"] as const;

/**
 * shopify-api's sanitizeShop (no domain transformations configured): a shop's own domain, or its admin URL
 * (admin.shopify.com/store/<name>), which the library turns into one that always passes.
 */
const SHOP_DOMAINS = "(myshopify\\.com|shopify\\.com|myshopify\\.io|shop\\.dev)";
const SHOP_DOMAIN = new RegExp(`^[a-zA-Z0-9][a-zA-Z0-9-_]*\\.${SHOP_DOMAINS}[/]*$`);
const SHOP_ADMIN_URL = new RegExp(`^admin\\.${SHOP_DOMAINS}/store/([a-zA-Z0-9][a-zA-Z0-9-_]*)$`);

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const textDecoder = new TextDecoder();

/**
 * The bytes the library signs: it reads the body as text (UTF-8, a leading BOM dropped, malformed bytes replaced)
 * and signs that text's UTF-8. For a well-formed body without a BOM, which is every body Shopify sends, those are
 * the raw bytes themselves; only other bodies are decoded and encoded again.
 */
function signedBytes(body: Buffer): Buffer {
  const hasBom = body.length >= 3 && UTF8_BOM.every((byte, index) => body[index] === byte);
  return !hasBom && isUtf8(body) ? body : Buffer.from(textDecoder.decode(body), "utf8");
}

export function verifyWebhook(delivery: WebhookDelivery, secret: string): WebhookVerdict {
  const header = (name: string) => delivery.header(name.toLowerCase()) || undefined;
  const names = header(HEADERS.events.hmac) ? HEADERS.events : HEADERS.webhooks;
  // The library answers a missing body or signature with a bare 400; say which headers are missing, if any.
  const badRequest = (): WebhookVerdict => {
    const missing = REQUIRED.map((field) => names[field]).filter((name) => !header(name));
    return { ok: false, status: 400, reason: missing.length > 0 ? `Webhook is missing ${missing.join(", ")}` : "Webhook has no body" };
  };

  const signed = signedBytes(delivery.body);
  if (signed.length === 0) return badRequest();
  const hmac = header(names.hmac);
  if (!hmac) return badRequest();
  const expected = Buffer.from(createHmac("sha256", secret).update(signed).digest("base64"), "utf8");
  const given = Buffer.from(hmac, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, reason: `The ${names.hmac} signature does not match the body` };
  }
  if (REQUIRED.some((field) => !header(names[field]))) return badRequest();

  const shopDomain = header(names.domain)!;
  // Signed, but not a myshopify.com domain: Shopify never sends that.
  if (!SHOP_DOMAIN.test(shopDomain) && !SHOP_ADMIN_URL.test(shopDomain)) {
    return { ok: false, status: 400, reason: `${names.domain} is not a shop's myshopify.com domain` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(signed.toString("utf8"));
  } catch {
    return { ok: false, status: 400, reason: "Webhook body is not valid JSON" };
  }
  const webhookId = header(names.webhookId)!;
  return {
    ok: true,
    webhook: {
      topic: header(names.topic)!.toUpperCase().replace(/\/|\./g, "_"),
      shopDomain,
      apiVersion: header(names.apiVersion)!,
      webhookId,
      eventId: (names.eventId && header(names.eventId)) || webhookId,
      triggeredAt: header(names.triggeredAt),
      payload,
    },
  };
}
