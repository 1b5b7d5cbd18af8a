// The simulator's Admin API, reached the way the app reaches Shopify: the global fetch to
// https://<shop>.myshopify.com, through the simulator as HTTPS proxy (in this process via an undici dispatcher,
// in a child process via the proxy environment). Real sockets, real TLS, Shopify's real schema.
import "@shopify/shopify-api/adapters/node";
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { ApiVersion, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintSessionToken } from "../harness/session-token";
import { matchesWebhookSchema, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";
import { adminApiProxyEnv, routeAdminApiToSimulator } from "../support/admin-api";
import { createCertificateAuthority } from "./certificates";
import { startSimulatorServer, type RunningSimulator } from "./server";

const SHOP = "admin-api-test.myshopify.com";
const API_KEY = "admin-api-test-key";
const SECRET = "admin-api-test-secret";
const TOKEN = "shpat_seeded_offline_token";
const GRAPHQL_URL = `https://${SHOP}/admin/api/2026-07/graphql.json`;
const DISCOUNT_TOPICS = ["discounts/create", "discounts/update", "discounts/delete", "discounts/redeemcode_added", "discounts/redeemcode_removed"];

const shopify = shopifyApi({ apiKey: API_KEY, apiSecretKey: SECRET, apiVersion: ApiVersion.July26, isEmbeddedApp: true, hostName: "localhost", logger: { level: 0 } });

let app: WebhookReceiver;
let sim: RunningSimulator;
let restoreFetch: () => void;

beforeAll(async () => {
  app = await startWebhookReceiver(shopify);
  sim = await startSimulatorServer({
    appUrl: app.url,
    secret: SECRET,
    apiKey: API_KEY,
    shop: { domain: SHOP, name: "Admin API Test Store", currency: "USD", timezone: "America/New_York" },
    port: 0,
    seed: 11,
    accessTokens: [TOKEN],
    discounts: [{ code: "LEGACY20", title: "Old spring sale" }],
    subscribedTopics: ["orders/create", "orders/updated", ...DISCOUNT_TOPICS],
    retry: { retries: 1, initialDelayMs: 20, factor: 2 },
  });
  restoreFetch = routeAdminApiToSimulator(sim);
});

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
  await app?.close();
});

beforeEach(() => {
  sim.adminApi.requests.length = 0;
  app.received.length = 0;
});

async function graphql(query: string, variables: Record<string, unknown> = {}, token: string | null = TOKEN) {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { "X-Shopify-Access-Token": token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function tokenExchange(body: Record<string, unknown>) {
  const response = await fetch(`https://${SHOP}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const exchangeBody = (overrides: Record<string, unknown> = {}) => ({
  client_id: API_KEY,
  client_secret: SECRET,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, userId: "42" }).token,
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  ...overrides,
});

/** Runs `code` in a fresh Node process with the app's proxy environment; resolves with what it printed. */
function runChild(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", code], {
      cwd: process.cwd(),
      env: { ...process.env, ...adminApiProxyEnv(sim) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("exit", () => resolve(output.trim()));
  });
}

describe("reaching the Admin API by configuration", () => {
  it("serves this process's global fetch, through the simulator as HTTPS proxy with its own CA", async () => {
    const { status, body } = await graphql("query ShopDetails { shop { name currencyCode ianaTimezone myshopifyDomain primaryDomain { url host } } }");
    expect(status).toBe(200);
    expect(body.data.shop).toEqual({
      name: "Admin API Test Store",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      myshopifyDomain: SHOP,
      primaryDomain: { url: `https://${SHOP}`, host: SHOP },
    });
    expect(sim.adminApi.requests.map((r) => r.operationName)).toEqual(["ShopDetails"]);
  });

  it("serves a child process started with adminApiProxyEnv, through Node's fetch and through undici's (remix-serve's)", async () => {
    const request = `{ method: "POST", headers: { "X-Shopify-Access-Token": "${TOKEN}", "Content-Type": "application/json" }, body: JSON.stringify({ query: "query FromChild { shop { name } }" }) }`;
    const builtin = await runChild(`fetch("${GRAPHQL_URL}", ${request}).then((r) => r.json()).then((b) => console.log(b.data.shop.name), (e) => console.log("failed", e.cause ?? e))`);
    expect(builtin).toBe("Admin API Test Store");
    const remixServeFetch = await runChild(
      `require("@remix-run/node").installGlobals({ nativeFetch: true }); fetch("${GRAPHQL_URL}", ${request}).then((r) => r.json()).then((b) => console.log(b.data.shop.name), (e) => console.log("failed", e.cause ?? e))`,
    );
    expect(remixServeFetch).toBe("Admin API Test Store");
    expect(sim.adminApi.graphqlRequests().map((r) => r.operationName)).toEqual(["FromChild", "FromChild"]);
  });

  it("writes the CA certificate that signs its shop certificates to the file the app trusts", () => {
    expect(readFileSync(sim.caCertPath, "utf8")).toBe(sim.caCertPem);
    const authority = createCertificateAuthority("check");
    const ca = new X509Certificate(authority.certPem);
    const leaf = new X509Certificate(authority.serverCertificate(SHOP).certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost(SHOP)).toBe(SHOP);
    expect(leaf.checkHost("other-shop.myshopify.com")).toBeUndefined();
  });

  it("refuses to tunnel anywhere but a shop's Admin API", async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(sim.port, "127.0.0.1", () => socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(answer).toMatch(/proxy for Shopify's Admin API only/);
  });
});

