// The simulator must be indistinguishable from Shopify for the app: payloads that match Shopify's published
// schemas, amounts that add up, signatures Shopify's own library accepts, and Shopify's retry behaviour.
import "@shopify/shopify-api/adapters/node";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterEach, describe, expect, it } from "vitest";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { parseRefundPayload } from "~/domain/orders/parse-refund-payload";
import { WebhookDeliverer } from "./delivery";
import { parseAmount } from "./money";
import { OrderGenerator, type StoreEvent, type StoreTopic } from "./orders";
import { startSimulatorServer, type RunningSimulator } from "./server";
import { webhookHmac } from "./signing";
import { formatInTimeZone } from "./time";

const require = createRequire(import.meta.url);
const { schemaForWebhook } = require("shopify-webhook-schemas") as { schemaForWebhook: (version: string, topic: string) => object };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const SECRET = "simulator-test-secret";
const SHOP = "sim-test-store.myshopify.com";
const TOPICS: StoreTopic[] = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create"];

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map<StoreTopic, ValidateFunction>(TOPICS.map((topic) => [topic, ajv.compile(schemaForWebhook("2026-07", topic))]));

interface Kinded extends StoreEvent {
  kind: string;
}

/** Orders in several currencies, each taken through every follow-up Shopify can send. */
function generateStoreHistory(): Kinded[] {
  const events: Kinded[] = [];
  const shops = [
    { currency: "USD", timezone: "America/New_York" },
    { currency: "JPY", timezone: "Asia/Tokyo" },
    { currency: "EUR", timezone: "Europe/Berlin", presentment: { currency: "GBP", rate: 0.86 } },
  ];
  shops.forEach((profile, s) => {
    const generator = new OrderGenerator({ shop: { domain: SHOP, name: "Sim", ...profile }, seed: 100 + s });
    for (let i = 0; i < 40; i++) {
      const code = i % 2 === 0 ? "SARAH10" : i % 5 === 1 ? "MIKE25" : null;
      const placedAt = new Date(Date.UTC(2026, 2, 29, 0, 30) + i * 3_600_000); // spans a DST change in Europe
      const { order, events: created } = generator.placeOrder({ code, varyCodeSpelling: true, placedAt });
      events.push(...created.map((e) => ({ ...e, kind: "create" })));
      events.push(...generator.markPaid(order).map((e) => ({ ...e, kind: "paid" })));
      if (order.discount && i % 3 === 0) events.push(...generator.removeDiscountCode(order).map((e) => ({ ...e, kind: "remove-code" })));
      const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
      if (units >= 2 && i % 4 !== 3) events.push(...generator.refundPartially(order).map((e) => ({ ...e, kind: "partial-refund" })));
      if (i % 4 === 3 || i % 7 === 0) events.push(...generator.cancel(order).map((e) => ({ ...e, kind: "cancel" })));
    }
  });
  return events;
}

const history = generateStoreHistory();

type Money = { amount: string; currency_code: string };
type MoneySetPayload = { shop_money: Money; presentment_money: Money };
const shopMinor = (set: MoneySetPayload) => parseAmount(set.shop_money.amount, set.shop_money.currency_code);

