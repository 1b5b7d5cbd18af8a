import { describe, expect, it } from "vitest";
import { shopifySample } from "../../../test/helpers/shopify-samples";
import { parseGraphqlOrder } from "./parse-graphql-order";
import { parseOrderPayload } from "./parse-order-payload";

describe("the order's shipping region", () => {
  it("is read from Shopify's orders/create sample: Kentucky, United States", () => {
    expect(parseOrderPayload(shopifySample("orders/create")).shippingRegion).toBe("US-KY");
  });

  it("is the country alone for an address without a province, as Shopify sends it for Great Britain", () => {
    const order = shopifySample("orders/create");
    order.shipping_address = { ...order.shipping_address, country: "United Kingdom", country_code: "GB", province: null, province_code: null };
    expect(parseOrderPayload(order).shippingRegion).toBe("GB");
  });

  it("is null for an order that ships nowhere (no shipping address, or a null one)", () => {
    const withoutAddress = shopifySample("orders/create");
    delete withoutAddress.shipping_address;
    expect(parseOrderPayload(withoutAddress).shippingRegion).toBeNull();
    expect(parseOrderPayload({ ...shopifySample("orders/create"), shipping_address: null }).shippingRegion).toBeNull();
  });

  it("is all the app keeps of the address: no street, city, zip or name", () => {
    const sample = shopifySample("orders/create");
    const facts = JSON.stringify(parseOrderPayload(sample), (_key, value) => (typeof value === "bigint" ? String(value) : value));
    for (const part of ["address1", "city", "zip", "name"] as const) {
      expect(facts).not.toContain(String(sample.shipping_address[part]));
    }
  });

  it("is the same from Admin GraphQL's shippingAddress as from the webhook", () => {
    const node = graphqlOrder({ shippingAddress: { countryCodeV2: "CA", provinceCode: "QC" } });
    expect(parseGraphqlOrder(node).facts.shippingRegion).toBe("CA-QC");
    expect(parseGraphqlOrder(graphqlOrder({ shippingAddress: { countryCodeV2: "GB", provinceCode: null } })).facts.shippingRegion).toBe("GB");
    expect(parseGraphqlOrder(graphqlOrder({ shippingAddress: null })).facts.shippingRegion).toBeNull();
    expect(parseGraphqlOrder(graphqlOrder({})).facts.shippingRegion).toBeNull();
  });
});

/** The smallest order ORDERS bulk query returns, plus `extra`. */
function graphqlOrder(extra: Record<string, unknown>): Record<string, unknown> {
  const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" }, presentmentMoney: { amount, currencyCode: "USD" } });
  return {
    id: "gid://shopify/Order/5001",
    name: "#5001",
    createdAt: "2026-11-02T10:00:00Z",
    updatedAt: "2026-11-02T10:00:05Z",
    currencyCode: "USD",
    subtotalPriceSet: money("20.0"),
    lineItems: { nodes: [{ product: { id: "gid://shopify/Product/1" }, quantity: 1, originalUnitPriceSet: money("20.0") }] },
    ...extra,
  };
}
