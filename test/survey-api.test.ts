// The post-purchase survey's endpoints (/api/survey/thank-you and /api/survey/order-status) as the checkout and
// customer account extensions call them: session tokens signed like Shopify's, CORS, the shop taken from the token
// only, answers stored once per order, rate limits on Redis, and orders joined whichever arrives first.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-survey-api-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { DEFAULT_SURVEY_SETTINGS, type SurveySettings } from "~/domain/survey/settings";
import { commissionsQueue, settleJobId, webRedis } from "~/queues.server";
import { loader as thankYouLoader, action as thankYouAction } from "~/routes/api.survey.thank-you";
import { loader as orderStatusLoader, action as orderStatusAction } from "~/routes/api.survey.order-status";
import { ingestOrder } from "~/services/ingest-order.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { COMPLIANCE_TOPICS, receiveWebhook } from "~/services/receive-webhook.server";
import { SURVEY_RATE_LIMIT } from "~/services/survey-api.server";
import { createTestContract, createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder, shopifySample } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";
import { EXTENSION_ORIGIN, mintExtensionSessionToken, signSessionToken } from "./simulator/session-tokens";
import {
  answerSurvey,
  surveyRequest,
  type SurveyEndpoint,
  type SurveyJson,
  type SurveyRequestInit,
} from "./simulator/survey-shopper";

type Shop = Awaited<ReturnType<typeof createTestShop>>;
type Creator = Awaited<ReturnType<typeof createTestCreator>>;

const API_KEY = process.env.SHOPIFY_API_KEY!;
const API_SECRET = process.env.SHOPIFY_API_SECRET!;

const endpointOf = (shop: Shop, surface: SurveyEndpoint["surface"] = "thank-you"): SurveyEndpoint => ({
  appUrl: process.env.SHOPIFY_APP_URL!,
  shop: shop.domain,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  surface,
});

/** Hands the request to the route, as Remix does: GET and HEAD to the loader, everything else to the action. */
async function send(request: Request): Promise<Response> {
  const args = { request, params: {}, context: {} };
  const orderStatus = new URL(request.url).pathname.endsWith("/order-status");
  const readOnly = request.method === "GET" || request.method === "HEAD";
  if (orderStatus) return readOnly ? orderStatusLoader(args) : orderStatusAction(args);
  return readOnly ? thankYouLoader(args) : thankYouAction(args);
}

const call = (shop: Shop, init: SurveyRequestInit = {}, surface?: SurveyEndpoint["surface"]) =>
  send(surveyRequest(endpointOf(shop, surface), init));
const post = (shop: Shop, body: unknown, init: SurveyRequestInit = {}) => call(shop, { method: "POST", body, ...init });

let confirmationCounter = 0;
const newConfirmationNumber = () =>
  `T${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}${confirmationCounter++}`;

async function setSurvey(shop: Shop, settings: Partial<SurveySettings>) {
  await prisma.shop.update({
    where: { id: shop.id },
    data: { surveySettings: { ...DEFAULT_SURVEY_SETTINGS, ...settings } as object },
  });
}

const answersOf = (shop: Shop) => prisma.surveyResponse.findMany({ where: { shopId: shop.id } });

function expectCors(response: Response) {
  expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
}

/** An order from Shopify's sample with its own customer and no attribution signal at all. */
function plainOrder(confirmationNumber: string) {
  const payload = sampleOrder({ customerId: 8_000_000 + Math.floor(Math.random() * 1_000_000) });
  Object.assign(payload, {
    confirmation_number: confirmationNumber,
    landing_site: null,
    referring_site: null,
    note_attributes: [],
  });
  return payload;
}

async function ingest(shop: Shop, payload: Record<string, unknown>) {
  const fresh = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
  return prisma.$transaction((tx) => ingestOrder(tx, fresh, parseOrderPayload(payload)));
}

let shopA: Shop;
let shopB: Shop;
let maya: Creator;
let leo: Creator;
let bea: Creator;

beforeAll(async () => {
  [shopA, shopB] = await Promise.all([createTestShop(), createTestShop()]);
  maya = await createTestCreator(shopA.id, { name: "Maya Fit" });
  leo = await createTestCreator(shopA.id, { name: "Leo Runs" });
  bea = await createTestCreator(shopB.id, { name: "Bea Bakes" });
  await setSurvey(shopA, { randomize: false });
});