describe("token exchange", () => {
  it("trades a session token for an offline token the GraphQL API then accepts", async () => {
    const { status, body } = await tokenExchange(exchangeBody());
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.stringMatching(/^shpat_/), scope: "read_orders,read_discounts,write_discounts,read_customers,read_products" });
    expect((await graphql("{ shop { name } }", {}, body.access_token)).status).toBe(200);
  });

  it("works with Shopify's own library: token exchange, then its GraphQL client with the session", async () => {
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, userId: "1" }).token;
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(session).toMatchObject({ shop: SHOP, isOnline: false, scope: "read_orders,read_discounts,write_discounts,read_customers,read_products" });
    const client = new shopify.clients.Graphql({ session });
    const response = await client.request<{ shop: { name: string } }>("query LibraryShop { shop { name } }");
    expect(response.data?.shop.name).toBe("Admin API Test Store");
    expect(sim.adminApi.requests.map((r) => [r.kind, r.outcome])).toEqual([
      ["token-exchange", "ok"],
      ["graphql", "ok"],
    ]);
  });

  it("issues online tokens for the staff member, and expiring offline tokens with a refresh token", async () => {
    const online = await tokenExchange(exchangeBody({ requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token" }));
    expect(online.status).toBe(200);
    expect(online.body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86_399,
      associated_user_scope: online.body.scope,
      associated_user: { id: 42, email_verified: true, account_owner: false, locale: "en", collaborator: false },
    });
    expect(Object.keys(online.body.associated_user).sort()).toEqual(
      ["account_owner", "collaborator", "email", "email_verified", "first_name", "id", "last_name", "locale"].sort(),
    );

    const expiring = await tokenExchange(exchangeBody({ expiring: "1" }));
    expect(expiring.body).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/), refresh_token_expires_in: 7_776_000 });
    const refreshed = await tokenExchange({ client_id: API_KEY, client_secret: SECRET, grant_type: "refresh_token", refresh_token: expiring.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(expiring.body.access_token);
    expect((await graphql("{ shop { name } }", {}, expiring.body.access_token)).status).toBe(401);
  });

  it("rejects a forged, expired or foreign session token with invalid_subject_token, and bad credentials", async () => {
    const now = Date.now();
    const cases: [Record<string, unknown>, string][] = [
      [{ subject_token: mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "not-the-secret" }).token }, "invalid_subject_token"],
      [{ subject_token: mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, now: now - 3_600_000 }).token }, "invalid_subject_token"],
      [{ subject_token: mintSessionToken({ shop: "other.myshopify.com", apiKey: API_KEY, apiSecret: SECRET }).token }, "invalid_subject_token"],
      [{ subject_token: "not-a-jwt" }, "invalid_subject_token"],
      [{ client_secret: "wrong" }, "invalid_client"],
      [{ grant_type: "authorization_code" }, "unsupported_grant_type"],
      [{ requested_token_type: "urn:shopify:params:oauth:token-type:forever" }, "invalid_request"],
    ];
    for (const [overrides, error] of cases) {
      const { status, body } = await tokenExchange(exchangeBody(overrides));
      expect({ status, error: body.error }).toEqual({ status: 400, error });
      expect(body.error_description).toEqual(expect.any(String));
    }
  });
});

