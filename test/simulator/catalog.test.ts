// The simulator's catalog through its Admin API (Shopify's real schema, the app's own documents) and its control
// API: title search in Shopify's syntax, collections and their products paged the way Shopify pages them, orders
// with chosen products, and collection changes delivered as Shopify's signed collections/update and /delete.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CATALOG_COLLECTIONS_QUERY, CATALOG_PRODUCTS_QUERY, COLLECTION_PRODUCTS_QUERY } from "~/shopify/admin-operations";
import { titlePrefixQuery } from "~/shopify/search-syntax";
import { findVariant, searchCatalog } from "~/services/catalog-search.server";
import { matchesWebhookSchema, startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";
import { routeAdminApiToSimulator } from "../support/admin-api";
import { collectionGid, productGid, variantGid } from "./catalog";
import { matchesSearch, parseSearchQuery } from "./search-query";
import { startSimulatorServer, type RunningSimulator } from "./server";

const SHOP = "catalog-test.myshopify.com";
const SECRET = "catalog-test-secret";
const TOKEN = "shpat_catalog_test_token";
const GRAPHQL_URL = `https://${SHOP}/admin/api/2026-07/graphql.json`;

const shopify = shopifyApi({ apiKey: "catalog-key", apiSecretKey: SECRET, apiVersion: ApiVersion.July26, isEmbeddedApp: true, hostName: "localhost", logger: { level: 0 } });

let app: WebhookReceiver;
let sim: RunningSimulator;
let restoreFetch: () => void;

beforeAll(async () => {
  app = await startWebhookReceiver(shopify);
  sim = await startSimulatorServer({
    appUrl: app.url,
    secret: SECRET,
    shop: { domain: SHOP, name: "Catalog Test Store", currency: "USD", timezone: "America/New_York" },
    port: 0,
    seed: 23,
    accessTokens: [TOKEN],
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
  app.received.length = 0;
});

async function graphql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe("Shopify's search syntax", () => {
  const title = (text: string) => (field: string | null) => (field === null || field === "title" ? [text] : undefined);
  const matches = (query: string, text: string) => matchesSearch(parseSearchQuery(query), title(text));

  it("matches whole words, prefixes and parts of words, case-insensitively", () => {
    expect(matches("title:serum", "Glow Serum Deluxe")).toBe(true);
    expect(matches("title:ser", "Glow Serum Deluxe")).toBe(false);
    expect(matches("title:ser*", "Glow Serum Deluxe")).toBe(true);
    expect(matches("title:*rum*", "Glow Serum Deluxe")).toBe(true);
    expect(matches('title:"serum deluxe"', "Glow Serum Deluxe")).toBe(true);
    expect(matches('title:"deluxe serum"', "Glow Serum Deluxe")).toBe(false);
    expect(matches("GLOW", "Glow Serum Deluxe")).toBe(true);
  });

  it("ANDs terms, ORs with OR, negates with - and NOT, groups with parentheses, and reads escapes", () => {
    expect(matches("title:glow* title:del*", "Glow Serum Deluxe")).toBe(true);
    expect(matches("title:glow* title:mask*", "Glow Serum Deluxe")).toBe(false);
    expect(matches("title:mask* OR title:glow*", "Glow Serum Deluxe")).toBe(true);
    expect(matches("-title:glow*", "Glow Serum Deluxe")).toBe(false);
    expect(matches("NOT title:mask", "Glow Serum Deluxe")).toBe(true);
    expect(matches("(title:mask OR title:serum) title:glow", "Glow Serum Deluxe")).toBe(true);
    expect(matches("title:D\\'Addario*", "D'Addario Strings")).toBe(true);
  });

  it("ignores a field the resource does not know, as Shopify does", () => {
    expect(matches("flavour:mint", "Glow Serum")).toBe(true);
  });

  it("finds what the app's picker asks for", () => {
    expect(matches(titlePrefixQuery("gifts und")!, "Gifts Under $50")).toBe(true);
    expect(matches(titlePrefixQuery("under gif")!, "Gifts Under $50")).toBe(true);
    expect(matches(titlePrefixQuery("gifts over")!, "Gifts Under $50")).toBe(false);
  });
});

describe("products and collections over Admin GraphQL", () => {
  it("searches products by title with the app's query, sorted by title, at most the page asked for", async () => {
    const catalog = sim.simulator.catalog;
    const product = catalog.products[5]!;
    const firstWord = product.title.split(" ")[0]!;
    const data = await graphql<{ products: { nodes: { id: string; title: string; status: string }[] } }>(CATALOG_PRODUCTS_QUERY, {
      query: titlePrefixQuery(firstWord.slice(0, 3)),
      first: 10,
    });
    const expected = catalog.products
      .filter((p) => p.title.toLowerCase().split(/[^a-z0-9]+/).some((word) => word.startsWith(firstWord.slice(0, 3).toLowerCase())))
      .sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()))
      .slice(0, 10);
    expect(data.products.nodes).toEqual(expected.map((p) => ({ id: productGid(p), title: p.title, status: "ACTIVE" })));
    expect(data.products.nodes.map((node) => node.id)).toContain(productGid(product));

    const everything = await graphql<{ products: { nodes: unknown[] } }>(CATALOG_PRODUCTS_QUERY, { query: null, first: 10 });
    expect(everything.products.nodes).toHaveLength(10);
  });

  it("searches collections by title and says how many products each holds", async () => {
    const data = await graphql<{ collections: { nodes: { id: string; title: string; productsCount: { count: number } }[] } }>(
      CATALOG_COLLECTIONS_QUERY,
      { query: titlePrefixQuery("gift"), first: 10 },
    );
    const gifts = sim.simulator.catalog.collection("Gifts Under $50")!;
    expect(data.collections.nodes).toEqual([
      { id: collectionGid(gifts), title: "Gifts Under $50", productsCount: { count: gifts.members.length, precision: "EXACT" } },
    ]);
    const all = await graphql<{ collections: { nodes: { title: string }[] } }>(CATALOG_COLLECTIONS_QUERY, { query: null, first: 10 });
    expect(all.collections.nodes.map((node) => node.title)).toEqual(["Best Sellers", "Gifts Under $50", "New Arrivals", "Summer Sale"]);
  });

  it("pages a collection's products 250 at a time in its own order, and a cursor survives a change between pages", async () => {
    const catalog = sim.simulator.catalog;
    const added = Array.from({ length: 300 }, (_, i) => catalog.addProduct({ title: `Bulk Candle ${i + 1}`, priceMinor: 1_500 }));
    const { collection } = sim.simulator.createCollection("Candles", added.map((p) => p.id));
    type Page = { collection: { title: string; products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const first = await graphql<Page>(COLLECTION_PRODUCTS_QUERY, { id: collectionGid(collection), after: null });
    expect(first.collection.title).toBe("Candles");
    expect(first.collection.products.nodes).toEqual(added.slice(0, 250).map((p) => ({ id: productGid(p) })));
    expect(first.collection.products.pageInfo.hasNextPage).toBe(true);

    // The merchant removes a product already read: the next page carries on after the last one read.
    sim.simulator.changeCollection(collection, { remove: [added[10]!.id] });
    const second = await graphql<Page>(COLLECTION_PRODUCTS_QUERY, { id: collectionGid(collection), after: first.collection.products.pageInfo.endCursor });
    expect(second.collection.products.nodes).toEqual(added.slice(250).map((p) => ({ id: productGid(p) })));
    expect(second.collection.products.pageInfo.hasNextPage).toBe(false);

    const gone = await graphql<{ collection: null }>(COLLECTION_PRODUCTS_QUERY, { id: "gid://shopify/Collection/1", after: null });
    expect(gone.collection).toBeNull();
  });

  it("charges a full page of a collection's products to the leaky bucket", async () => {
    const catalog = sim.simulator.catalog;
    const collection = catalog.collection("Best Sellers")!;
    sim.adminApi.requests.length = 0;
    await graphql(COLLECTION_PRODUCTS_QUERY, { id: collectionGid(collection), after: null });
    const [request] = sim.adminApi.graphqlRequests();
    // collection (1) + products connection (2 + 250 nodes of 1): what Shopify reserves before running the query.
    expect(request?.cost).toEqual({ requested: 253, actual: 3 + collection.members.length });
  });
});

describe("variants and their cost per item over Admin GraphQL (the seeding cost picker)", () => {
  const admin = <T,>(query: string, variables?: Record<string, unknown>) => graphql<T>(query, variables);

  it("finds variants by the start of their product's title or SKU, with Shopify's cost per item or none", async () => {
    const catalog = sim.simulator.catalog;
    const withCost = catalog.addProduct({ title: "Zephyr Linen Shirt", priceMinor: 4_999, unitCostMinor: 1_850 });
    const withoutCost = catalog.addProduct({ title: "Zephyr Wool Socks", priceMinor: 1_200, unitCostMinor: null });

    const matches = await searchCatalog(admin, { type: "VARIANT", q: "zeph" });
    expect(matches).toEqual([
      {
        type: "VARIANT",
        gid: variantGid(withCost.variants[0]!),
        title: "Zephyr Linen Shirt - Default Title",
        detail: `SKU ${withCost.variants[0]!.sku} · cost 18.5 USD`,
        variant: {
          gid: variantGid(withCost.variants[0]!),
          productGid: productGid(withCost),
          productTitle: "Zephyr Linen Shirt",
          variantTitle: "Default Title",
          displayName: "Zephyr Linen Shirt - Default Title",
          sku: withCost.variants[0]!.sku,
          imageUrl: null,
          unitCost: { amount: "18.5", currencyCode: "USD" },
        },
      },
      expect.objectContaining({
        gid: variantGid(withoutCost.variants[0]!),
        detail: `SKU ${withoutCost.variants[0]!.sku} · no cost in Shopify`,
        variant: expect.objectContaining({ unitCost: null }),
      }),
    ]);
    // Two words narrow it down; a SKU finds its variant.
    expect((await searchCatalog(admin, { type: "VARIANT", q: "zephyr wool" })).map((match) => match.gid)).toEqual([variantGid(withoutCost.variants[0]!)]);
    expect((await searchCatalog(admin, { type: "VARIANT", q: withCost.variants[0]!.sku })).map((match) => match.gid)).toEqual([
      variantGid(withCost.variants[0]!),
    ]);
    expect(await searchCatalog(admin, { type: "VARIANT", q: "nothing-starts-like-this" })).toEqual([]);
  });

  it("gives every seeded product's variants a cost except every fifth, whose merchant never entered one", () => {
    const variants = sim.simulator.catalog.products.slice(0, 24).flatMap((product) => product.variants);
    expect(variants.filter((variant) => variant.unitCostMinor === null).length).toBe(Math.floor(variants.length / 5));
    for (const variant of variants.filter((v) => v.unitCostMinor !== null)) {
      expect(variant.unitCostMinor).toBe(Math.round(variant.priceMinor * 0.4));
    }
  });

  it("looks one variant up by id, as a seeding cost does when it is saved, and answers null for an unknown one", async () => {
    const catalog = sim.simulator.catalog;
    const sized = catalog.products.find((product) => product.variants.length === 3)!;
    const medium = sized.variants[1]!;
    const found = await findVariant(admin, variantGid(medium));
    expect(found).toMatchObject({
      gid: variantGid(medium),
      productGid: productGid(sized),
      productTitle: sized.title,
      variantTitle: medium.title,
      displayName: `${sized.title} - ${medium.title}`,
      sku: medium.sku,
    });
    expect(found!.unitCost).toEqual(
      medium.unitCostMinor === null ? null : { amount: expect.stringMatching(/^\d+\.\d{1,2}$/), currencyCode: "USD" },
    );
    expect(await findVariant(admin, "gid://shopify/ProductVariant/1")).toBeNull();
  });
});

describe("collection changes in the Shopify admin", () => {
  it("adding and removing products delivers one signed collections/update in Shopify's format; deleting, collections/delete", async () => {
    const products = (await control("GET", "/products")).body.products as { id: string; title: string; collections: string[] }[];
    const created = await control("POST", "/collections", { title: "Holiday Picks", products: [products[0]!.id, products[1]!.id] });
    expect(created.status).toBe(201);
    const holiday = created.body.collection as { id: string; products: { id: string }[] };
    expect(holiday.products.map((p) => p.id)).toEqual([products[0]!.id, products[1]!.id]);

    const changed = await control("POST", `/collections/${encodeURIComponent("Holiday Picks")}/products`, {
      add: [products[2]!.id],
      remove: [products[0]!.id],
    });
    expect(changed.status).toBe(201);
    expect(changed.body.deliveries.map((d: any) => [d.topic, d.state])).toEqual([["collections/update", "delivered"]]);
    expect(changed.body.collection.products.map((p: any) => p.id)).toEqual([products[1]!.id, products[2]!.id]);
    // Nothing changes: no webhook.
    const unchanged = await control("POST", `/collections/${encodeURIComponent(holiday.id)}/products`, { add: [products[1]!.id] });
    expect(unchanged.body.deliveries).toEqual([]);

    const deleted = await control("DELETE", `/collections/${encodeURIComponent(holiday.id)}`);
    expect(deleted.body.deliveries.map((d: any) => d.topic)).toEqual(["collections/delete"]);
    expect((await control("POST", `/collections/${encodeURIComponent(holiday.id)}/products`, { add: [] })).status).toBe(404);

    // collections/create is not subscribed to (shopify.app.toml): only update and delete reached the app.
    expect(app.received.map((r) => r.topic)).toEqual(["collections/update", "collections/delete"]);
    for (const webhook of app.received) {
      expect(webhook.valid).toBe(true);
      expect(matchesWebhookSchema(webhook.topic, webhook.body)).toBe(true);
      expect(webhook.body.admin_graphql_api_id).toBe(holiday.id);
    }
    expect(app.received[0]!.body).toMatchObject({ title: "Holiday Picks", handle: "holiday-picks", updated_at: expect.stringMatching(/-0[45]:00$/) });
    expect(Object.keys(app.received[1]!.body).sort()).toEqual(["admin_graphql_api_id", "id", "published_scope"]);
  });

  it("places orders with the products asked for, and refuses products the shop does not have", async () => {
    const [first, second] = sim.simulator.catalog.products;
    const placed = await control("POST", "/orders", { products: [productGid(first!), second!.id], count: 1 });
    expect(placed.status).toBe(201);
    const [order] = placed.body.orders as { lines: { productGid: string; net: string }[]; currentSubtotal: string }[];
    expect(order!.lines.map((line) => line.productGid)).toEqual([productGid(first!), productGid(second!)]);
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    expect(order!.lines.reduce((sum, line) => sum + cents(line.net), 0)).toBe(cents(order!.currentSubtotal));
    expect((await control("POST", "/orders", { products: ["gid://shopify/Product/1"] })).status).toBe(400);
  });
});
