// Property tests of the webhook routes (issue #9): whatever arrives — any bytes, JSON of any shape or depth, Shopify's
// payloads with fields of the wrong type, headers missing, doubled, junk or far too long, signatures missing, wrong or
// garbage — the routes answer 200 (stored, or for a shop without the app) or a 4xx that says why, never 5xx while the
// database is up; nothing is stored without a valid signature; and a stored event with junk in it fails processing
// cleanly (its error recorded, nothing half-written) or is processed.
import { createHmac, randomUUID } from "node:crypto";
import { InvalidShopError } from "@shopify/shopify-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-fuzz-webhooks-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { inboxQueue } from "~/queues.server";
import { action as ordersAction } from "~/routes/webhooks._index";
import { action as uninstalledAction } from "~/routes/webhooks.app.uninstalled";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { verifyWebhook } from "~/services/verify-webhook.server";
import {
  APP_TOPICS,
  COLLECTION_TOPICS,
  COMPLIANCE_TOPICS,
  DISCOUNT_TOPICS,
  ORDER_TOPICS,
} from "~/services/receive-webhook.server";
import { authenticate, SHOPIFY_API_VERSION } from "~/shopify.server";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder, shopifySample } from "../helpers/shopify-samples";

const SECRET = process.env.SHOPIFY_API_SECRET!;

type Action = typeof ordersAction;
const ROUTES: { name: string; action: Action; topics: readonly string[] }[] = [
  { name: "/webhooks", action: ordersAction, topics: [...ORDER_TOPICS, ...DISCOUNT_TOPICS, ...COLLECTION_TOPICS] },
  { name: "/webhooks/compliance", action: complianceAction, topics: COMPLIANCE_TOPICS },
  { name: "/webhooks/app/uninstalled", action: uninstalledAction, topics: APP_TOPICS },
];

/** Shopify's header spelling of a stored topic: ORDERS_CREATE → orders/create, DISCOUNTS_REDEEMCODE_ADDED → discounts/redeemcode_added. */
const headerTopic = (topic: string) => topic.toLowerCase().replace("_", "/");
const ALL_TOPICS = ROUTES.flatMap((route) => route.topics);

/** A sample payload per topic, as Shopify publishes it (orders reshaped by sampleOrder). */
function samplePayload(topic: string): Record<string, unknown> {
  if (ORDER_TOPICS.includes(topic) && topic !== "REFUNDS_CREATE") return sampleOrder({ codes: ["FUZZCODE"] });
  return shopifySample(headerTopic(topic));
}

// ---- arbitraries ------------------------------------------------------------------------------------------------

/** What a header value can hold once an HTTP server has parsed it: tab, visible ASCII and Latin-1 bytes. */
const headerChar = fc
  .oneof(fc.constant(9), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((code) => String.fromCharCode(code));
const headerText = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 40 }),
  // Long values, up to what Node's default 16 KB header limit lets through.
  fc.string({ unit: headerChar, minLength: 200, maxLength: 12_000 }),
);

const isoDate = fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? "Invalid Date" : date.toISOString()));

/** JSON nested `depth` levels deep, as an object or array chain. */
const deepJson = fc
  .record({ depth: fc.oneof(fc.integer({ min: 50, max: 80 }), fc.integer({ min: 1_000, max: 20_000 })), arrays: fc.boolean() })
  .map(({ depth, arrays }) => (arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)));

/** Replaces the value at a random path of `payload` (chosen by `steps`) with `replacement`. */
function replaceAtPath(payload: unknown, steps: number[], replacement: unknown): unknown {
  if (steps.length === 0 || payload === null || typeof payload !== "object") return replacement;
  const keys = Array.isArray(payload) ? payload.map((_, index) => index) : Object.keys(payload);
  if (keys.length === 0) return replacement;
  const [step, ...rest] = steps as [number, ...number[]];
  const key = keys[step % keys.length]!;
  const copy = (Array.isArray(payload) ? [...payload] : { ...payload }) as Record<string | number, unknown>;
  copy[key] = replaceAtPath(copy[key], rest, replacement);
  return copy;
}