describe("GraphQL", () => {
  it("answers 401 without a known access token and 404 for another API version", async () => {
    const missing = await graphql("{ shop { name } }", {}, null);
    expect(missing).toEqual({ status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } });
    expect((await graphql("{ shop { name } }", {}, "shpat_unknown")).status).toBe(401);
    const response = await fetch(`https://${SHOP}/admin/api/2023-01/graphql.json`, {
      method: "POST",
      headers: { "X-Shopify-Access-Token": TOKEN, "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(404);
    expect(sim.adminApi.requests.map((r) => r.outcome)).toEqual(["unauthorized", "unauthorized", "not-found"]);
  });

  it("validates documents against Shopify's schema: unknown fields, syntax and missing page sizes are errors", async () => {
    const unknown = await graphql("query Bad { shop { name favouriteColour } }");
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toBeUndefined();
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'favouriteColour' doesn't exist on type 'Shop'",
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "favouriteColour" },
      }),
    ]);
    expect((await graphql("{ shop { name }")).body.errors[0].message).toMatch(/Syntax Error/);
    expect((await graphql("{ orders { nodes { id } } }")).body.errors[0].message).toBe("you must provide one of first or last");
    expect((await graphql("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }")).body.errors[0].extensions.code).toBe(
      "MAX_COST_EXCEEDED",
    );
    expect(sim.adminApi.requests.map((r) => r.outcome)).toEqual(["invalid", "invalid", "invalid", "max-cost-exceeded"]);
  });

  it("charges Shopify's query cost: objects 1, connections 2 + page size × node, union members as alternatives", async () => {
    const codes = "codes(first: 250) { nodes { code } }";
    const { body } = await graphql(`{
      codeDiscountNodeByCode(code: "LEGACY20") { id codeDiscount {
        ... on DiscountCodeBasic { title ${codes} } ... on DiscountCodeBxgy { title ${codes} } ... on DiscountCodeFreeShipping { title ${codes} } } }
      ordersCount(limit: null) { count }
    }`);
    expect(body.errors).toBeUndefined();
    // 1 (node) + 1 (codeDiscount) + 2 + 250 × 1 (one member's codes) + 1 (ordersCount)
    expect(body.extensions.cost.requestedQueryCost).toBe(255);
    // One redeem code came back, not 250.
    expect(body.extensions.cost.actualQueryCost).toBe(1 + 1 + 2 + 1 + 1);
  });

  it("pages orders by cursor, filtered by updated_at, and counts them", async () => {
    const start = Date.UTC(2026, 4, 1, 12);
    const { orders } = sim.simulator.placeOrders({ count: 7, code: "PAGE10", placedAt: new Date(start) });
    // Spread the orders' updates an hour apart, oldest first.
    orders.forEach((order, i) => (order.updatedAt = new Date(start + i * 3_600_000)));
    const since = new Date(start + 2 * 3_600_000).toISOString();
    const until = new Date(start + 6 * 3_600_000).toISOString();
    const query = `query Orders($after: String, $query: String) {
      orders(first: 2, after: $after, query: $query, sortKey: UPDATED_AT) {
        edges { cursor node { name updatedAt } }
        pageInfo { hasNextPage endCursor }
      }
      ordersCount(query: $query) { count precision }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { body }: { body: Record<string, any> } = await graphql(query, { after, query: `updated_at:>='${since}' AND updated_at:<=${until} status:any` });
      expect(body.errors).toBeUndefined();
      expect(body.data.ordersCount).toEqual({ count: 5, precision: "EXACT" });
      names.push(...body.data.orders.edges.map((edge: any) => edge.node.name));
      if (!body.data.orders.pageInfo.hasNextPage) break;
      after = body.data.orders.pageInfo.endCursor;
    }
    expect(names).toEqual(orders.slice(2).map((order) => order.name));
    const requests = sim.adminApi.graphqlRequests();
    expect(requests).toHaveLength(3);
    expect(requests[1]!.variables.after).toEqual(expect.any(String));
    expect(requests[0]!.cost).toEqual({ requested: 2 + 2 * 1 + 1, actual: 2 + 2 * 1 + 1 });
  });

  it("shows an order as the webhooks did: money, codes, attributes and lines", async () => {
    const { orders } = sim.simulator.placeOrders({ creators: [{ handle: "maya" }], signals: ["note-attribute"], creatorShare: 1 });
    const order = orders[0]!;
    const payload = sim.simulator.generator.orderPayload(order) as Record<string, any>;
    const { body } = await graphql(
      `query Order($id: ID!) { order(id: $id) {
        id legacyResourceId name confirmationNumber createdAt processedAt updatedAt cancelledAt test currencyCode
        presentmentCurrencyCode taxesIncluded displayFinancialStatus email customer { id } discountCodes
        customAttributes { key value }
        currentSubtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount } }
        shippingLines(first: 5) { nodes { taxLines { priceSet { shopMoney { amount } } } } }
        lineItems(first: 10) { nodes { product { id } quantity currentQuantity originalUnitPriceSet { shopMoney { amount } }
          discountAllocations { allocatedAmountSet { shopMoney { amount } } } } }
      } }`,
      { id: `gid://shopify/Order/${order.id}` },
    );
    expect(body.errors).toBeUndefined();
    const node = body.data.order;
    expect(node).toMatchObject({
      id: `gid://shopify/Order/${order.id}`,
      legacyResourceId: String(order.id),
      name: order.name,
      createdAt: order.createdAt.toISOString().replace(".000Z", "Z"),
      displayFinancialStatus: "PAID",
      customer: { id: `gid://shopify/Customer/${order.customer.id}` },
      customAttributes: [{ key: "ref", value: "maya" }],
      test: false,
    });
    expect(Number(node.currentSubtotalPriceSet.shopMoney.amount)).toBe(Number(payload.current_subtotal_price));
    expect(node.currentSubtotalPriceSet.shopMoney.amount).toMatch(/^\d+\.\d{1,2}$/);
    expect(node.lineItems.nodes.map((line: any) => line.product.id)).toEqual(payload.line_items.map((l: any) => `gid://shopify/Product/${l.product_id}`));
    expect((await graphql(`{ order(id: "gid://shopify/Order/1") { id } }`)).body.data.order).toBeNull();
  });

  it("answers the customer journey not ready at first, then with the visits the order came from", async () => {
    const { orders } = sim.simulator.placeOrders({
      creators: [{ handle: "sarah", linkSlug: "spring-drop" }],
      signals: ["journey-only"],
      creatorShare: 1,
    });
    const order = orders[0]!;
    const query = `query Journey($id: ID!) { order(id: $id) { customerJourneySummary { ready customerOrderIndex daysToConversion
      firstVisit { id occurredAt landingPage referrerUrl referralCode source sourceType utmParameters { source medium campaign content term } }
      lastVisit { landingPage referrerUrl utmParameters { campaign } } } } }`;
    const first = await graphql(query, { id: `gid://shopify/Order/${order.id}` });
    expect(first.body.data.order.customerJourneySummary).toMatchObject({ ready: false, firstVisit: null, lastVisit: null });
    const second = await graphql(query, { id: `gid://shopify/Order/${order.id}` });
    const journey = second.body.data.order.customerJourneySummary;
    expect(journey).toMatchObject({
      ready: true,
      customerOrderIndex: order.customerOrderIndex,
      firstVisit: {
        referrerUrl: "https://l.instagram.com/",
        referralCode: "sarah",
        source: "instagram",
        sourceType: "AFFILIATE",
        utmParameters: { source: "instagram", medium: "influencer", campaign: "sarah", content: "spring-drop", term: null },
      },
      lastVisit: { landingPage: null, referrerUrl: null, utmParameters: null },
    });
    expect(journey.firstVisit.landingPage).toMatch(new RegExp(`^https://${SHOP}/products/.+utm_campaign=sarah`));
    expect(journey.daysToConversion).toBeGreaterThanOrEqual(1);
    expect(order.landingSite).toBeNull();
  });

  it("creates basic code discounts, refuses a taken code as Shopify does, and finds codes case-insensitively", async () => {
    const create = `mutation Create($input: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $input) {
        codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } } } } }
        userErrors { field message code }
      } }`;
    const input = {
      title: "Nina's code",
      code: "NINA15",
      startsAt: "2026-01-01T00:00:00Z",
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    };
    const created = await graphql(create, { input });
    expect(created.body.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: {
        id: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/),
        codeDiscount: { title: "Nina's code", status: "ACTIVE", codes: { nodes: [{ code: "NINA15" }] } },
      },
      userErrors: [],
    });
    expect(created.body.extensions.cost.requestedQueryCost).toBe(10);

    const taken = await graphql(create, { input: { ...input, code: "nina15" } });
    expect(taken.body.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });

    const byCode = `query ByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic {
      title customerGets { value { ... on DiscountPercentage { percentage } } } } } } }`;
    const found = await graphql(byCode, { code: "nina15" });
    expect(found.body.data.codeDiscountNodeByCode).toEqual({
      id: created.body.data.discountCodeBasicCreate.codeDiscountNode.id,
      codeDiscount: { title: "Nina's code", customerGets: { value: { percentage: 0.15 } } },
    });
    expect((await graphql(byCode, { code: "legacy20" })).body.data.codeDiscountNodeByCode.codeDiscount.title).toBe("Old spring sale");
    expect((await graphql(byCode, { code: "NOPE" })).body.data.codeDiscountNodeByCode).toBeNull();

    // Orders placed with the code take the shop's terms for it.
    const { orders } = sim.simulator.placeOrders({ code: "NINA15" });
    expect(orders[0]!.discount).toMatchObject({ type: "percentage", value: 15 });
    await sim.simulator.deliverer.idle();
    expect(app.received.filter((r) => r.topic === "discounts/create").map((r) => r.body.title)).toEqual(["Nina's code"]);

    const deleted = await graphql(`mutation Delete($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { code } } }`, {
      id: created.body.data.discountCodeBasicCreate.codeDiscountNode.id,
    });
    expect(deleted.body.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: created.body.data.discountCodeBasicCreate.codeDiscountNode.id, userErrors: [] });
    expect((await graphql(byCode, { code: "NINA15" })).body.data.codeDiscountNodeByCode).toBeNull();
  });

  it("answers THROTTLED for as many requests as told, then serves again, with the bucket in extensions.cost", async () => {
    const throttle = await fetch(`${sim.url}/admin-api/throttle`, { method: "POST", body: JSON.stringify({ requests: 2 }) });
    expect(await throttle.json()).toEqual({ throttledAhead: 2 });
    const answers = [await graphql("{ shop { name } }"), await graphql("{ shop { name } }"), await graphql("{ shop { name } }")];
    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.code ?? "ok")).toEqual(["THROTTLED", "THROTTLED", "ok"]);
    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body.errors[0].message).toBe("Throttled");
    expect(answers[2]!.body.extensions.cost).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 },
    });
    const logged = (await (await fetch(`${sim.url}/admin-api/requests?kind=graphql`)).json()) as { requests: { outcome: string; at: string }[] };
    expect(logged.requests.map((r) => r.outcome)).toEqual(["throttled", "throttled", "ok"]);
  });
});

