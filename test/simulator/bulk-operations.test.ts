// Bulk operations through the simulator's Admin API, reached as the app reaches Shopify: this process's global fetch
// to https://<shop>.myshopify.com and to the https://storage.googleapis.com result URL, both through the simulator as
// HTTPS proxy. Real sockets, real TLS, Shopify's real schema.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { matchesWebhookSchema, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";
import { routeAdminApiToSimulator } from "../support/admin-api";
import { startSimulatorServer, type RunningSimulator } from "./server";

const SHOP = "bulk-ops-test.myshopify.com";
const API_KEY = "bulk-ops-test-key";
const SECRET = "bulk-ops-test-secret";
const TOKEN = "shpat_bulk_ops_token";
const GRAPHQL_URL = `https://${SHOP}/admin/api/2026-07/graphql.json`;
const DELAY_MS = 40;

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
    shop: { domain: SHOP, name: "Bulk Test Store", currency: "USD", timezone: "America/New_York" },
    port: 0,
    seed: 29,
    accessTokens: [TOKEN],
    subscribedTopics: ["bulk_operations/finish"],
    bulkOperationDelayMs: DELAY_MS,
  });
  restoreFetch = routeAdminApiToSimulator(sim);
});

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
  await app?.close();
});

beforeEach(async () => {
  // Webhooks of the previous test's operations may still be on their way.
  await sim.simulator.deliverer.idle();
  sim.adminApi.requests.length = 0;
  sim.adminApi.bulkOperations.delayMs = DELAY_MS;
  sim.adminApi.bulkOperations.urlLifetimeMs = 7 * 86_400_000;
  app.received.length = 0;
});

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Record<string, any>;
  expect(body.errors).toBeUndefined();
  return body;
}

const OPERATION_FIELDS = "id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query type";
const RUN = `mutation Run($query: String!, $groupObjects: Boolean) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { ${OPERATION_FIELDS} }
    userErrors { field message code }
  } }`;

async function runBulkQuery(query: string, groupObjects?: boolean) {
  const body = await graphql(RUN, { query, ...(groupObjects === undefined ? {} : { groupObjects }) });
  return { payload: body.data.bulkOperationRunQuery as { bulkOperation: Record<string, any> | null; userErrors: Record<string, unknown>[] }, cost: body.extensions.cost };
}

async function bulkOperation(id: string): Promise<Record<string, any>> {
  return (await graphql(`query Poll($id: ID!) { bulkOperation(id: $id) { ${OPERATION_FIELDS} } }`, { id })).data.bulkOperation;
}

