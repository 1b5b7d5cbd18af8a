// Property tests of the survey endpoints (/api/survey/thank-you and /api/survey/order-status) beyond the bodies that
// test/survey-api.test.ts fuzzes: any method, any Authorization, Content-Type and Origin header, query strings, and
// bodies far over the 16 KB limit, sized or streamed. Never a 5xx, the CORS headers a cross-origin caller needs to read
// the answer, a JSON message on every refusal, and an answer stored only when the endpoint says 201.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-fuzz-survey-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { commissionsQueue, webRedis } from "~/queues.server";
import { action as orderStatusAction, loader as orderStatusLoader } from "~/routes/api.survey.order-status";
import { action as thankYouAction, loader as thankYouLoader } from "~/routes/api.survey.thank-you";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { EXTENSION_ORIGIN, mintExtensionSessionToken } from "../simulator/session-tokens";

const APP_URL = process.env.SHOPIFY_APP_URL!;

let shop: Awaited<ReturnType<typeof createTestShop>>;
let creatorKey = "";

beforeAll(async () => {
  shop = await createTestShop();
  creatorKey = `creator:${(await createTestCreator(shop.id)).id}`;
});

afterAll(async () => {
  await commissionsQueue().obliterate({ force: true });
  await commissionsQueue().close();
  webRedis().disconnect();
});

const headerChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const headerText = fc.string({ unit: headerChar, maxLength: 80 });

const confirmationNumber = () => `F${randomUUID().replace(/-/g, "").slice(0, 12).toUpperCase()}`;

type Body =
  | { kind: "none" }
  | { kind: "answer" }
  | { kind: "text"; text: string }
  | { kind: "huge"; bytes: number }
  | { kind: "stream"; chunks: number };

const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: "none" }),
  fc.constant<Body>({ kind: "answer" }),
  fc.string({ unit: "binary", maxLength: 200 }).map((text): Body => ({ kind: "text", text })),
  // Just over the limit, or far over it.
  fc.oneof(fc.integer({ min: 16 * 1024 + 1, max: 20 * 1024 }), fc.integer({ min: 200_000, max: 2_000_000 })).map((bytes): Body => ({ kind: "huge", bytes })),
  // Streamed without a length, the limit cannot be read from the headers; some streams never end.
  fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(Number.POSITIVE_INFINITY)).map((chunks): Body => ({ kind: "stream", chunks })),
);

const requestArb = fc.record({
  surface: fc.constantFrom("thank-you", "order-status"),
  method: fc.constantFrom("GET", "HEAD", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
  authorization: fc.oneof(
    { weight: 4, arbitrary: fc.constant("valid") },
    { weight: 1, arbitrary: fc.constantFrom("missing", "Bearer ", "Bearer junk.junk.junk", "Basic dXNlcjpwYXNz", "valid-twice") },
    { weight: 1, arbitrary: headerText },
  ),
  contentType: fc.option(fc.oneof(fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=x"), headerText), { nil: undefined }),
  origin: fc.option(fc.oneof(fc.constant(EXTENSION_ORIGIN), fc.constant("https://evil.example"), headerText), { nil: undefined }),
  query: fc.option(fc.oneof(fc.constant("valid"), fc.string({ maxLength: 100 })), { nil: undefined }),
  body: bodyArb,
});

type SurveyFuzzRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function buildRequest(r: SurveyFuzzRequest) {
  const url = new URL(`/api/survey/${r.surface}`, APP_URL);
  if (r.query !== undefined) url.searchParams.set("confirmationNumber", r.query === "valid" ? confirmationNumber() : r.query);
  const headers = new Headers();
  const token = () => mintExtensionSessionToken({ shop: shop.domain, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }).token;
  if (r.authorization === "valid") headers.set("Authorization", `Bearer ${token()}`);
  else if (r.authorization === "valid-twice") headers.set("Authorization", `Bearer ${token()}, Bearer ${token()}`);
  else if (r.authorization !== "missing") headers.set("Authorization", r.authorization);
  if (r.contentType !== undefined) headers.set("Content-Type", r.contentType);
  if (r.origin !== undefined) headers.set("Origin", r.origin);
  if (r.method === "OPTIONS") headers.set("Access-Control-Request-Method", "POST");

  const init: RequestInit & { duplex?: "half" } = { method: r.method, headers };
  if (r.method !== "GET" && r.method !== "HEAD") {
    switch (r.body.kind) {
      case "none":
        break;
      case "answer":
        init.body = JSON.stringify({ confirmationNumber: confirmationNumber(), optionKey: creatorKey });
        break;
      case "text":
        init.body = r.body.text;
        break;
      case "huge":
        init.body = JSON.stringify({ confirmationNumber: confirmationNumber(), optionKey: "other", otherText: "x".repeat(r.body.bytes) });
        break;
      case "stream": {
        const chunk = new TextEncoder().encode("x".repeat(1024));
        let sent = 0;
        const chunks = r.body.chunks;
        init.body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < chunks) controller.enqueue(chunk);
            else controller.close();
          },
        });
        init.duplex = "half";
        break;
      }
    }
  }
  return new Request(url, init);
}

/** As Remix hands requests over: GET and HEAD to the loader, every other method to the action. */
function send(request: Request): Promise<Response> {
  const args = { request, params: {}, context: {} };
  const readOnly = request.method === "GET" || request.method === "HEAD";
  if (new URL(request.url).pathname.endsWith("/order-status")) return readOnly ? orderStatusLoader(args) : orderStatusAction(args);
  return readOnly ? thankYouLoader(args) : thankYouAction(args);
}

describe("survey endpoints under arbitrary requests", () => {
  it("never answer 5xx, always carry CORS for the extension's origin, say why on every refusal, and store an answer only with a 201", async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const before = await prisma.surveyResponse.count({ where: { shopId: shop.id } });
        const response = await send(buildRequest(r));
        const stored = (await prisma.surveyResponse.count({ where: { shopId: shop.id } })) - before;

        expect(response.status).toBeLessThan(500);
        // Cross-origin requests (the extension's) can read every answer, refusals included.
        const origin = r.origin?.trim();
        if (origin && origin !== APP_URL) expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
        if (r.method === "OPTIONS") {
          expect(stored).toBe(0);
          return;
        }
        expect(stored).toBe(response.status === 201 ? 1 : 0);
        if (response.status >= 400) {
          const json = (await response.json()) as { error?: { message?: unknown } };
          expect(typeof json.error?.message).toBe("string");
        }
        if ((r.body.kind === "huge" || (r.body.kind === "stream" && r.body.chunks > 16)) && r.method === "POST" && r.authorization === "valid") {
          expect(response.status).toBe(400);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
