// The app's side of a webhook, for tests of what the store simulator sends: a local endpoint that checks every
// delivery with Shopify's own library (HMAC and headers) and keeps it in order of arrival, and Shopify's published
// JSON schemas to check the bodies against.
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Shopify } from "@shopify/shopify-api";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);
const { schemaForWebhook } = require("shopify-webhook-schemas") as { schemaForWebhook: (version: string, topic: string) => object };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/** Whether a webhook body has the shape Shopify publishes for the topic in API version 2026-07. */
export function matchesWebhookSchema(topic: string, body: unknown): boolean {
  return ajv.validate(schemaForWebhook("2026-07", topic), body);
}

export interface ReceivedWebhook {
  topic: string;
  body: Record<string, any>;
  /** Shopify's library accepted it (signature and headers). */
  valid: boolean;
}

export interface WebhookReceiver {
  server: Server;
  url: string;
  /** Every delivery so far, oldest first; tests may empty it. */
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** Listens on a free local port and answers every delivery 200, valid or not, so that the simulator never retries. */
export async function startWebhookReceiver(shopify: Pick<Shopify, "webhooks">): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const validation = await shopify.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
    received.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(rawBody), valid: validation.valid });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
