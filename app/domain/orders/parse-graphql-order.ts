import { z } from "zod";
import { parseCustomerJourneySummary } from "../attribution/signals";
import type { CustomerJourney } from "../attribution/types";
import type { OrderFacts } from "./order-facts";
import { InvalidPayloadError, parseOrderPayload, type OrderPayload } from "./parse-order-payload";

const moneyV2 = z.object({ amount: z.string(), currencyCode: z.string().length(3) });
const moneyBag = z.object({ shopMoney: moneyV2, presentmentMoney: moneyV2 });
type MoneyBag = z.infer<typeof moneyBag>;

// The order as ORDERS_PAGE_QUERY (app/shopify/admin-operations.ts) asks for it.
const graphqlOrderSchema = z.object({
  id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  confirmationNumber: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullish(),
  test: z.boolean().nullish(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string().nullish(),
  taxesIncluded: z.boolean().nullish(),
  displayFinancialStatus: z.string().nullish(),
  email: z.string().nullish(),
  customer: z.object({ id: z.string() }).nullish(),
  discountCodes: z.array(z.string()).nullish(),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish(),
  subtotalPriceSet: moneyBag,
  currentSubtotalPriceSet: moneyBag.nullish(),
  totalTaxSet: moneyBag.nullish(),
  currentTotalTaxSet: moneyBag.nullish(),
  totalShippingPriceSet: moneyBag.nullish(),
  shippingLines: z
    .object({ nodes: z.array(z.object({ taxLines: z.array(z.object({ priceSet: moneyBag })).nullish() })) })
    .nullish(),
  lineItems: z.object({
    nodes: z.array(
      z.object({
        product: z.object({ id: z.string() }).nullish(),
        quantity: z.number().int(),
        currentQuantity: z.number().int().nullish(),
        originalUnitPriceSet: moneyBag,
        discountAllocations: z.array(z.object({ allocatedAmountSet: moneyBag })).nullish(),
      }),
    ),
  }),
  customerJourneySummary: z.unknown().nullish(),
  shippingAddress: z.object({ countryCodeV2: z.string().nullish(), provinceCode: z.string().nullish() }).nullish(),
});

export interface SyncedOrder {
  facts: OrderFacts;
  journey: CustomerJourney | null;
}

/**
 * An order read through Admin GraphQL (import, reconciliation), turned into the same facts its webhook would give:
 * it is re-shaped as the webhook payload and read by the one order parser, so both paths agree to the cent.
 * GraphQL has no landing_site/referring_site; the journey's last visit is where the shopper landed from.
 */
export function parseGraphqlOrder(node: unknown): SyncedOrder {
  const parsed = graphqlOrderSchema.safeParse(node);
  if (!parsed.success) throw new InvalidPayloadError(`Order from Admin GraphQL rejected: ${z.prettifyError(parsed.error)}`);
  const order = parsed.data;
  const journey = parseCustomerJourneySummary(order.customerJourneySummary ?? null);
  const restMoney = (set: MoneyBag) => ({
    shop_money: { amount: set.shopMoney.amount, currency_code: set.shopMoney.currencyCode },
    presentment_money: { amount: set.presentmentMoney.amount, currency_code: set.presentmentMoney.currencyCode },
  });
  const optionalMoney = (set: MoneyBag | null | undefined) => (set ? restMoney(set) : null);

  const payload: OrderPayload = {
    admin_graphql_api_id: order.id,
    name: order.name,
    confirmation_number: order.confirmationNumber ?? null,
    currency: order.currencyCode,
    presentment_currency: order.presentmentCurrencyCode ?? order.currencyCode,
    created_at: order.createdAt,
    processed_at: order.processedAt ?? null,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt ?? null,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    test: order.test ?? false,
    taxes_included: order.taxesIncluded ?? false,
    landing_site: journey?.lastVisit?.landingPage ?? null,
    referring_site: journey?.lastVisit?.referrerUrl ?? null,
    note_attributes: (order.customAttributes ?? []).map((attribute) => ({ name: attribute.key, value: attribute.value ?? "" })),
    email: order.email ?? null,
    discount_codes: (order.discountCodes ?? []).map((code) => ({ code })),
    subtotal_price_set: restMoney(order.subtotalPriceSet),
    current_subtotal_price_set: optionalMoney(order.currentSubtotalPriceSet),
    total_tax_set: optionalMoney(order.totalTaxSet),
    current_total_tax_set: optionalMoney(order.currentTotalTaxSet),
    total_shipping_price_set: optionalMoney(order.totalShippingPriceSet),
    shipping_lines: (order.shippingLines?.nodes ?? []).map((line) => ({
      tax_lines: (line.taxLines ?? []).map((taxLine) => ({ price_set: restMoney(taxLine.priceSet) })),
    })),
    customer: order.customer ? { admin_graphql_api_id: order.customer.id } : null,
    shipping_address: order.shippingAddress
      ? { country_code: order.shippingAddress.countryCodeV2 ?? null, province_code: order.shippingAddress.provinceCode ?? null }
      : null,
    line_items: order.lineItems.nodes.map((line) => ({
      product_id: line.product ? legacyId(line.product.id) : null,
      quantity: line.quantity,
      current_quantity: line.currentQuantity ?? line.quantity,
      price_set: restMoney(line.originalUnitPriceSet),
      discount_allocations: (line.discountAllocations ?? []).map((allocation) => ({
        amount_set: restMoney(allocation.allocatedAmountSet),
      })),
    })),
  };
  return { facts: parseOrderPayload(payload), journey };
}

function legacyId(gid: string): number | null {
  const id = Number(gid.split("/").at(-1));
  return Number.isSafeInteger(id) ? id : null;
}