describe("generated payloads", () => {
  it("cover every kind of event", () => {
    const kinds = new Set(history.map((e) => `${e.kind}:${e.topic}`));
    expect([...kinds].sort()).toEqual(
      [
        "cancel:orders/cancelled",
        "cancel:orders/updated",
        "cancel:refunds/create",
        "create:orders/create",
        "paid:orders/paid",
        "partial-refund:orders/updated",
        "partial-refund:refunds/create",
        "remove-code:orders/updated",
      ].sort(),
    );
  });

  it.each(TOPICS)("%s validates against Shopify's 2026-07 JSON schema", (topic) => {
    const events = history.filter((e) => e.topic === topic);
    expect(events.length).toBeGreaterThan(10);
    const validate = validators.get(topic)!;
    for (const event of events) {
      const valid = validate(event.payload);
      expect(valid ? [] : validate.errors!.slice(0, 5).map((e) => `${event.kind} ${event.orderName}: ${e.instancePath} ${e.message}`)).toEqual([]);
    }
  });

  it("are accepted by the app's own payload parsers", () => {
    for (const event of history) {
      if (event.topic === "refunds/create") expect(() => parseRefundPayload(event.payload)).not.toThrow();
      else expect(() => parseOrderPayload(event.payload)).not.toThrow();
    }
  });

  it("have order amounts that add up", () => {
    for (const event of history.filter((e) => e.topic !== "refunds/create")) {
      const o = event.payload as Record<string, any>;
      const currency = o.currency as string;
      const amount = (value: string) => parseAmount(value, currency);
      const lines = o.line_items as Record<string, any>[];
      const lineTotal = lines.reduce((sum, l) => sum + amount(l.price) * l.quantity, 0);
      const allocated = lines.reduce(
        (sum, l) => sum + (l.discount_allocations as { amount: string }[]).reduce((s, a) => s + amount(a.amount), 0),
        0,
      );
      const lineTax = lines.reduce((sum, l) => sum + (l.tax_lines as { price: string }[]).reduce((s, t) => s + amount(t.price), 0), 0);
      const codes = o.discount_codes as { code: string; amount: string }[];

      expect(amount(o.total_line_items_price)).toBe(lineTotal);
      expect(amount(o.total_discounts)).toBe(allocated);
      expect(codes.reduce((sum, c) => sum + amount(c.amount), 0)).toBe(allocated);
      expect((o.discount_applications as unknown[]).length).toBe(codes.length);
      expect(amount(o.subtotal_price)).toBe(lineTotal - allocated);
      expect(shopMinor(o.subtotal_price_set)).toBe(amount(o.subtotal_price));
      expect(amount(o.total_tax)).toBe(lineTax);
      expect(amount(o.total_price)).toBe(amount(o.subtotal_price) + amount(o.total_tax) + shopMinor(o.total_shipping_price_set));
      expect(amount(o.current_total_price)).toBe(
        amount(o.current_subtotal_price) + amount(o.current_total_tax) + shopMinor(o.current_shipping_price_set),
      );
      expect(amount(o.current_subtotal_price)).toBeLessThanOrEqual(amount(o.subtotal_price));
      expect(o.taxes_included).toBe(false);
      expect(o.admin_graphql_api_id).toBe(`gid://shopify/Order/${o.id}`);
      expect(o.name).toMatch(/^#\d{4,}$/);
      expect(o.customer.admin_graphql_api_id).toBe(`gid://shopify/Customer/${o.customer.id}`);
      expect(Number.isSafeInteger(o.id)).toBe(true);
      for (const field of ["created_at", "processed_at", "updated_at"]) expect(o[field]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      if (event.kind === "create" || event.kind === "paid") {
        expect(o.financial_status).toBe("paid");
        expect(o.cancelled_at).toBeNull();
        expect(o.current_subtotal_price).toBe(o.subtotal_price);
      }
      if (event.kind === "cancel") {
        expect(o.cancelled_at).not.toBeNull();
        expect(amount(o.current_total_price)).toBe(0);
        expect(o.financial_status).toBe("refunded");
      }
      if (currency === "JPY") expect(o.total_price).toMatch(/^\d+$/);
      else expect(o.total_price).toMatch(/^\d+\.\d\d$/);
    }
  });

  it("keep each order's updated_at moving forward and refunds matching the order's current amounts", () => {
    const byOrder = new Map<number, Kinded[]>();
    for (const event of history) byOrder.set(event.orderId, [...(byOrder.get(event.orderId) ?? []), event]);
    for (const events of byOrder.values()) {
      const orderEvents = events.filter((e) => e.topic !== "refunds/create").map((e) => e.payload as Record<string, any>);
      const times = orderEvents.map((o) => Date.parse(o.updated_at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const first = orderEvents[0]!;
      const last = orderEvents.at(-1)!;
      const refunded = events
        .filter((e) => e.topic === "refunds/create")
        .flatMap((e) => (e.payload as Record<string, any>).refund_line_items as Record<string, any>[])
        .reduce((sum, line) => sum + shopMinor(line.subtotal_set), 0);
      const lastSubtotal = shopMinor(last.subtotal_price_set);
      expect(shopMinor(last.current_subtotal_price_set)).toBe(lastSubtotal - refunded);
      expect(Date.parse(first.created_at)).toBe(Date.parse(last.created_at));
    }
  });

  it("refunds point at their order and carry a refund transaction for what they return", () => {
    for (const event of history.filter((e) => e.topic === "refunds/create")) {
      const r = event.payload as Record<string, any>;
      expect(r.order_id).toBe(event.orderId);
      expect(parseRefundPayload(r).shopifyOrderGid).toBe(`gid://shopify/Order/${event.orderId}`);
      const lines = (r.refund_line_items as Record<string, any>[]).reduce((sum, l) => sum + shopMinor(l.subtotal_set) + shopMinor(l.total_tax_set), 0);
      const shipping = (r.order_adjustments as Record<string, any>[]).reduce((sum, a) => sum - shopMinor(a.amount_set), 0);
      const currency = r.transactions[0].currency as string;
      expect(parseAmount(r.transactions[0].amount, currency)).toBe(lines + shipping);
      expect(r.transactions[0].kind).toBe("refund");
    }
  });

  it("spell creator codes the way shoppers type them, all normalizing to the creator's code", () => {
    const spellings = new Set<string>();
    for (const event of history.filter((e) => e.topic === "orders/create")) {
      for (const { code } of (event.payload as { discount_codes: { code: string }[] }).discount_codes) {
        if (["SARAH10", "MIKE25"].includes(normalizeDiscountCode(code))) spellings.add(code);
      }
    }
    expect(spellings.size).toBeGreaterThan(3);
    expect([...spellings].some((code) => code !== code.trim())).toBe(true);
    expect([...spellings].some((code) => code !== code.toUpperCase())).toBe(true);
  });

  it("gives repeat customers the same customer id", () => {
    const customers = history.filter((e) => e.topic === "orders/create").map((e) => (e.payload as any).customer.admin_graphql_api_id);
    expect(new Set(customers).size).toBeLessThan(customers.length);
  });

  it("is deterministic for a seed", () => {
    const make = () => new OrderGenerator({ shop: { domain: SHOP, name: "Sim", currency: "USD", timezone: "UTC" }, seed: 7 });
    const at = new Date("2026-11-01T12:00:00Z");
    expect(make().placeOrder({ placedAt: at }).events[0]!.payload).toEqual(make().placeOrder({ placedAt: at }).events[0]!.payload);
  });

  it("formats timestamps in the shop's zone with its offset", () => {
    expect(formatInTimeZone(new Date("2026-01-15T15:04:05.678Z"), "America/New_York")).toBe("2026-01-15T10:04:05-05:00");
    expect(formatInTimeZone(new Date("2026-07-15T15:04:05Z"), "America/New_York")).toBe("2026-07-15T11:04:05-04:00");
    expect(formatInTimeZone(new Date("2026-07-15T15:04:05Z"), "Asia/Kolkata")).toBe("2026-07-15T20:34:05+05:30");
    expect(formatInTimeZone(new Date("2026-07-15T15:04:05Z"), "UTC")).toBe("2026-07-15T15:04:05+00:00");
  });
});

// --- delivery -------------------------------------------------------------------------------------------------

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
  validation: Awaited<ReturnType<ReturnType<typeof shopifyApi>["webhooks"]["validate"]>>;
}

const shopify = shopifyApi({
  apiKey: "simulator-test-key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.July26,
  isEmbeddedApp: true,
  hostName: "localhost",
  logger: { level: 0 },
});

const servers: Server[] = [];
const simulators: RunningSimulator[] = [];
afterEach(async () => {
  for (const sim of simulators.splice(0)) await sim.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A webhook receiver that validates each request with Shopify's own library, then answers per `respond`. */
async function receiver(respond: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  let active = 0;
  const stats = { maxConcurrent: 0 };
  const server = createServer(async (req, res) => {
    active++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, active);
    res.on("close", () => active--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const validation = await shopify.webhooks.validate({ rawBody: body, rawRequest: req, rawResponse: res });
    received.push({ headers: req.headers, body, at: Date.now(), validation });
    respond(received.length, req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, stats };
}

const sampleOrder = () => history.find((e) => e.topic === "orders/create")!.payload;

describe("webhook delivery", () => {
  it("signs requests so that Shopify's webhook validation accepts them, with every header Shopify sends", async () => {
    const app = await receiver((_, __, res) => res.writeHead(200).end());
    const deliverer = new WebhookDeliverer({ appUrl: app.url, secret: SECRET, shopDomain: SHOP });
    const triggeredAt = new Date("2026-11-20T10:00:00Z");
    const delivery = deliverer.enqueue({ topic: "orders/create", payload: sampleOrder(), subject: "#1001", triggeredAt });
    await deliverer.idle();

    expect(delivery.state).toBe("delivered");
    const [request] = app.received;
    expect(request!.validation).toMatchObject({
      valid: true,
      topic: "ORDERS_CREATE",
      domain: SHOP,
      apiVersion: "2026-07",
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
    });
    expect(request!.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(request!.body, SECRET));
    expect(request!.headers["x-shopify-triggered-at"]).toBe(triggeredAt.toISOString());
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual(sampleOrder());
  });

  it("routes topics to the app's webhook paths", async () => {
    const paths: string[] = [];
    const app = await receiver((_, req, res) => {
      paths.push(req.url!);
      res.writeHead(200).end();
    });
    const deliverer = new WebhookDeliverer({ appUrl: `${app.url}/`, secret: SECRET, shopDomain: SHOP });
    for (const topic of ["orders/paid", "refunds/create", "app/uninstalled", "shop/redact", "customers/data_request"]) {
      deliverer.enqueue({ topic, payload: {} });
    }
    await deliverer.idle();
    expect(paths.sort()).toEqual(["/webhooks", "/webhooks", "/webhooks/app/uninstalled", "/webhooks/compliance", "/webhooks/compliance"]);
  });

  it("retries a failing app with backoff, keeping the webhook id, event id and signature", async () => {
    const app = await receiver((n, _, res) => res.writeHead(n <= 2 ? 503 : 200).end());
    const deliverer = new WebhookDeliverer({
      appUrl: app.url,
      secret: SECRET,
      shopDomain: SHOP,
      retry: { retries: 8, initialDelayMs: 100, factor: 2 },
    });
    const delivery = deliverer.enqueue({ topic: "orders/create", payload: sampleOrder() });
    await deliverer.idle();

    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(app.received).toHaveLength(3);
    for (const header of ["x-shopify-webhook-id", "x-shopify-event-id", "x-shopify-hmac-sha256", "x-shopify-triggered-at"]) {
      expect(new Set(app.received.map((r) => r.headers[header])).size).toBe(1);
    }
    const gaps = app.received.slice(1).map((r, i) => r.at - app.received[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(deliverer.summary()).toMatchObject({ total: 1, delivered: 1, failed: 0, attempts: 3, statuses: { "503": 2, "200": 1 } });
  });

  it("treats a slow answer as a failure and network errors as retryable", async () => {
    const app = await receiver((n, _, res) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end(), 600);
      else if (n === 2) res.socket?.destroy();
      else res.writeHead(200).end();
    });
    const deliverer = new WebhookDeliverer({
      appUrl: app.url,
      secret: SECRET,
      shopDomain: SHOP,
      timeoutMs: 200,
      retry: { retries: 3, initialDelayMs: 20, factor: 2 },
    });
    const delivery = deliverer.enqueue({ topic: "orders/updated", payload: sampleOrder() });
    await deliverer.idle();
    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts).toHaveLength(3);
    expect(delivery.attempts[0]!.error).toMatch(/No response within 200 ms/);
    expect(delivery.attempts[1]!.status).toBeNull();
    expect(delivery.attempts[1]!.error).toBeTruthy();
    expect(delivery.attempts[2]!.status).toBe(200);
  });

  it("gives up after the last retry, as Shopify does", async () => {
    const app = await receiver((_, __, res) => res.writeHead(500).end());
    const deliverer = new WebhookDeliverer({ appUrl: app.url, secret: SECRET, shopDomain: SHOP, retry: { retries: 2, initialDelayMs: 10, factor: 2 } });
    const delivery = deliverer.enqueue({ topic: "orders/create", payload: {} });
    await deliverer.idle();
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
  });

  it("does not follow redirects (Shopify counts a 3xx as a failure)", async () => {
    const app = await receiver((n, _, res) => (n === 1 ? res.writeHead(302, { Location: "/elsewhere" }).end() : res.writeHead(200).end()));
    const deliverer = new WebhookDeliverer({ appUrl: app.url, secret: SECRET, shopDomain: SHOP, retry: { retries: 1, initialDelayMs: 10, factor: 2 } });
    const delivery = deliverer.enqueue({ topic: "orders/create", payload: {} });
    await deliverer.idle();
    expect(delivery.attempts.map((a) => a.status)).toEqual([302, 200]);
  });

  it("bounds the number of requests in flight", async () => {
    const app = await receiver((_, __, res) => setTimeout(() => res.writeHead(200).end(), 60));
    const deliverer = new WebhookDeliverer({ appUrl: app.url, secret: SECRET, shopDomain: SHOP, concurrency: 3 });
    const deliveries = Array.from({ length: 12 }, () => deliverer.enqueue({ topic: "orders/create", payload: {} }));
    await deliverer.idle();
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    expect(app.stats.maxConcurrent).toBe(3);
    expect(new Set(deliveries.map((d) => d.webhookId)).size).toBe(12);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(12);
  });
});

describe("control server", () => {
  it("places orders with a creator's code and reports deliveries", async () => {
    const app = await receiver((_, __, res) => res.writeHead(200).end());
    const sim = await startSimulatorServer({ appUrl: app.url, secret: SECRET, shop: { domain: SHOP }, port: 0, seed: 3 });
    simulators.push(sim);

    const placed = await fetch(`${sim.url}/orders`, { method: "POST", body: JSON.stringify({ code: "SARAH10", count: 2 }) });
    expect(placed.status).toBe(201);
    const { orders, deliveries } = (await placed.json()) as { orders: any[]; deliveries: any[] };
    expect(orders.map((o) => o.name)).toEqual(["#1001", "#1002"]);
    expect(orders.every((o) => o.codeAsTyped === "SARAH10")).toBe(true);
    expect(deliveries.map((d) => d.state)).toEqual(["delivered", "delivered"]);
    const bodies = app.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.discount_codes[0].code)).toEqual(["SARAH10", "SARAH10"]);
    expect(bodies.map((b) => b.subtotal_price)).toEqual(orders.map((o) => o.subtotal));

    const cancelled = await fetch(`${sim.url}/orders/${encodeURIComponent("#1002")}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(201);
    expect(((await cancelled.json()) as any).deliveries.map((d: any) => d.topic)).toEqual(["orders/cancelled", "refunds/create", "orders/updated"]);

    const summary = (await (await fetch(`${sim.url}/deliveries`)).json()) as any;
    expect(summary.summary).toMatchObject({ total: 5, delivered: 5, failed: 0 });
    expect(summary.recent).toHaveLength(5);

    expect((await fetch(`${sim.url}/orders/nope/cancel`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${sim.url}/orders`, { method: "POST", body: "[" })).status).toBe(400);
  });

  it("replays store history in the background", async () => {
    const app = await receiver((_, __, res) => res.writeHead(200).end());
    const sim = await startSimulatorServer({ appUrl: app.url, secret: SECRET, shop: { domain: SHOP }, port: 0, seed: 4 });
    simulators.push(sim);
    const started = await fetch(`${sim.url}/replay`, { method: "POST", body: JSON.stringify({ orders: 60, codes: ["SARAH10", "MIKE25"] }) });
    expect(started.status).toBe(202);
    let progress: any;
    for (let i = 0; i < 100; i++) {
      progress = await (await fetch(`${sim.url}/replay`)).json();
      if (progress.done) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(progress).toMatchObject({ done: true, ordersPlaced: 60, failed: 0, error: null });
    expect(progress.delivered).toBe(progress.events);
    expect(progress.events).toBeGreaterThan(60);
    const creates = app.received.filter((r) => r.headers["x-shopify-topic"] === "orders/create").map((r) => JSON.parse(r.body));
    const withCreatorCode = creates.filter((o) => o.discount_codes.some((d: any) => ["SARAH10", "MIKE25"].includes(normalizeDiscountCode(d.code))));
    expect(withCreatorCode.length).toBeGreaterThan(10);
    expect(withCreatorCode.length).toBeLessThan(50);
  });
});