/** Shopify's payload for the topic with a few fields (at any depth) of the wrong type, or strings holding NULs and lone surrogates. */
const junkValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff x", "NaN", "-1e309", "1e400", "", "9".repeat(400), "gid://shopify/Order/x"),
  fc.double(),
  fc.bigInt().map((n) => Number(n)),
);
const mutatedSample = (topic: string) =>
  fc
    .array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), junkValue), { minLength: 1, maxLength: 4 })
    .map((mutations) => mutations.reduce<unknown>((payload, [steps, value]) => replaceAtPath(payload, steps, value), samplePayload(topic)));

/** Raw body bytes: anything at all, text, JSON of any shape, deep JSON, a huge object, or a sample with junk in it. */
const bodyFor = (topic: fc.Arbitrary<string>): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text, "utf8")),
    fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value), "utf8")),
    fc.dictionary(fc.string(), fc.jsonValue()).map((value) => Buffer.from(JSON.stringify(value), "utf8")),
    deepJson.map((text) => Buffer.from(text, "utf8")),
    fc
      .integer({ min: 50_000, max: 1_500_000 })
      .map((length) => Buffer.from(JSON.stringify({ note: "x".repeat(length), line_items: [] }), "utf8")),
    { weight: 5, arbitrary: topic.chain(mutatedSample).map((payload) => Buffer.from(JSON.stringify(payload), "utf8")) },
  );

type Signature = "valid" | "missing" | "empty" | "other-secret" | "other-body" | "garbage";
const signature = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Signature>("valid") },
  { weight: 1, arbitrary: fc.constantFrom<Signature>("missing", "empty", "other-secret", "other-body", "garbage") },
);

interface Delivery {
  route: number;
  body: Buffer;
  signature: Signature;
  garbageHmac: string;
  topic?: string[];
  shop?: ("own" | "other" | "never-installed" | string)[];
  apiVersion?: string[];
  webhookId?: string[];
  eventId?: string[];
  triggeredAt?: string[];
  contentType?: string[];
}

const HEADER_FIELDS = ["topic", "shop", "apiVersion", "webhookId", "eventId", "triggeredAt", "contentType"] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

/**
 * Headers as Shopify sends them, then up to three of them spoilt: left out, junk, or sent twice (the Fetch API joins
 * repeats with ", "); so that most deliveries get past the first check and reach the ones after it.
 */
const delivery: fc.Arbitrary<Delivery> = fc.integer({ min: 0, max: ROUTES.length - 1 }).chain((route) => {
  const ownTopic = fc.constantFrom(...ROUTES[route]!.topics);
  const good: Record<HeaderField, fc.Arbitrary<string>> = {
    topic: ownTopic.map(headerTopic),
    shop: fc.constantFrom("own", "own", "other", "never-installed"),
    apiVersion: fc.constant(SHOPIFY_API_VERSION),
    webhookId: fc.uuid(),
    eventId: fc.uuid(),
    triggeredAt: isoDate,
    contentType: fc.constant("application/json"),
  };
  const junk: Partial<Record<HeaderField, fc.Arbitrary<string>>> = {
    topic: fc.oneof(fc.constantFrom(...ALL_TOPICS.map(headerTopic), "orders/delete", "app/scopes_update"), headerText),
  };
  const spoil = fc.record({ field: fc.constantFrom(...HEADER_FIELDS), how: fc.constantFrom("missing", "junk", "twice") });
  return fc
    .record({
      body: bodyFor(ownTopic),
      signature,
      garbageHmac: fc.oneof(headerText, fc.base64String({ maxLength: 60 })),
      headers: fc.record(good),
      junkValues: fc.record(Object.fromEntries(HEADER_FIELDS.map((field) => [field, junk[field] ?? headerText])) as Record<HeaderField, fc.Arbitrary<string>>),
      secondValues: fc.record(good),
      spoilt: fc.array(spoil, { maxLength: 3 }),
    })
    .map(({ body, signature, garbageHmac, headers, junkValues, secondValues, spoilt }) => {
      const values: Partial<Record<HeaderField, string[]>> = Object.fromEntries(HEADER_FIELDS.map((field) => [field, [headers[field]]]));
      for (const { field, how } of spoilt) {
        values[field] = how === "missing" ? undefined : how === "junk" ? [junkValues[field]] : [...(values[field] ?? []), secondValues[field]];
      }
      return { route, body, signature, garbageHmac, ...values };
    });
});

