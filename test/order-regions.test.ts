// The shipping region, read from what the simulated Shopify sends: its webhooks (valid against Shopify's published
// schema) and its Admin GraphQL orders must give the same region, and the region must be where the order ships.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGraphqlOrder } from "~/domain/orders/parse-graphql-order";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { routeAdminApiToSimulator } from "./support/admin-api";
import { matchesWebhookSchema } from "./helpers/webhook-receiver";
import { startSimulatorServer, type RunningSimulator } from "./simulator/server";
import { SHIPPING_REGIONS } from "./simulator/orders";

const SHOP = "order-regions-test.myshopify.com";
const TOKEN = "shpat_order_regions";
const MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";
// The fields parseGraphqlOrder reads, as the orders bulk query asks for them, through the paginated orders query.
const ORDERS_QUERY = `query Orders($query: String) {
  orders(first: 5, query: $query) { nodes {
    id name createdAt processedAt updatedAt currencyCode presentmentCurrencyCode taxesIncluded customer { id }
    shippingAddress { countryCodeV2 provinceCode }
    subtotalPriceSet { ${MONEY} } totalTaxSet { ${MONEY} } totalShippingPriceSet { ${MONEY} }
    shippingLines(first: 2) { nodes { taxLines { priceSet { ${MONEY} } } } }
    lineItems(first: 10) { nodes { product { id } quantity currentQuantity originalUnitPriceSet { ${MONEY} } } }
  } } }`;

let sim: RunningSimulator;
let restoreFetch: () => void;

beforeAll(async () => {
  sim = await startSimulatorServer({
    appUrl: "http://127.0.0.1:9",
    secret: "order-regions-secret",
    apiKey: "order-regions-key",
    shop: { domain: SHOP, name: "Regions Store", currency: "USD", timezone: "America/New_York" },
    port: 0,
    seed: 41,
    accessTokens: [TOKEN],
    subscribedTopics: [],
  });
  restoreFetch = routeAdminApiToSimulator(sim);
});

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
});

describe("an order's shipping region from the simulated store", () => {
  it("is the customer's state by default and spreads over several states", () => {
    const regions = Array.from({ length: 40 }, () => {
      const { events } = sim.simulator.generator.placeOrder();
      const payload = events[0]!.payload;
      expect(matchesWebhookSchema("orders/create", payload)).toBe(true);
      const region = parseOrderPayload(payload).shippingRegion!;
      expect(SHIPPING_REGIONS).toContain(region);
      return region;
    });
    expect(new Set(regions).size).toBeGreaterThan(5);
  });

  it("is the chosen state when the order ships elsewhere, with that state's tax, and GraphQL agrees", async () => {
    const placed = ["US-CA", "US-NY", "US-OR"].map((region) => ({ region, ...sim.simulator.generator.placeOrder({ shipTo: region }) }));
    for (const { region, order, events } of placed) {
      const payload = events[0]!.payload as Record<string, any>;
      expect(matchesWebhookSchema("orders/create", payload)).toBe(true);
      expect(parseOrderPayload(payload).shippingRegion).toBe(region);
      expect(payload.shipping_address.province_code).toBe(region.slice(3));
      // US sales tax is due where the order ships: Oregon has none.
      if (region === "US-OR") expect(order.lines.every((line) => line.taxMinor === 0)).toBe(true);
    }

    const response = await fetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query: ORDERS_QUERY, variables: { query: `id:>=${placed[0]!.order.id}` } }),
    });
    const body = (await response.json()) as { data: { orders: { nodes: unknown[] } }; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const byGid = new Map(body.data.orders.nodes.map((node) => {
      const { facts } = parseGraphqlOrder(node);
      return [facts.shopifyOrderGid, facts.shippingRegion];
    }));
    for (const { region, order } of placed) expect(byGid.get(`gid://shopify/Order/${order.id}`)).toBe(region);
  });

  it("refuses a state the simulated store does not ship to", () => {
    expect(() => sim.simulator.generator.placeOrder({ shipTo: "ZZ-XX" })).toThrow(/does not ship to ZZ-XX/);
  });
});
