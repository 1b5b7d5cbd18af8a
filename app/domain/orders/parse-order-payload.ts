import { z } from "zod";
import { hashEmail } from "../attribution/hash-email";
import { toMinorUnits } from "../money";
import { allocateProportionally } from "./allocate-proportionally";
import type { OrderFacts, OrderLine } from "./order-facts";
import { shippingRegionOf } from "./shipping-region";

const moneySchema = z.object({ amount: z.string(), currency_code: z.string().length(3) });
const moneySetSchema = z.object({ shop_money: moneySchema, presentment_money: moneySchema });
const timestampSchema = z.iso.datetime({ offset: true });
type MoneySet = z.infer<typeof moneySetSchema>;

const taxLineSchema = z.object({ price_set: moneySetSchema.nullish() });

const lineItemSchema = z.object({
  product_id: z.number().nullish(),
  quantity: z.number().int().nonnegative(),
  current_quantity: z.number().int().nonnegative().nullish(),
  price_set: moneySetSchema,
  discount_allocations: z.array(z.object({ amount_set: moneySetSchema })).nullish(),
});

// The subset of Shopify's order webhook payload (orders/create, updated, paid, cancelled) that the app reads.
export const orderPayloadSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string().min(1),
  confirmation_number: z.string().nullish(),
  currency: z.string().length(3),
  presentment_currency: z.string().length(3).nullish(),
  created_at: timestampSchema,
  processed_at: timestampSchema.nullish(),
  updated_at: timestampSchema,
  cancelled_at: timestampSchema.nullish(),
  financial_status: z.string().nullish(),
  test: z.boolean().nullish(),
  taxes_included: z.boolean().nullish(),
  landing_site: z.string().nullish(),
  referring_site: z.string().nullish(),
  note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  subtotal_price_set: moneySetSchema,
  current_subtotal_price_set: moneySetSchema.nullish(),
  total_tax_set: moneySetSchema.nullish(),
  current_total_tax_set: moneySetSchema.nullish(),
  total_shipping_price_set: moneySetSchema.nullish(),
  shipping_lines: z.array(z.object({ tax_lines: z.array(taxLineSchema).nullish() })).nullish(),
  customer: z.object({ admin_graphql_api_id: z.string().nullish(), email: z.string().nullish() }).nullish(),
  line_items: z.array(lineItemSchema).nullish(),
  // Only the region is read: street, city, zip and name are never kept.
  shipping_address: z.object({ country_code: z.string().nullish(), province_code: z.string().nullish() }).nullish(),
});

export type OrderPayload = z.input<typeof orderPayloadSchema>;

export class InvalidPayloadError extends Error {
  override name = "InvalidPayloadError";
}

export function parseOrderPayload(payload: unknown): OrderFacts {
  const parsed = orderPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(`Order payload rejected: ${z.prettifyError(parsed.error)}`);
  }
  const order = parsed.data;
  const shopCurrency = order.currency;
  const presentmentCurrency = order.presentment_currency ?? shopCurrency;
  const shopMinor = (set: MoneySet | null | undefined) => (set ? toMinorUnits(set.shop_money.amount, shopCurrency) : 0n);
  const presentmentMinor = (set: MoneySet | null | undefined) =>
    set ? toMinorUnits(set.presentment_money.amount, presentmentCurrency) : 0n;

  const subtotalMinor = shopMinor(order.current_subtotal_price_set ?? order.subtotal_price_set);
  const totalTaxMinor = shopMinor(order.current_total_tax_set ?? order.total_tax_set);
  const netMerchandiseMinor = netMerchandise(order, shopMinor);

  return {
    shopifyOrderGid: order.admin_graphql_api_id,
    name: order.name,
    confirmationNumber: order.confirmation_number ?? null,
    customerGid: order.customer?.admin_graphql_api_id ?? null,
    currencyCode: shopCurrency,
    presentmentCurrency,
    discountCodes: (order.discount_codes ?? []).map((discount) => discount.code),
    landingSite: order.landing_site ?? null,
    referringSite: order.referring_site ?? null,
    noteAttributes: (order.note_attributes ?? []).map((attribute) => ({
      name: attribute.name,
      value: attribute.value == null ? "" : String(attribute.value),
    })),
    customerEmailHash: hashEmail(order.email ?? order.contact_email ?? order.customer?.email),
    subtotalMinor,
    totalTaxMinor,
    shippingMinor: shopMinor(order.total_shipping_price_set),
    netMerchandiseMinor,
    presentmentNetMerchandiseMinor: netMerchandise(order, presentmentMinor),
    lines: orderLines(order.line_items ?? [], netMerchandiseMinor, shopMinor),
    processedAt: new Date(order.processed_at ?? order.created_at),
    updatedAt: new Date(order.updated_at),
    cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : null,
    financialStatus: order.financial_status ?? null,
    shippingRegion: order.shipping_address
      ? shippingRegionOf(order.shipping_address.country_code, order.shipping_address.province_code)
      : null,
    test: order.test ?? false,
  };
}

/** Subtotal after discounts, edits and refunds; tax-inclusive shops carry merchandise tax inside it, never shipping tax. */
function netMerchandise(order: z.infer<typeof orderPayloadSchema>, minor: (set: MoneySet | null | undefined) => bigint) {
  const subtotal = minor(order.current_subtotal_price_set ?? order.subtotal_price_set);
  const totalTax = minor(order.current_total_tax_set ?? order.total_tax_set);
  const shippingTax = (order.shipping_lines ?? [])
    .flatMap((line) => line.tax_lines ?? [])
    .reduce((sum, taxLine) => sum + minor(taxLine.price_set), 0n);
  const includedTax = order.taxes_included ? maxBigInt(totalTax - shippingTax, 0n) : 0n;
  return maxBigInt(subtotal - includedTax, 0n);
}

/**
 * Each line's share of the order's net merchandise: weighted by what the line still sells for (current quantity,
 * after its discount allocations), then scaled so the shares add up to the order's net exactly.
 */
function orderLines(
  lineItems: z.infer<typeof lineItemSchema>[],
  netMerchandiseMinor: bigint,
  shopMinor: (set: MoneySet) => bigint,
): OrderLine[] {
  const weights = lineItems.map((line) => {
    const quantity = BigInt(line.quantity);
    const current = BigInt(line.current_quantity ?? line.quantity);
    if (quantity === 0n) return 0n;
    const discounts = (line.discount_allocations ?? []).reduce((sum, allocation) => sum + shopMinor(allocation.amount_set), 0n);
    return maxBigInt(shopMinor(line.price_set) * current - (discounts * current) / quantity, 0n);
  });
  const shares = allocateProportionally(netMerchandiseMinor, weights);
  return lineItems.map((line, index) => ({
    productGid: line.product_id ? `gid://shopify/Product/${line.product_id}` : null,
    netMinor: shares[index]!,
  }));
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