// ---- requests -----------------------------------------------------------------------------------------------------

const sign = (body: Buffer, secret = SECRET) => createHmac("sha256", secret).update(body).digest("base64");

function hmacHeader(d: Delivery): string | undefined {
  switch (d.signature) {
    case "valid":
      return sign(d.body);
    case "missing":
      return undefined;
    case "empty":
      return "";
    case "other-secret":
      return sign(d.body, "not-the-app-secret");
    case "other-body":
      return sign(Buffer.concat([d.body, Buffer.from(" ")]));
    case "garbage":
      return d.garbageHmac;
  }
}

function buildRequest(d: Delivery, domains: { own: string; other: string }): Request {
  const headers = new Headers();
  const add = (name: string, values: string[] | undefined) => values?.forEach((value) => headers.append(name, value));
  const hmac = hmacHeader(d);
  if (hmac !== undefined) headers.set("X-Shopify-Hmac-Sha256", hmac);
  add("X-Shopify-Topic", d.topic);
  add(
    "X-Shopify-Shop-Domain",
    d.shop?.map((shop) => (shop === "own" ? domains.own : shop === "other" ? domains.other : shop === "never-installed" ? "never-installed.myshopify.com" : shop)),
  );
  add("X-Shopify-API-Version", d.apiVersion);
  add("X-Shopify-Webhook-Id", d.webhookId);
  add("X-Shopify-Event-Id", d.eventId);
  add("X-Shopify-Triggered-At", d.triggeredAt);
  add("Content-Type", d.contentType);
  return new Request(`http://localhost:3000${ROUTES[d.route]!.name}`, { method: "POST", headers, body: new Uint8Array(d.body) });
}

/** The signature checks the body as text: bytes that are not UTF-8 (or carry a BOM) are not what was signed. */
const signedAsText = (body: Buffer) => Buffer.from(new TextDecoder().decode(body), "utf8").equals(body);

/** Levels of nesting of a parsed JSON value (a scalar is 0), counted without recursion. */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

const inboxCount = () => prisma.inboxEvent.count();

/** What the shop has that processing an event could write to. */
async function shopRows(shopId: string) {
  const [orders, attributions, ledgerEntries, refunds, discountCodes, creators] = await Promise.all([
    prisma.order.count({ where: { shopId } }),
    prisma.attribution.count({ where: { order: { shopId } } }),
    prisma.ledgerEntry.count({ where: { shopId } }),
    prisma.refund.count({ where: { shopId } }),
    prisma.discountCode.count({ where: { shopId } }),
    prisma.creator.count({ where: { shopId } }),
  ]);
  return { orders, attributions, ledgerEntries, refunds, discountCodes, creators };
}

let otherShop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  otherShop = await createTestShop();
});

afterAll(async () => {
  await inboxQueue().obliterate({ force: true });
  await inboxQueue().close();
});

/**
 * What shopify-app-remix's authenticate.webhook (shopify-api's checks) makes of a request: the fields the app keeps,
 * or the status it refuses with (its 400s for a missing header or body, a shop header that is not a shop, a body that
 * is not JSON).
 */