/** Polls the operation until its status is one of `statuses`. */
async function waitFor(id: string, statuses: string[]): Promise<Record<string, any>> {
  let operation: Record<string, any> = {};
  for (let attempt = 0; attempt < 300; attempt++) {
    operation = await bulkOperation(id);
    if (statuses.includes(operation.status)) return operation;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${id} never reached ${statuses.join("/")}; still ${operation.status}`);
}

async function download(url: string) {
  const response = await fetch(url);
  const text = await response.text();
  return { response, text, lines: text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>) };
}

const MONEY = "shopMoney { amount currencyCode }";
/** The fields of an order both queries ask for; connections are added per query. */
const ORDER_FIELDS = `id name updatedAt displayFinancialStatus customer { id } customAttributes { key value } discountCodes totalTaxSet { ${MONEY} }`;
const LINE_FIELDS = `id quantity title originalUnitPriceSet { ${MONEY} } discountAllocations { allocatedAmountSet { ${MONEY} } } taxLines { rate }`;
const SHIPPING_FIELDS = `title taxLines { priceSet { ${MONEY} } }`;

describe("bulkOperationRunQuery over orders", () => {
  it("exports the filtered orders as JSONL whose lines reassemble into what the paginated orders query returns", async () => {
    const start = Date.UTC(2026, 5, 1, 12);
    const { orders } = sim.simulator.placeOrders({ count: 6, codes: ["BULK10"], codeShare: 0.5, placedAt: new Date(start) });
    orders.forEach((order, i) => (order.updatedAt = new Date(start + i * 3_600_000)));
    const search = `updated_at:>='${new Date(start + 2 * 3_600_000).toISOString()}' AND updated_at:<='${new Date(start + 5 * 3_600_000).toISOString()}'`;

    // `first` is allowed and ignored in bulk queries; shipping lines are exported without selecting their id.
    const inner = `{
      orders(first: 1, query: ${JSON.stringify(search)}, sortKey: UPDATED_AT) {
        edges { node { ${ORDER_FIELDS}
          lineItems(first: 1) { edges { node { ${LINE_FIELDS} } } }
          shippingLines { edges { node { ${SHIPPING_FIELDS} } } }
        } }
      } }`;
    // Slow enough to look at each status on the way (advance() stands for the time passing).
    sim.adminApi.bulkOperations.delayMs = 60_000;
    const { payload, cost } = await runBulkQuery(inner);
    expect(cost.requestedQueryCost).toBe(10);
    expect(payload.userErrors).toEqual([]);
    expect(payload.bulkOperation).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
      status: "CREATED",
      type: "QUERY",
      errorCode: null,
      completedAt: null,
      objectCount: "0",
      rootObjectCount: "0",
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query: inner,
    });
    const id = payload.bulkOperation!.id as string;
    const seen = [(await bulkOperation(id)).status];
    sim.adminApi.bulkOperations.advance();
    seen.push((await bulkOperation(id)).status);
    sim.adminApi.bulkOperations.advance();
    const operation = await bulkOperation(id);
    expect([...seen, operation.status]).toEqual(["CREATED", "RUNNING", "COMPLETED"]);

    const { response, text, lines } = await download(operation.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jsonl");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="bulk-${id.split("/").pop()}.jsonl"; filename*=UTF-8''bulk-${id.split("/").pop()}.jsonl`);
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain('"id":"gid:\\/\\/shopify\\/Order\\/');
    expect(operation).toMatchObject({
      status: "COMPLETED",
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      objectCount: String(lines.length),
      rootObjectCount: "4",
      fileSize: String(Buffer.byteLength(text)),
      url: expect.stringMatching(/^https:\/\/storage\.googleapis\.com\/shopify-tiers-assets-prod-us-east1\/bulk-operation-outputs\/[a-z0-9]{28}-final\?GoogleAccessId=/),
    });
    expect((await graphql(`{ currentBulkOperation(type: QUERY) { id status } }`)).data.currentBulkOperation).toEqual({ id, status: "COMPLETED" });
    expect((await graphql(`query Node($id: ID!) { node(id: $id) { ... on BulkOperation { id objectCount } } }`, { id })).data.node).toEqual({
      id,
      objectCount: String(lines.length),
    });

    // Every nested line comes after its parent; parents carry no nested connection.
    const position = new Map(lines.map((line, index) => [line.id, index]));
    for (const [index, line] of lines.entries()) {
      if (line.__parentId === undefined) {
        expect(line.id).toMatch(/^gid:\/\/shopify\/Order\//);
        expect(Object.keys(line)).not.toContain("lineItems");
        expect(Object.keys(line)).not.toContain("shippingLines");
      } else {
        expect(position.get(line.__parentId)).toBeLessThan(index);
        expect(Object.keys(line).at(-1)).toBe("__parentId");
      }
    }
    const reassembled = lines
      .filter((line) => line.__parentId === undefined)
      .map((order) => {
        const children = lines.filter((line) => line.__parentId === order.id).map(({ __parentId, ...rest }) => rest);
        return {
          ...order,
          lineItems: children.filter((child) => String(child.id).startsWith("gid://shopify/LineItem/")),
          shippingLines: children.filter((child) => child.id === undefined),
        };
      });

    const paginated = await graphql(
      `query Orders($query: String) { orders(first: 10, query: $query, sortKey: UPDATED_AT) { edges { node { ${ORDER_FIELDS}
        lineItems(first: 10) { edges { node { ${LINE_FIELDS} } } }
        shippingLines(first: 5) { edges { node { ${SHIPPING_FIELDS} } } }
      } } } }`,
      { query: search },
    );
    const expected = paginated.data.orders.edges.map(({ node }: { node: Record<string, any> }) => ({
      ...node,
      lineItems: node.lineItems.edges.map((edge: { node: unknown }) => edge.node),
      shippingLines: node.shippingLines.edges.map((edge: { node: unknown }) => edge.node),
    }));
    expect(expected.map((order: { name: string }) => order.name)).toEqual(orders.slice(2).map((order) => order.name));
    expect(reassembled).toEqual(expected);
    expect(lines.filter((line) => line.__parentId !== undefined).length).toBeGreaterThan(4);

    // Shopify tells the app it finished, if it subscribes to bulk_operations/finish.
    await sim.simulator.deliverer.idle();
    expect(app.received.map((r) => [r.topic, r.valid, matchesWebhookSchema(r.topic, r.body)])).toEqual([["bulk_operations/finish", true, true]]);
    expect(app.received[0]!.body).toMatchObject({ admin_graphql_api_id: id, status: "completed", type: "query", error_code: null });
  });

  it("groups each order's nested lines right after it with groupObjects: true, and completes empty exports with no url", async () => {
    sim.simulator.placeOrders({ count: 3 });
    const inner = `{ orders { edges { node { id lineItems { edges { node { title } } } } } } }`;
    const { payload } = await runBulkQuery(inner, true);
    const operation = await waitFor(payload.bulkOperation!.id, ["COMPLETED"]);
    const { lines } = await download(operation.url);
    let currentOrder: string | null = null;
    for (const line of lines) {
      if (line.__parentId === undefined) currentOrder = line.id;
      else expect(line.__parentId).toBe(currentOrder);
    }
    expect(lines.filter((line) => line.__parentId === undefined).length).toBe(Number(operation.rootObjectCount));

    const none = await runBulkQuery(`{ orders(query: "created_at:<2000-01-01") { edges { node { id } } } }`);
    const empty = await waitFor(none.payload.bulkOperation!.id, ["COMPLETED"]);
    expect(empty).toMatchObject({ status: "COMPLETED", objectCount: "0", rootObjectCount: "0", fileSize: null, url: null });
  });

  it("refuses a sixth bulk query while five are in progress, and cancels them", async () => {
    sim.adminApi.bulkOperations.delayMs = 10_000;
    const inner = `{ orders { edges { node { id } } } }`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { payload } = await runBulkQuery(inner);
      expect(payload.userErrors).toEqual([]);
      ids.push(payload.bulkOperation!.id);
    }
    const sixth = await runBulkQuery(inner);
    expect(sixth.payload).toEqual({
      bulkOperation: null,
      userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${ids.join(", ")}.`, code: "OPERATION_IN_PROGRESS" }],
    });

    const cancel = `mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`;
    for (const id of ids) {
      expect((await graphql(cancel, { id })).data.bulkOperationCancel).toEqual({ bulkOperation: { id, status: "CANCELING" }, userErrors: [] });
    }
    // Canceling still counts as in progress.
    expect((await runBulkQuery(inner)).payload.userErrors[0]).toMatchObject({ code: "OPERATION_IN_PROGRESS" });
    sim.adminApi.bulkOperations.flush();
    for (const id of ids) expect(await bulkOperation(id)).toMatchObject({ status: "CANCELED", completedAt: null, url: null });
    expect((await graphql(cancel, { id: ids[0] })).data.bulkOperationCancel).toEqual({
      bulkOperation: { id: ids[0], status: "CANCELED" },
      userErrors: [{ field: null, message: "A bulk operation cannot be canceled when it is canceled" }],
    });
    expect((await graphql(cancel, { id: "gid://shopify/BulkOperation/1" })).data.bulkOperationCancel).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
    });
    const listed = await graphql(`{ bulkOperations(first: 10, query: "status:canceled operation_type:query") { nodes { id } } }`);
    expect(listed.data.bulkOperations.nodes.map((node: { id: string }) => node.id)).toEqual([...ids].reverse());

    // Older API versions allowed one at a time: the control API can say so.
    const settings = await fetch(`${sim.url}/admin-api/bulk-operations/settings`, { method: "POST", body: JSON.stringify({ concurrencyLimit: 1, delayMs: 500 }) });
    expect(await settings.json()).toEqual({ delayMs: 500, concurrencyLimit: 1 });
    try {
      const first = await runBulkQuery(inner);
      const second = await runBulkQuery(inner);
      expect(second.payload.userErrors).toEqual([
        { field: null, message: `A bulk query operation for this app and shop is already in progress: ${first.payload.bulkOperation!.id}.`, code: "OPERATION_IN_PROGRESS" },
      ]);
      await graphql(cancel, { id: first.payload.bulkOperation!.id });
    } finally {
      sim.adminApi.bulkOperations.concurrencyLimit = 5;
      sim.adminApi.bulkOperations.flush();
    }
    await sim.simulator.deliverer.idle();
    expect(app.received.map((r) => r.body.status)).toEqual(Array(6).fill("canceled"));
  });

  it("fails the next operation on request: FAILED with its error code, and partial data for internal errors", async () => {
    sim.simulator.placeOrders({ count: 4 });
    const failNext = await fetch(`${sim.url}/admin-api/bulk-operations/fail-next`, { method: "POST", body: JSON.stringify({ errorCode: "INTERNAL_SERVER_ERROR" }) });
    expect(await failNext.json()).toEqual({ failNext: "INTERNAL_SERVER_ERROR" });
    const inner = `{ orders { edges { node { id name } } } }`;
    const failed = await waitFor((await runBulkQuery(inner)).payload.bulkOperation!.id, ["COMPLETED", "FAILED"]);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", completedAt: null, url: null, fileSize: null });
    const partial = await download(failed.partialDataUrl);
    expect(partial.response.status).toBe(200);
    expect(String(partial.lines.length)).toBe(failed.objectCount);
    expect(partial.lines.length).toBeGreaterThan(0);

    sim.adminApi.failNextBulkOperation("ACCESS_DENIED");
    const denied = await waitFor((await runBulkQuery(inner)).payload.bulkOperation!.id, ["COMPLETED", "FAILED"]);
    expect(denied).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED", objectCount: "0", partialDataUrl: null, url: null });
    // Only the next one fails.
    expect((await waitFor((await runBulkQuery(inner)).payload.bulkOperation!.id, ["COMPLETED", "FAILED"])).status).toBe("COMPLETED");

    await sim.simulator.deliverer.idle();
    expect(app.received.map((r) => [r.body.status, r.body.error_code])).toEqual([
      ["failed", "internal_server_error"],
      ["failed", "access_denied"],
      ["completed", null],
    ]);
  });

  it("serves the result on storage.googleapis.com by signed URL only: wrong paths 404, tampered signatures 403", async () => {
    sim.simulator.placeOrders({ count: 1 });
    const operation = await waitFor((await runBulkQuery(`{ orders { edges { node { id } } } }`)).payload.bulkOperation!.id, ["COMPLETED"]);
    const url = new URL(operation.url);
    expect(url.host).toBe("storage.googleapis.com");
    expect([...url.searchParams.keys()]).toEqual(["GoogleAccessId", "Expires", "Signature", "response-content-disposition", "response-content-type"]);

    const wrongPath = await fetch(`https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/not-a-result-final${url.search}`);
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.text()).toMatch(/^<\?xml version='1\.0' encoding='UTF-8'\?><Error><Code>NoSuchKey<\/Code>/);

    const tampered = new URL(url);
    tampered.searchParams.set("Signature", `x${url.searchParams.get("Signature")}`);
    const forged = await fetch(tampered);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    const unsigned = await fetch(`${url.origin}${url.pathname}`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>AccessDenied</Code>");

    expect(sim.adminApi.requests.filter((r) => r.kind === "bulk-download").map((r) => [r.status, r.outcome])).toEqual([
      [404, "not-found"],
      [403, "rejected"],
      [403, "rejected"],
    ]);
    expect((await fetch(operation.url)).status).toBe(200);

    // Result URLs work for seven days; then the operation is EXPIRED and its URL gone.
    sim.adminApi.bulkOperations.urlLifetimeMs = 0;
    const expired = await waitFor((await runBulkQuery(`{ orders { edges { node { id } } } }`)).payload.bulkOperation!.id, ["EXPIRED", "COMPLETED"]);
    expect(expired).toMatchObject({ status: "EXPIRED", url: null, fileSize: null });
  });

  it("answers invalid inner queries with Shopify's userErrors, and creates nothing", async () => {
    const before = sim.adminApi.bulkOperations.all().length;
    const cases: [string, string[]][] = [
      ["", ["Invalid bulk query: syntax error, unexpected end of file"]],
      [`{ orders { edges { node { id favouriteColour } } } }`, ["Invalid bulk query: Field 'favouriteColour' doesn't exist on type 'Order'"]],
      [`mutation { discountCodeDelete(id: "gid://shopify/DiscountCodeNode/1") { deletedCodeDiscountId } }`, ["Invalid operation type. Only `query` operations are supported."]],
      [`{ shop { id } }`, ["Bulk queries must contain at least one connection."]],
      [`{ node(id: "gid://shopify/Order/1") { id } }`, ["Bulk queries cannot contain a top level `node` field.", "Bulk queries must contain at least one connection."]],
      [
        `{ orders { nodes { id } } }`,
        [
          "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'orders { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'orders'.",
        ],
      ],
      [
        `{ orders { edges { node { name lineItems { edges { node { id } } } } } } }`,
        [
          "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': orders.",
        ],
      ],
      [
        `{ orders { edges { node { id lineItems { edges { node { id } } } shippingLines { edges { node { id } } } discountApplications { edges { node { index } } } events { edges { node { id } } } metafields { edges { node { id } } } } } } }`,
        ["Bulk queries cannot contain more than 5 connections."],
      ],
      [
        `{ orders { edges { node { id fulfillmentOrders { edges { node { id fulfillments { edges { node { id fulfillmentLineItems { edges { node { id } } } } } } } } } } } } }`,
        ["Bulk queries cannot contain connections with a nesting depth greater than 2."],
      ],
      [`{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }`, ["Queries that contain a connection field within a list field are not currently supported."]],
      [
        `{ customers { edges { node { id } } } }`,
        ["The store simulator runs bulk queries over the top-level `orders` connection only; `customers` is not simulated."],
      ],
    ];
    for (const [inner, messages] of cases) {
      const { payload, cost } = await runBulkQuery(inner);
      expect({ inner, payload }).toEqual({ inner, payload: { bulkOperation: null, userErrors: messages.map((message) => ({ field: ["query"], message, code: "INVALID" })) } });
      expect(cost.actualQueryCost).toBe(10);
    }
    expect(sim.adminApi.bulkOperations.all()).toHaveLength(before);
  });
});
