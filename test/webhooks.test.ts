import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-webhooks-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { inboxJobId, inboxQueue } from "~/queues.server";
import { action as ordersAction, loader as ordersLoader } from "~/routes/webhooks._index";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { createTestShop } from "./helpers/factories";
import { sampleOrder } from "./helpers/shopify-samples";
import { signedWebhookRequest, type WebhookRequestOptions } from "./helpers/webhooks";

const post = (request: Request, route = ordersAction) => route({ request, params: {}, context: {} });

describe("webhook routes", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  const deliver = (options: Partial<WebhookRequestOptions> = {}) =>
    post(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), ...options }));

  beforeAll(async () => {
    shop = await createTestShop();
  });
  afterAll(async () => {
    await inboxQueue().obliterate({ force: true });
    await inboxQueue().close();
  });

  it("stores a signed order webhook in the inbox and enqueues it under its event id", async () => {
    const eventId = randomUUID();
    const response = await deliver({ eventId });
    expect(response.status).toBe(200);

    const event = await prisma.inboxEvent.findUniqueOrThrow({
      where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } },
    });
    expect(event).toMatchObject({ topic: "ORDERS_CREATE", apiVersion: "2026-07", processedAt: null });
    expect(Math.abs(event.triggeredAt!.getTime() - Date.now())).toBeLessThan(60_000);
    const job = await inboxQueue().getJob(inboxJobId({ shopDomain: shop.domain, eventId }));
    expect(job?.data).toEqual({ shopId: shop.id, shopDomain: shop.domain, eventId });
  });

  it("acknowledges a redelivery of the same event without storing it twice", async () => {
    const eventId = randomUUID();
    const body = sampleOrder();
    expect((await deliver({ eventId, body })).status).toBe(200);
    expect((await deliver({ eventId, body, webhookId: randomUUID() })).status).toBe(200);
    expect(await prisma.inboxEvent.count({ where: { shopDomain: shop.domain, eventId } })).toBe(1);
  });

  it("rejects a bad HMAC with 401 and stores nothing", async () => {
    const eventId = randomUUID();
    const response = await deliver({ eventId, secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    expect(await prisma.inboxEvent.count({ where: { eventId } })).toBe(0);
  });

  it.each(["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"])(
    "rejects a delivery without %s with 400",
    async (header) => {
      const eventId = randomUUID();
      const response = await deliver({ eventId, omitHeaders: [header] });
      expect(response.status).toBe(400);
      expect(await prisma.inboxEvent.count({ where: { eventId } })).toBe(0);
    },
  );

  it("rejects a delivery without any HMAC header", async () => {
    const response = await deliver({ omitHeaders: ["X-Shopify-Hmac-Sha256"] });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("answers 405 to anything but POST", async () => {
    const response = await ordersLoader();
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("rejects a correctly signed body that is not JSON with 400", async () => {
    const eventId = randomUUID();
    const response = await deliver({ eventId, rawBody: '{"id": 1, "name": ' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid JSON/);
    expect(await prisma.inboxEvent.count({ where: { eventId } })).toBe(0);
  });

  it("rejects a JSON body that is not an object with 400", async () => {
    const response = await deliver({ rawBody: "[1,2,3]" });
    expect(response.status).toBe(400);
  });

  it("rejects a topic delivered to the wrong address with 400", async () => {
    const response = await deliver({ topic: "customers/redact", body: { customer: { id: 1 } } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CUSTOMERS_REDACT/);
  });

  it("acknowledges a signed webhook for a shop that never installed the app, and keeps nothing", async () => {
    const eventId = randomUUID();
    const response = await post(
      signedWebhookRequest({ topic: "orders/create", shop: "never-installed.myshopify.com", body: sampleOrder(), eventId }),
    );
    expect(response.status).toBe(200);
    expect(await prisma.inboxEvent.count({ where: { eventId } })).toBe(0);
  });

  it("stores compliance webhooks on their own address", async () => {
    const eventId = randomUUID();
    const response = await post(
      signedWebhookRequest({
        topic: "customers/redact",
        shop: shop.domain,
        path: "/webhooks/compliance",
        eventId,
        body: { shop_domain: shop.domain, customer: { id: 42 }, orders_to_redact: [] },
      }),
      complianceAction,
    );
    expect(response.status).toBe(200);
    expect(await prisma.inboxEvent.count({ where: { eventId, topic: "CUSTOMERS_REDACT" } })).toBe(1);
  });

  it("answers a delivery as node:http read it (the web server's path, app/web.server.ts) as the action does", async () => {
    const eventId = randomUUID();
    const asRead = async (request: Request) => {
      const headers = Object.fromEntries([...request.headers].map(([name, value]) => [name, value]));
      return { header: (name: string) => headers[name], body: Buffer.from(await request.arrayBuffer()) };
    };
    const stored = await ordersAction.acknowledge(await asRead(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), eventId })));
    expect(stored).toEqual({ status: 200, headers: {}, body: null });
    expect(await prisma.inboxEvent.count({ where: { shopDomain: shop.domain, eventId } })).toBe(1);
    const job = await inboxQueue().getJob(inboxJobId({ shopDomain: shop.domain, eventId }));
    expect(job?.data).toEqual({ shopId: shop.id, shopDomain: shop.domain, eventId });

    const forged = await ordersAction.acknowledge(
      await asRead(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), secret: "other" })),
    );
    expect(forged).toMatchObject({ status: 401, body: "The X-Shopify-Hmac-Sha256 signature does not match the body" });
  });

  it("still answers 200 when Redis is down: the inbox row is the durable copy", async () => {
    const eventId = randomUUID();
    const brokenQueue = { add: () => Promise.reject(new Error("Connection is closed.")) };
    const { receiveWebhook, ORDER_TOPICS } = await import("~/services/receive-webhook.server");
    const response = await receiveWebhook(
      signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), eventId }),
      ORDER_TOPICS,
      brokenQueue as never,
    );
    expect(response.status).toBe(200);
    expect(await prisma.inboxEvent.count({ where: { eventId } })).toBe(1);
  });
});