async function libraryVerdict(request: Request) {
  try {
    const webhook = await authenticate.webhook(request);
    const { topic, shop, apiVersion, webhookId, triggeredAt, payload } = webhook;
    const eventId = ("eventId" in webhook && webhook.eventId) || webhookId;
    return { ok: true as const, webhook: { topic, shopDomain: shop, apiVersion, webhookId, eventId, triggeredAt, payload } };
  } catch (error) {
    if (error instanceof Response) return { ok: false as const, status: error.status };
    if (error instanceof SyntaxError || error instanceof InvalidShopError) return { ok: false as const, status: 400 };
    throw error;
  }
}

/** Shopify's newer "events" deliveries name their headers Shopify-* and carry no event id. */
function asEventsDelivery(request: Request): Request {
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (name === "x-shopify-event-id") return;
    headers.set(name.startsWith("x-shopify-") ? name.slice(2) : name, value);
  });
  return new Request(request.url, { method: "POST", headers, body: request.body, duplex: "half" } as RequestInit);
}

describe("the app's webhook checks", () => {
  it("reach the same verdict as shopify-api's on any delivery (signature, headers, shop, body)", async () => {
    const shopHeader = fc.constantFrom(
      "admin.shopify.com/store/a-shop",
      "admin.shop.dev/store/x_1",
      "a-shop.myshopify.com/",
      "x.shop.dev",
      "a_b.myshopify.io",
      "-bad.myshopify.com",
      "a-shop.myshopify.com.evil.com",
      "admin.shopify.com/store/-x",
    );
    const variant = fc.record({
      d: delivery,
      // The library signs the body as text: a signature over the text of a body that is not UTF-8 passes too.
      signText: fc.boolean(),
      // A leading byte order mark, which the library's text decoding drops.
      bom: fc.boolean(),
      events: fc.boolean(),
      shop: fc.option(shopHeader, { freq: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(variant, async ({ d: generated, signText, bom, events, shop }) => {
        const d = { ...generated, body: bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), generated.body]) : generated.body };
        const body = signText ? Buffer.from(new TextDecoder().decode(d.body), "utf8") : d.body;
        let request = buildRequest({ ...d, ...(shop === null ? {} : { shop: [shop] }) }, { own: otherShop.domain, other: otherShop.domain });
        if (signText && d.signature === "valid") request.headers.set("X-Shopify-Hmac-Sha256", sign(body));
        if (events) request = asEventsDelivery(request);

        const ours = verifyWebhook(
          { header: (name) => request.headers.get(name) ?? undefined, body: Buffer.from(await request.clone().arrayBuffer()) },
          SECRET,
        );
        const library = await libraryVerdict(request);
        if (library.ok) {
          expect(ours.ok).toBe(true);
          const { payload, ...fields } = (ours as Extract<typeof ours, { ok: true }>).webhook;
          const { payload: libraryPayload, ...libraryFields } = library.webhook;
          expect(fields).toEqual(libraryFields);
          // Deeper payloads are refused by the route anyway, and would overflow the comparison's stack.
          if (jsonDepth(libraryPayload) <= 64) expect(payload).toEqual(libraryPayload);
        } else {
          expect(ours).toMatchObject({ ok: false, status: library.status });
        }
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});

describe("webhook routes under arbitrary deliveries", () => {
  it("never answer 5xx nor throw; store only signed events for installed shops; say why on every 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const shop = await createTestShop();
        const route = ROUTES[d.route]!;
        const before = await inboxCount();

        const response = await route.action({ request: buildRequest(d, { own: shop.domain, other: otherShop.domain }), params: {}, context: {} });

        expect([200, 400, 401]).toContain(response.status);
        const stored = (await inboxCount()) - before;
        if (response.status !== 200) {
          expect(stored).toBe(0);
          expect((await response.text()).trim()).not.toBe("");
        }
        const signed = d.signature === "valid" && signedAsText(d.body);
        if (!signed) {
          expect(stored).toBe(0);
          expect([400, 401]).toContain(response.status);
          // A body with a signature that is there but wrong is refused as such, whatever else is wrong.
          if (d.body.length > 0 && ["other-secret", "other-body", "valid"].includes(d.signature)) {
            expect(response.status).toBe(401);
          }
          return;
        }
        // Signed by Shopify, every required header there, once, and right for this address: a JSON object is kept.
        const exactlyOnce = (values: string[] | undefined) => values?.length === 1 && values[0]!.trim() !== "";
        const wellFormed =
          [d.topic, d.shop, d.apiVersion, d.webhookId].every(exactlyOnce) &&
          (d.eventId === undefined || (exactlyOnce(d.eventId) && d.eventId[0]!.trim().length <= 255)) &&
          d.webhookId![0]!.trim().length <= 255 &&
          route.topics.map(headerTopic).includes(d.topic![0]!.trim());
        let json: unknown;
        try {
          json = JSON.parse(d.body.toString("utf8"));
        } catch {
          json = undefined;
        }
        const isObject = json !== null && typeof json === "object" && !Array.isArray(json);
        if (jsonDepth(json) > 64) expect(stored).toBe(0);
        if (wellFormed && isObject && jsonDepth(json) <= 64 && d.shop![0] === "own") {
          expect(response.status).toBe(200);
          expect(stored).toBe(1);
        }
        // Kept only for a shop that has the app: this test's own, or the other one.
        if (stored > 0) {
          expect(d.shop).toHaveLength(1);
          expect(["own", "other"]).toContain(d.shop![0]);
        }
        if (d.shop?.length === 1 && d.shop[0] === "never-installed") expect(stored).toBe(0);
      }),
      { numRuns: 250 },
    );
  }, 120_000);

  it("signed events with junk in Shopify's fields are stored, then processed or refused with the reason recorded, nothing half-written", async () => {
    const topic = fc.constantFrom(...ALL_TOPICS);
    const signedEvent = topic.chain((t) =>
      fc.record({
        topic: fc.constant(t),
        payload: fc.oneof(
          { weight: 4, arbitrary: mutatedSample(t) },
          { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })) },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(signedEvent, async ({ topic, payload }) => {
        const shop = await createTestShop();
        await createTestCreator(shop.id, { discountCode: "FUZZCODE" });
        const route = ROUTES.find((r) => r.topics.includes(topic))!;
        const eventId = randomUUID();
        const body = Buffer.from(JSON.stringify(payload), "utf8");
        const request = buildRequest(
          {
            route: ROUTES.indexOf(route),
            body,
            signature: "valid",
            garbageHmac: "",
            topic: [headerTopic(topic)],
            shop: ["own"],
            apiVersion: [SHOPIFY_API_VERSION],
            webhookId: [randomUUID()],
            eventId: [eventId],
            triggeredAt: [new Date().toISOString()],
            contentType: ["application/json"],
          },
          { own: shop.domain, other: otherShop.domain },
        );
        const response = await route.action({ request, params: {}, context: {} });
        if (!(payload !== null && typeof payload === "object" && !Array.isArray(payload))) {
          expect(response.status).toBe(400);
          return;
        }
        expect(response.status).toBe(200);
        const ref = { shopDomain: shop.domain, eventId };
        expect(await prisma.inboxEvent.count({ where: ref })).toBe(1);

        const rowsBefore = await shopRows(shop.id);
        const outcome = await processInboxEvent(prisma, ref).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const event = await prisma.inboxEvent.findUnique({ where: { shopDomain_eventId: ref } });
        if (outcome.ok) {
          // shop/redact erases the shop and keeps only its own event.
          expect(event?.processedAt ?? null).not.toBeNull();
          return;
        }
        expect(outcome.error).toBeInstanceOf(Error);
        expect(event).toMatchObject({ processedAt: null });
        expect(event!.lastError).toBeTruthy();
        expect(await shopRows(shop.id)).toEqual(rowsBefore);
      }),
      { numRuns: 120 },
    );
  });
});
