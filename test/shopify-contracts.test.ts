import { existsSync, readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { orderPayloadSchema, parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { parseRefundPayload, refundPayloadSchema } from "~/domain/orders/parse-refund-payload";
import { collectionPayloadSchema, parseCollectionPayload } from "~/domain/catalog/parse-collection-payload";
import { APP_TOPICS, COLLECTION_TOPICS, COMPLIANCE_TOPICS, DISCOUNT_TOPICS, ORDER_TOPICS } from "~/services/receive-webhook.server";
import { SHOPIFY_API_VERSION } from "~/shopify.server";
import { shopifySample, shopifySchema } from "./helpers/shopify-samples";

const ORDER_WEBHOOKS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"];

describe("order payloads, checked against Shopify's published samples and schemas", () => {
  it.each(ORDER_WEBHOOKS)("parses Shopify's %s sample", (topic) => {
    const facts = parseOrderPayload(shopifySample(topic));
    expect(facts.shopifyOrderGid).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(facts.currencyCode).toBe("USD");
    expect(typeof facts.netMerchandiseMinor).toBe("bigint");
  });

  it("reads the orders/create sample's money exactly", () => {
    const facts = parseOrderPayload(shopifySample("orders/create"));
    expect(facts).toMatchObject({
      name: "#9999",
      subtotalMinor: 41495n,
      netMerchandiseMinor: 41495n,
      shippingMinor: 1000n,
      totalTaxMinor: 0n,
      discountCodes: [],
      test: true,
    });
    expect(facts.cancelledAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(facts.lines).toHaveLength(shopifySample("orders/create").line_items.length);
    expect(facts.lines.map((line) => line.productGid)).toEqual(
      shopifySample("orders/create").line_items.map((line: { product_id: number | null }) =>
        line.product_id ? `gid://shopify/Product/${line.product_id}` : null,
      ),
    );
    expect(facts.lines.reduce((sum, line) => sum + line.netMinor, 0n)).toBe(facts.netMerchandiseMinor);
  });

  it.each(ORDER_WEBHOOKS)("reads only fields that Shopify's %s schema declares", (topic) => {
    const declared = Object.keys(shopifySchema(topic).properties);
    expect(Object.keys(orderPayloadSchema.shape).filter((field) => !declared.includes(field))).toEqual([]);
  });

  it("parses Shopify's refunds/create sample and reads only declared fields", () => {
    const refund = parseRefundPayload(shopifySample("refunds/create"));
    expect(refund.shopifyRefundGid).toMatch(/^gid:\/\/shopify\/Refund\/\d+$/);
    expect(refund.lineItemsMinor).toBeGreaterThan(0n);
    const declared = Object.keys(shopifySchema("refunds/create").properties);
    expect(Object.keys(refundPayloadSchema.shape).filter((field) => !declared.includes(field))).toEqual([]);
  });

  it("takes tax out of the subtotal only when the shop's prices include tax", () => {
    const order = shopifySample("orders/create");
    const money = (amount: string) => ({
      shop_money: { amount, currency_code: "USD" },
      presentment_money: { amount, currency_code: "USD" },
    });
    Object.assign(order, {
      taxes_included: true,
      current_subtotal_price_set: money("120.00"),
      current_total_tax_set: money("21.00"),
      shipping_lines: [{ ...order.shipping_lines?.[0], tax_lines: [{ price_set: money("1.00") }] }],
    });
    expect(parseOrderPayload(order).netMerchandiseMinor).toBe(10000n);
  });

  it("keeps the shopper's currency beside the shop's, for reporting", () => {
    const order = shopifySample("orders/create");
    Object.assign(order, {
      presentment_currency: "JPY",
      current_subtotal_price_set: {
        shop_money: { amount: "120.00", currency_code: "USD" },
        presentment_money: { amount: "18000", currency_code: "JPY" },
      },
    });
    const facts = parseOrderPayload(order);
    expect(facts).toMatchObject({ presentmentCurrency: "JPY", netMerchandiseMinor: 12000n, presentmentNetMerchandiseMinor: 18000n });
  });

  it("explains what is wrong with a payload it cannot read", () => {
    expect(() => parseOrderPayload({ name: "#1" })).toThrow(/admin_graphql_api_id/);
  });
});

describe("collection payloads, checked against Shopify's published samples and schemas", () => {
  it.each(["collections/update", "collections/delete"])("reads the collection's gid from Shopify's %s sample", (topic) => {
    expect(parseCollectionPayload(shopifySample(topic))).toEqual({
      collectionGid: "gid://shopify/Collection/408372092144951419",
      title: topic === "collections/update" ? "My New Collection" : null,
    });
  });

  it.each(["collections/update", "collections/delete"])("needs only fields that Shopify's %s schema declares", (topic) => {
    const declared = Object.keys(shopifySchema(topic).properties);
    const shape = collectionPayloadSchema.shape;
    const undeclared = (Object.keys(shape) as (keyof typeof shape)[]).filter((field) => !declared.includes(field));
    // collections/delete has no title: the one field it lacks must be optional.
    expect(undeclared.filter((field) => !shape[field].safeParse(undefined).success)).toEqual([]);
    expect(undeclared).toEqual(topic === "collections/delete" ? ["title"] : []);
  });

  it("explains what is wrong with a payload it cannot read", () => {
    expect(() => parseCollectionPayload({ admin_graphql_api_id: "gid://shopify/Product/1" })).toThrow(/Collection gid/);
  });
});

describe("shopify.app.toml", () => {
  const toml = parseToml(readFileSync("shopify.app.toml", "utf8")) as any;
  const subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] = toml.webhooks.subscriptions;
  const stored = (topic: string) => topic.toUpperCase().replace("/", "_");

  it("uses the app's one Shopify API version", () => {
    expect(toml.webhooks.api_version).toBe(SHOPIFY_API_VERSION);
  });

  it("subscribes to every topic the app handles, and handles every topic it subscribes to", () => {
    const subscribed = subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]).map(stored);
    expect(subscribed.sort()).toEqual([...ORDER_TOPICS, ...DISCOUNT_TOPICS, ...COLLECTION_TOPICS, ...APP_TOPICS, ...COMPLIANCE_TOPICS].sort());
  });

  it.each(subscriptions.map((s) => [s.uri, s] as const))("serves %s with a route that takes POST", async (uri, subscription) => {
    const routeFile = `app/routes/${uri.slice(1).replaceAll("/", ".")}${uri === "/webhooks" ? "._index" : ""}.tsx`;
    expect(existsSync(routeFile), routeFile).toBe(true);
    const route = await import(/* @vite-ignore */ `../${routeFile}`);
    expect(typeof route.action).toBe("function");
    const accepted =
      uri === "/webhooks"
        ? [...ORDER_TOPICS, ...DISCOUNT_TOPICS, ...COLLECTION_TOPICS]
        : uri === "/webhooks/compliance"
          ? COMPLIANCE_TOPICS
          : APP_TOPICS;
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])]) {
      expect(accepted).toContain(stored(topic));
    }
  });

  it("asks for the scopes the app uses", () => {
    expect(toml.access_scopes.scopes.split(",")).toEqual(
      expect.arrayContaining(["read_orders", "read_discounts", "write_discounts", "read_customers", "read_products"]),
    );
  });
});
