import { createHmac, randomUUID } from "node:crypto";
import { SHOPIFY_API_VERSION } from "~/shopify.server";

export interface WebhookRequestOptions {
  topic: string;
  shop: string;
  body: unknown;
  path?: string;
  eventId?: string;
  webhookId?: string;
  secret?: string;
  rawBody?: string;
  omitHeaders?: string[];
  method?: string;
  /** When Shopify says the event happened (X-Shopify-Triggered-At); now by default. */
  triggeredAt?: Date;
}

/** A webhook request exactly as Shopify sends it: raw JSON body, base64 HMAC-SHA256 of it, X-Shopify-* headers. */
export function signedWebhookRequest(options: WebhookRequestOptions): Request {
  const rawBody = options.rawBody ?? JSON.stringify(options.body);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET!;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(rawBody, "utf8").digest("base64"),
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": SHOPIFY_API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const method = options.method ?? "POST";
  return new Request(`http://localhost:3000${options.path ?? "/webhooks"}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : rawBody,
  });
}