describe("webhook routes refuse or keep what fuzzing found (issue #9)", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  beforeAll(async () => {
    shop = await createTestShop();
  });

  it("keeps a payload holding NUL characters and lone UTF-16 halves, which jsonb cannot hold, as U+FFFD", async () => {
    const eventId = randomUUID();
    const body = { ...sampleOrder(), note: "a\u0000b \ud800 c\\u0000d" };
    const response = await post(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body, eventId }));
    expect(response.status).toBe(200);
    const event = await prisma.inboxEvent.findUniqueOrThrow({ where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } } });
    // The text "\u0000" (backslash, u, zeros) is not a NUL and stays as it was.
    expect((event.payload as { note: string }).note).toBe("a\ufffdb \ufffd c\\u0000d");
  });

  it("answers 400 with the reason to a signed webhook whose shop header is not a myshopify.com domain", async () => {
    const response = await post(signedWebhookRequest({ topic: "orders/create", shop: "not a shop!", body: sampleOrder() }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/X-Shopify-Shop-Domain/);
  });

  it("answers 400 to an event id too long to index, and stores nothing", async () => {
    const eventId = "e".repeat(3_000);
    const response = await post(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), eventId }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/at most 255 characters/);
    expect(await prisma.inboxEvent.count({ where: { shopDomain: shop.domain, eventId } })).toBe(0);
  });

  it("answers 400 to a payload nested too deeply to serialize", async () => {
    const depth = 5_000;
    const rawBody = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    const response = await post(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: null, rawBody }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/nested more than 64 levels/);
  });

  it("stores an event whose X-Shopify-Triggered-At is a date the database cannot hold, without the date", async () => {
    const eventId = randomUUID();
    const request = signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), eventId });
    request.headers.set("X-Shopify-Triggered-At", "+242313-10-21T22:09:50.066Z");
    expect((await post(request)).status).toBe(200);
    const event = await prisma.inboxEvent.findUniqueOrThrow({ where: { shopDomain_eventId: { shopDomain: shop.domain, eventId } } });
    expect(event.triggeredAt).toBeNull();
  });

  it("says why on the library's refusals: a wrong signature, a missing header", async () => {
    const wrong = await post(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), secret: "other" }));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(/signature does not match/);
    const missing = await post(
      signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder(), omitHeaders: ["X-Shopify-Topic"] }),
    );
    expect(missing.status).toBe(400);
    expect(await missing.text()).toBe("Webhook is missing X-Shopify-Topic");
  });
});

describe("webhook routes without a database", () => {
  it("answers 503 so that Shopify retries, never 200 without a durable write", async () => {
    vi.resetModules();
    const savedUrl = process.env.DATABASE_URL;
    const savedClient = globalThis.__creatorLedgerPrisma;
    globalThis.__creatorLedgerPrisma = undefined;
    // A port nothing listens on: every query fails as it would with PostgreSQL down.
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";
    try {
      const { action } = await import("~/routes/webhooks._index");
      const response = await action({
        request: signedWebhookRequest({ topic: "orders/create", shop: "any-shop.myshopify.com", body: sampleOrder() }),
        params: {},
        context: {},
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBeTruthy();
    } finally {
      process.env.DATABASE_URL = savedUrl;
      globalThis.__creatorLedgerPrisma = savedClient;
    }
  });
});
