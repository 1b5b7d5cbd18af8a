import { createHmac, timingSafeEqual } from "node:crypto";

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw request body, keyed with the app's API secret. */
export function webhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function verifyWebhookHmac(rawBody: string | Buffer, secret: string, header: string): boolean {
  const expected = Buffer.from(webhookHmac(rawBody, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookHeaderFields {
  topic: string;
  shopDomain: string;
  apiVersion: string;
  /** One per delivery of an event to one subscription; the same on every retry. */
  webhookId: string;
  /** One per event; the same on every retry (the receiver's dedupe key). */
  eventId: string;
  triggeredAt: Date;
  hmac: string;
}

/** The headers Shopify sends with every webhook request. */
export function webhookHeaders(fields: WebhookHeaderFields): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    Accept: "*/*",
    "X-Shopify-Topic": fields.topic,
    "X-Shopify-Hmac-Sha256": fields.hmac,
    "X-Shopify-Shop-Domain": fields.shopDomain,
    "X-Shopify-API-Version": fields.apiVersion,
    "X-Shopify-Webhook-Id": fields.webhookId,
    "X-Shopify-Event-Id": fields.eventId,
    "X-Shopify-Triggered-At": fields.triggeredAt.toISOString(),
  };
}