afterAll(async () => {
  await commissionsQueue().obliterate({ force: true });
  await commissionsQueue().close();
  webRedis().disconnect();
});

describe("reading the survey", () => {
  it("answers the CORS preflight with 204 and the headers the extension's fetch needs", async () => {
    const response = await call(shopA, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expectCors(response);
  });

  it("gives the shop's answers in display order, creators first, Other last with no label, and no answer yet", async () => {
    const response = await call(shopA, { confirmationNumber: newConfirmationNumber() });
    expect(response.status).toBe(200);
    expectCors(response);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({
      survey: {
        question: null,
        options: [
          { key: `creator:${leo.id}`, label: "Leo Runs", kind: "CREATOR" },
          { key: `creator:${maya.id}`, label: "Maya Fit", kind: "CREATOR" },
          ...DEFAULT_SURVEY_SETTINGS.channels.map((c) => ({
            key: `channel:${c.key}`,
            label: c.label,
            kind: "CHANNEL",
          })),
          { key: "other", label: null, kind: "OTHER" },
        ],
        otherMaxLength: 200,
      },
      answer: null,
    });
  });

  it("shows the merchant's question and Other label, and shuffles when asked, Other staying last", async () => {
    const shop = await createTestShop();
    for (const name of ["A", "B", "C", "D"]) await createTestCreator(shop.id, { name });
    await setSurvey(shop, { question: "Who sent you our way?", otherLabel: "Somewhere else", randomize: true });
    const orders = new Set<string>();
    for (let i = 0; i < 8; i += 1) {
      const body = (await (await call(shop, { confirmationNumber: newConfirmationNumber() })).json()) as SurveyJson;
      if (!body.survey) throw new Error("survey expected");
      expect(body.survey.question).toBe("Who sent you our way?");
      expect(body.survey.options.at(-1)).toEqual({ key: "other", label: "Somewhere else", kind: "OTHER" });
      orders.add(body.survey.options.map((o) => o.key).join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("is { survey: null } when the merchant turned the survey off", async () => {
    const shop = await createTestShop();
    await setSurvey(shop, { enabled: false });
    const response = await call(shop, { confirmationNumber: newConfirmationNumber() });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ survey: null });
  });

  it("answers 405 to methods other than GET, POST and OPTIONS", async () => {
    const response = await call(shopA, { method: "PUT", body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, POST, OPTIONS");
    expectCors(response);
  });

  it("refuses a missing or malformed confirmation number with 400", async () => {
    for (const confirmationNumber of [undefined, "", "AB-12", "x".repeat(65)]) {
      const response = await call(shopA, { confirmationNumber });
      expect(response.status, String(confirmationNumber)).toBe(400);
      expectCors(response);
      expect(await response.json()).toEqual({ error: { message: expect.any(String), field: "confirmationNumber" } });
    }
  });
});

describe("answering", () => {
  it("records the answer once, with the page it came from, and returns the stored answer", async () => {
    const confirmationNumber = newConfirmationNumber();
    const response = await post(shopA, { confirmationNumber, optionKey: `creator:${maya.id}` });
    expect(response.status).toBe(201);
    expectCors(response);
    expect(await response.json()).toEqual({
      status: "recorded",
      answer: { optionKey: `creator:${maya.id}`, optionLabel: "Maya Fit" },
    });
    expect(
      await prisma.surveyResponse.findUniqueOrThrow({
        where: { shopId_confirmationNumber: { shopId: shopA.id, confirmationNumber } },
      }),
    ).toMatchObject({
      creatorId: maya.id,
      optionLabel: "Maya Fit",
      otherText: null,
      surface: "THANK_YOU",
    });
    const read = (await (await call(shopA, { confirmationNumber })).json()) as SurveyJson;
    expect(read).toMatchObject({ answer: { optionKey: `creator:${maya.id}`, optionLabel: "Maya Fit" } });
  });

  it("takes answers on the order status page under the customer account's token, with free text for Other", async () => {
    const confirmationNumber = newConfirmationNumber();
    const endpoint = endpointOf(shopA, "order-status");
    const { status, answer } = await answerSurvey(
      endpoint,
      confirmationNumber,
      (options) => ({
        optionKey: options.find((o) => o.kind === "OTHER")!.key,
        otherText: "  A stall at the\nfarmers' market ",
      }),
      send,
    );
    expect(status).toBe(201);
    expect(answer).toEqual({ optionKey: "other", optionLabel: "Other" });
    expect(
      await prisma.surveyResponse.findUniqueOrThrow({
        where: { shopId_confirmationNumber: { shopId: shopA.id, confirmationNumber } },
      }),
    ).toMatchObject({ surface: "ORDER_STATUS", otherText: "A stall at the farmers' market", creatorId: null });
  });

  it("replayed, the same signed request changes nothing and says the order was already answered", async () => {
    const confirmationNumber = newConfirmationNumber();
    const { token } = mintExtensionSessionToken({ shop: shopA.domain, apiKey: API_KEY, apiSecret: API_SECRET });
    const body = { confirmationNumber, optionKey: "channel:tiktok" };
    expect((await post(shopA, body, { token })).status).toBe(201);
    const again = await post(shopA, body, { token });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      status: "already-answered",
      answer: { optionKey: "channel:tiktok", optionLabel: "TikTok" },
    });
    // A different answer for the same order does not replace the first one either.
    const changed = await post(shopA, { confirmationNumber, optionKey: `creator:${leo.id}` });
    expect(await changed.json()).toMatchObject({ status: "already-answered", answer: { optionKey: "channel:tiktok" } });
    expect(await prisma.surveyResponse.count({ where: { shopId: shopA.id, confirmationNumber } })).toBe(1);
  });

  it.each([
    ["not JSON", { rawBody: "{optionKey:" }, undefined],
    ["a JSON array", { rawBody: "[1,2]" }, undefined],
    ["no confirmation number", { body: { optionKey: "channel:tiktok" } }, "confirmationNumber"],
    [
      "a malformed confirmation number",
      { body: { confirmationNumber: "12 34", optionKey: "channel:tiktok" } },
      "confirmationNumber",
    ],
    ["an unknown answer", { body: { confirmationNumber: "OK1", optionKey: "channel:myspace" } }, "optionKey"],
    ["an answer that is not text", { body: { confirmationNumber: "OK1", optionKey: 7 } }, "optionKey"],
    ["Other without text", { body: { confirmationNumber: "OK1", optionKey: "other", otherText: "   " } }, "otherText"],
    [
      "Other with 201 characters",
      { body: { confirmationNumber: "OK1", optionKey: "other", otherText: "x".repeat(201) } },
      "otherText",
    ],
    [
      "text that is not text",
      { body: { confirmationNumber: "OK1", optionKey: "other", otherText: ["x"] } },
      "otherText",
    ],
  ] as const)("refuses %s with 400 and a message, and stores nothing", async (_, init, field) => {
    const shop = await createTestShop();
    const response = await call(shop, { method: "POST", ...init });
    expect(response.status).toBe(400);
    expectCors(response);
    const body = (await response.json()) as { error: { message: string; field?: string } };
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.field).toBe(field);
    expect(await answersOf(shop)).toEqual([]);
  });

  it("refuses answers while the survey is off", async () => {
    const shop = await createTestShop();
    await setSurvey(shop, { enabled: false });
    const response = await post(shop, { confirmationNumber: newConfirmationNumber(), optionKey: "channel:tiktok" });
    expect(response.status).toBe(400);
    expect(await answersOf(shop)).toEqual([]);
  });

  it("refuses a creator the merchant did not put in the survey", async () => {
    const shop = await createTestShop();
    const [shown, hidden] = [await createTestCreator(shop.id), await createTestCreator(shop.id)];
    await setSurvey(shop, { creatorSelection: "CHOSEN", creatorIds: [shown.id] });
    const refused = await post(shop, {
      confirmationNumber: newConfirmationNumber(),
      optionKey: `creator:${hidden.id}`,
    });
    expect(refused.status).toBe(400);
    expect(
      (await post(shop, { confirmationNumber: newConfirmationNumber(), optionKey: `creator:${shown.id}` })).status,
    ).toBe(201);
  });

  it("never answers 5xx to whatever body arrives, always 4xx with a message, and writes nothing", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const known = new Set([
      `creator:${creator.id}`,
      "other",
      ...DEFAULT_SURVEY_SETTINGS.channels.map((c) => `channel:${c.key}`),
    ]);
    const validNumber = fc.stringMatching(/^[A-Z0-9]{9}$/);
    const invalidNumber = fc.oneof(
      fc.string().filter((s) => !/^[A-Za-z0-9]{1,64}$/.test(s.trim())),
      fc.integer(),
      fc.constant(null),
    );
    const knownKey = fc.constantFrom(...known);
    const badText = fc.oneof(
      fc.constantFrom("", "   ", "\n\t"),
      fc.string({ minLength: 201, maxLength: 400 }).filter((s) => [...s.replace(/\s+/g, " ").trim()].length > 200),
      fc.integer(),
      fc.constant(null),
    );
    const body = fc.oneof(
      // Anything at all, as raw text or as JSON.
      fc.string().map((rawBody) => ({ rawBody })),
      fc.anything().map((value) => ({ rawBody: JSON.stringify(value) ?? "undefined" })),
      // Shaped like an answer, with at least one field wrong.
      fc
        .record({
          confirmationNumber: fc.oneof(validNumber, invalidNumber),
          optionKey: fc.oneof(fc.string(), fc.integer()).filter((key) => !known.has(String(key))),
          otherText: fc.option(fc.string(), { nil: undefined }),
        })
        .map((value) => ({ body: value })),
      fc
        .record({ confirmationNumber: validNumber, optionKey: fc.constant("other"), otherText: badText })
        .map((value) => ({ body: value })),
      fc
        .record({
          confirmationNumber: invalidNumber,
          optionKey: knownKey,
          otherText: fc.string({ minLength: 1, maxLength: 20 }),
        })
        .map((value) => ({ body: value })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (init) => {
        const response = await call(shop, { method: "POST", ...init });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const json = (await response.json()) as { error?: { message?: unknown } };
        expect(typeof json.error?.message).toBe("string");
        expectCors(response);
      }),
      { numRuns: 150 },
    );
    expect(await answersOf(shop)).toEqual([]);
  });
});

describe("bodies streamed without a length", () => {
  // Found by test/fuzz/survey-api.fuzz.test.ts: the body was read whole before its size was checked, so an endless
  // stream filled the memory and ended in a 500.
  it("stops reading past 16 KB and answers 400, even when the stream never ends", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024));
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const { token } = mintExtensionSessionToken({ shop: shopA.domain, apiKey: API_KEY, apiSecret: API_SECRET });
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/api/survey/thank-you`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, Origin: EXTENSION_ORIGIN, "Content-Type": "application/json" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await send(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: "The body is too large" } });
    expect(pulled).toBeLessThan(40);
  });
});

describe("session tokens", () => {
  const confirmationNumber = () => newConfirmationNumber();
  const refused = async (response: Response) => {
    expect(response.status).toBe(401);
    expectCors(response);
    expect(await response.json()).toEqual({ error: { message: expect.any(String) } });
  };

  it("without a token: 401 for reading and answering, nothing written", async () => {
    const shop = await createTestShop();
    await refused(await call(shop, { confirmationNumber: confirmationNumber(), token: null }));
    await refused(
      await post(shop, { confirmationNumber: confirmationNumber(), optionKey: "channel:tiktok" }, { token: null }),
    );
    expect(await answersOf(shop)).toEqual([]);
  });

  it("expired, not yet valid, signed with another secret, for another app, or not a JWT: 401", async () => {
    const shop = await createTestShop();
    const mint = (options: Partial<Parameters<typeof mintExtensionSessionToken>[0]>) =>
      mintExtensionSessionToken({ shop: shop.domain, apiKey: API_KEY, apiSecret: API_SECRET, ...options }).token;
    const tenMinutesAgo = Date.now() - 600_000;
    const { claims } = mintExtensionSessionToken({ shop: shop.domain, apiKey: API_KEY, apiSecret: API_SECRET });
    const tokens = {
      expired: mint({ now: tenMinutesAgo, ttlSeconds: 300 }),
      notYetValid: mint({ now: Date.now() + 600_000 }),
      otherSecret: mint({ apiSecret: "someone-elses-secret" }),
      otherApp: mint({ apiKey: "another-apps-key" }),
      noneAlgorithm: signSessionToken(claims, API_SECRET, { alg: "none", typ: "JWT" }),
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(tokens)) {
      const body = { confirmationNumber: confirmationNumber(), optionKey: "channel:tiktok" };
      const response = await post(shop, body, { token });
      expect(response.status, name).toBe(401);
      await refused(response);
    }
    expect(await answersOf(shop)).toEqual([]);
  });

  it("for a shop that never installed the app, or uninstalled it: 401", async () => {
    const ghost = { domain: `ghost-${randomUUID().slice(0, 8)}.myshopify.com` } as Shop;
    await refused(await call(ghost, { confirmationNumber: confirmationNumber() }));
    const gone = await createTestShop();
    await prisma.shop.update({ where: { id: gone.id }, data: { uninstalledAt: new Date() } });
    await refused(await post(gone, { confirmationNumber: confirmationNumber(), optionKey: "channel:tiktok" }));
    expect(await answersOf(gone)).toEqual([]);
  });

  it("of shop A can neither read nor write shop B's survey or answers", async () => {
    // B has an answer and an order; A's shopper uses B's confirmation number and B's creator.
    const number = newConfirmationNumber();
    expect((await post(shopB, { confirmationNumber: number, optionKey: `creator:${bea.id}` })).status).toBe(201);
    const bOrder = await ingest(shopB, plainOrder(number));
    const bBefore = await prisma.attribution.findUniqueOrThrow({ where: { orderId: bOrder.orderId } });

    const tokenA = mintExtensionSessionToken({ shop: shopA.domain, apiKey: API_KEY, apiSecret: API_SECRET }).token;
    // A request naming B anywhere but in the token still reads A: the shop comes from the token's dest only.
    const url = new URL(
      `/api/survey/thank-you?confirmationNumber=${number}&shop=${shopB.domain}`,
      process.env.SHOPIFY_APP_URL,
    );
    const read = await send(
      new Request(url, {
        headers: { Authorization: `Bearer ${tokenA}`, Origin: EXTENSION_ORIGIN, "X-Shopify-Shop-Domain": shopB.domain },
      }),
    );
    const survey = (await read.json()) as Extract<SurveyJson, { answer: unknown }>;
    expect(survey.answer).toBeNull();
    expect(survey.survey.options.map((o) => o.key)).not.toContain(`creator:${bea.id}`);
    expect(survey.survey.options.map((o) => o.key)).toContain(`creator:${maya.id}`);

    const refusedAnswer = await post(
      shopA,
      { confirmationNumber: number, optionKey: `creator:${bea.id}`, shop: shopB.domain },
      { token: tokenA },
    );
    expect(refusedAnswer.status).toBe(400);

    // An answer under A's token with B's confirmation number is A's: B's answer and B's order are untouched.
    expect(
      (await post(shopA, { confirmationNumber: number, optionKey: "channel:tiktok" }, { token: tokenA })).status,
    ).toBe(201);
    expect(
      await prisma.surveyResponse.findMany({ where: { confirmationNumber: number }, orderBy: { answeredAt: "asc" } }),
    ).toEqual([
      expect.objectContaining({ shopId: shopB.id, creatorId: bea.id }),
      expect.objectContaining({ shopId: shopA.id, optionKey: "channel:tiktok" }),
    ]);
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId: bOrder.orderId } })).toEqual(bBefore);
  });
});

describe("rate limits", () => {
  it(`answers 429 with Retry-After after ${SURVEY_RATE_LIMIT.limit} requests for one order in a minute, and writes nothing then`, async () => {
    const shop = await createTestShop();
    const number = newConfirmationNumber();
    for (let i = 0; i < SURVEY_RATE_LIMIT.limit; i += 1) {
      expect((await call(shop, { confirmationNumber: number })).status).toBe(200);
    }
    const limited = await post(shop, { confirmationNumber: number, optionKey: "channel:tiktok" });
    expect(limited.status).toBe(429);
    expectCors(limited);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ error: { message: expect.any(String) } });
    expect((await call(shop, { confirmationNumber: number })).status).toBe(429);
    expect(await answersOf(shop)).toEqual([]);

    // Another order of the same shop, and the same confirmation number in another shop, are not affected.
    expect(
      (await post(shop, { confirmationNumber: newConfirmationNumber(), optionKey: "channel:tiktok" })).status,
    ).toBe(201);
    const other = await createTestShop();
    expect((await post(other, { confirmationNumber: number, optionKey: "channel:tiktok" })).status).toBe(201);
  });
});

describe("joining answers and orders", () => {
  it("an answer that arrives before the order webhook credits the creator when the order arrives", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { name: "Early Bird", revenueSharePercent: "10" });
    const number = newConfirmationNumber();
    expect((await post(shop, { confirmationNumber: number, optionKey: `creator:${creator.id}` })).status).toBe(201);

    const { orderId } = await ingest(shop, plainOrder(number));
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId } })).toMatchObject({
      creatorId: creator.id,
      method: "SURVEY",
      confidence: 50,
    });
    expect(
      await prisma.ledgerEntry.findMany({ where: { orderId }, select: { creatorId: true, amountMinor: true } }),
    ).toEqual([{ creatorId: creator.id, amountMinor: 1000n }]);
  });

  it("an answer and its order arriving at the same moment are joined, whichever commits first", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { name: "Racing Rae" });
    const numbers = Array.from({ length: 8 }, newConfirmationNumber);
    await Promise.all(
      numbers.flatMap((number) => [
        post(shop, { confirmationNumber: number, optionKey: `creator:${creator.id}` }).then((r) =>
          expect(r.status).toBe(201),
        ),
        ingest(shop, plainOrder(number)),
      ]),
    );
    const attributions = await prisma.attribution.findMany({
      where: { shopId: shop.id },
      select: { creatorId: true, method: true },
    });
    expect(attributions).toEqual(numbers.map(() => ({ creatorId: creator.id, method: "SURVEY" })));
  });

  it("an answer for an order already stored re-attributes it, posts the commission and settles the creator's month", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { name: "Tiered Tess" });
    await createTestContract(
      shop.id,
      creator.id,
      "TIERED",
      {
        metric: "REVENUE",
        mode: "MARGINAL",
        tiers: [
          { from: 0n, percent: "10.00" },
          { from: 100_000n, percent: "15.00" },
        ],
      },
      new Date("2020-01-02T00:00:00Z"),
    );
    const number = newConfirmationNumber();
    const { orderId } = await ingest(shop, plainOrder(number));
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId } })).toMatchObject({
      creatorId: null,
      method: "NONE",
    });

    expect((await post(shop, { confirmationNumber: number, optionKey: `creator:${creator.id}` })).status).toBe(201);
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId } })).toMatchObject({
      creatorId: creator.id,
      method: "SURVEY",
    });
    expect(await prisma.ledgerEntry.count({ where: { orderId, creatorId: creator.id } })).toBe(1);
    const period = await prisma.creatorPeriod.findFirstOrThrow({ where: { creatorId: creator.id } });
    const job = await commissionsQueue().getJob(
      settleJobId({
        shopId: shop.id,
        creatorId: creator.id,
        periodKey: period.periodKey,
        changeVersion: period.changeVersion,
      }),
    );
    expect(job?.data).toMatchObject({ creatorId: creator.id, periodKey: period.periodKey });
  });
});

describe("compliance", () => {
  async function comply(shop: Shop, topic: string, body: Record<string, unknown>) {
    const eventId = randomUUID();
    const noQueue = { add: async () => undefined } as never;
    const request = signedWebhookRequest({
      topic,
      shop: shop.domain,
      body: { ...body, shop_domain: shop.domain },
      eventId,
    });
    expect((await receiveWebhook(request, COMPLIANCE_TOPICS, noQueue)).status).toBe(200);
    expect((await processInboxEvent(prisma, { shopDomain: shop.domain, eventId })).outcome).toBe("processed");
  }

  it("customers/redact erases what the customer typed for Other on their orders; shop/redact erases every answer", async () => {
    const shop = await createTestShop();
    const mine = plainOrder(newConfirmationNumber());
    const theirs = plainOrder(newConfirmationNumber());
    for (const payload of [mine, theirs]) {
      await ingest(shop, payload);
      const response = await post(shop, {
        confirmationNumber: payload.confirmation_number,
        optionKey: "other",
        otherText: "My neighbour Alice Example at 12 Main St",
      });
      expect(response.status).toBe(201);
    }
    await comply(shop, "customers/redact", {
      ...shopifySample("customers/redact"),
      customer: { id: mine.customer.id },
      orders_to_redact: [],
    });
    const byNumber = async (payload: Record<string, any>) =>
      prisma.surveyResponse.findUniqueOrThrow({
        where: { shopId_confirmationNumber: { shopId: shop.id, confirmationNumber: payload.confirmation_number } },
      });
    expect(await byNumber(mine)).toMatchObject({ otherText: null, optionKey: "other", surface: "THANK_YOU" });
    expect(await byNumber(theirs)).toMatchObject({ otherText: "My neighbour Alice Example at 12 Main St" });

    await comply(shop, "shop/redact", { ...shopifySample("shop/redact") });
    expect(await prisma.surveyResponse.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