describe("discount changes in the Shopify admin", () => {
  it("renaming a code and deleting a discount deliver Shopify's signed discount webhooks", async () => {
    const seeded = await fetch(`${sim.url}/discounts`, { method: "POST", body: JSON.stringify({ code: "OMAR10", title: "Omar", percentage: 10 }) });
    expect(seeded.status).toBe(201);
    const { discount } = (await seeded.json()) as { discount: { id: string } };
    expect(app.received).toEqual([]);

    const renamed = await fetch(`${sim.url}/discounts/OMAR10/rename`, { method: "POST", body: JSON.stringify({ code: "OMAR15" }) });
    expect(renamed.status).toBe(201);
    expect(((await renamed.json()) as any).deliveries.map((d: any) => [d.topic, d.state])).toEqual([
      ["discounts/redeemcode_removed", "delivered"],
      ["discounts/redeemcode_added", "delivered"],
      ["discounts/update", "delivered"],
    ]);
    const deleted = await fetch(`${sim.url}/discounts/${encodeURIComponent(discount.id)}`, { method: "DELETE" });
    expect(((await deleted.json()) as any).deliveries.map((d: any) => d.topic)).toEqual(["discounts/delete"]);

    expect(app.received.map((r) => r.topic)).toEqual(["discounts/redeemcode_removed", "discounts/redeemcode_added", "discounts/update", "discounts/delete"]);
    for (const webhook of app.received) {
      expect(webhook.valid).toBe(true);
      expect(matchesWebhookSchema(webhook.topic, webhook.body)).toBe(true);
      expect(webhook.body.admin_graphql_api_id).toBe(discount.id);
    }
    expect(app.received[0]!.body.redeem_code).toMatchObject({ code: "OMAR10" });
    expect(app.received[1]!.body.redeem_code).toMatchObject({ code: "OMAR15" });
    expect(app.received[2]!.body).toMatchObject({ title: "Omar", status: "ACTIVE" });
    expect((await fetch(`${sim.url}/discounts/OMAR15/rename`, { method: "POST", body: JSON.stringify({ code: "X" }) })).status).toBe(404);
  });

  it("delivers nothing for topics the app does not subscribe to, and says so", async () => {
    const quiet = await startSimulatorServer({ appUrl: app.url, secret: SECRET, shop: { domain: SHOP }, port: 0, subscribedTopics: ["orders/create"] });
    try {
      await fetch(`${quiet.url}/discounts`, { method: "POST", body: JSON.stringify({ code: "QUIET10" }) });
      const renamed = (await (await fetch(`${quiet.url}/discounts/QUIET10/rename`, { method: "POST", body: JSON.stringify({ code: "QUIET20" }) })).json()) as any;
      expect(renamed.deliveries).toEqual([]);
      expect(renamed.notSubscribed).toEqual(["discounts/redeemcode_removed", "discounts/redeemcode_added", "discounts/update"]);
    } finally {
      await quiet.close();
    }
  });
});
