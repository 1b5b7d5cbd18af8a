// The simulator's orders as the Admin GraphQL API shows them: built from the same REST-shaped payload the webhooks
// carry, so that what the app reads over GraphQL agrees with what it was sent. Objects are plain data shaped like
// the schema's types (graphql's default resolver reads properties); fields with arguments are functions.
import { paginate, type PageArgs } from "./connections";
import { formatAmount } from "./money";
import type { OrderGenerator, ShopProfile, SimOrder } from "./orders";
import type { Visit } from "./traffic";

type RestMoney = { amount: string; currency_code: string };
type RestMoneySet = { shop_money: RestMoney; presentment_money: RestMoney };
type RestOrder = Record<string, any>;

export interface OrderViewContext {
  shop: ShopProfile;
  generator: OrderGenerator;
  /** Asked each time the app reads the order's journey: whether Shopify has attributed its sessions yet. */
  journeyReady: (order: SimOrder) => boolean;
}

const DAY_MS = 86_400_000;

/** GraphQL DateTime: UTC, whole seconds. */
export function graphqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** GraphQL Decimal as Shopify writes it: no trailing zeros beyond one decimal ("10.0", "5.5", "1000.0"). */
export function graphqlDecimal(amount: string): string {
  const [whole, fraction = ""] = amount.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${whole}.${trimmed || "0"}`;
}

export function moneyBag(set: RestMoneySet) {
  const money = (m: RestMoney) => ({ amount: graphqlDecimal(m.amount), currencyCode: m.currency_code });
  return { shopMoney: money(set.shop_money), presentmentMoney: money(set.presentment_money) };
}

export function orderNode(order: SimOrder, context: OrderViewContext): Record<string, unknown> {
  const payload = context.generator.orderPayload(order) as RestOrder;
  const codes = (payload.discount_codes as { code: string }[]).map((discount) => discount.code);
  const discount = order.discount;
  const discountApplication = discount
    ? {
        __typename: "DiscountCodeApplication",
        code: discount.code,
        index: 0,
        allocationMethod: "ACROSS",
        targetSelection: "ALL",
        targetType: "LINE_ITEM",
        value:
          discount.type === "percentage"
            ? { __typename: "PricingPercentageValue", percentage: discount.value }
            : { __typename: "MoneyV2", amount: graphqlDecimal(formatAmount(discount.value, context.shop.currency)), currencyCode: context.shop.currency },
      }
    : null;
  const lineItems = (payload.line_items as RestOrder[]).map((line) => lineItemNode(line, discountApplication));
  const shippingLines = (payload.shipping_lines as RestOrder[]).map(shippingLineNode);
  const customer = order.customer;

  return {
    __typename: "Order",
    id: payload.admin_graphql_api_id,
    legacyResourceId: String(order.id),
    name: order.name,
    confirmationNumber: order.confirmationNumber,
    createdAt: graphqlDateTime(order.createdAt),
    processedAt: graphqlDateTime(order.createdAt),
    updatedAt: graphqlDateTime(order.updatedAt),
    cancelledAt: order.cancelledAt ? graphqlDateTime(order.cancelledAt) : null,
    cancelReason: order.cancelReason ? order.cancelReason.toUpperCase() : null,
    closed: false,
    closedAt: null,
    test: false,
    currencyCode: payload.currency,
    presentmentCurrencyCode: payload.presentment_currency,
    taxesIncluded: payload.taxes_included,
    displayFinancialStatus: String(payload.financial_status).toUpperCase(),
    displayFulfillmentStatus: "UNFULFILLED",
    email: payload.email,
    phone: null,
    note: order.note,
    tags: [],
    sourceName: payload.source_name,
    customer: {
      __typename: "Customer",
      id: `gid://shopify/Customer/${customer.id}`,
      legacyResourceId: String(customer.id),
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      displayName: `${customer.firstName} ${customer.lastName}`,
      numberOfOrders: String(customer.orders),
    },
    discountCode: codes[0] ?? null,
    discountCodes: codes,
    customAttributes: order.noteAttributes.map(({ name, value }) => ({ key: name, value })),
    subtotalPriceSet: moneyBag(payload.subtotal_price_set),
    currentSubtotalPriceSet: moneyBag(payload.current_subtotal_price_set),
    totalTaxSet: moneyBag(payload.total_tax_set),
    currentTotalTaxSet: moneyBag(payload.current_total_tax_set),
    totalShippingPriceSet: moneyBag(payload.total_shipping_price_set),
    currentShippingPriceSet: moneyBag(payload.current_shipping_price_set),
    totalDiscountsSet: moneyBag(payload.total_discounts_set),
    currentTotalDiscountsSet: moneyBag(payload.current_total_discounts_set),
    totalPriceSet: moneyBag(payload.total_price_set),
    currentTotalPriceSet: moneyBag(payload.current_total_price_set),
    subtotalLineItemsQuantity: lineItems.reduce((sum, line) => sum + (line.quantity as number), 0),
    // Deprecated in favour of the journey's last visit, but still answered.
    landingPageUrl: order.landingSite ? absoluteUrl(order.landingSite, context.shop) : null,
    referrerUrl: order.referringSite,
    lineItems: (args: PageArgs) => paginate(lineItems, (line) => [lineItems.indexOf(line), Number(line.legacyId)], args),
    shippingLines: (args: PageArgs) => paginate(shippingLines, (line) => [shippingLines.indexOf(line), Number(line.legacyId)], args),
    discountApplications: (args: PageArgs) => paginate(discountApplication ? [discountApplication] : [], () => [0, 0], args),
    customerJourneySummary: () => journeySummary(order, context),
    shippingAddress: mailingAddress(payload.shipping_address, order.id),
  };
}

/** A REST address as Admin GraphQL's MailingAddress; null when the order ships nowhere. */
function mailingAddress(address: RestOrder | null | undefined, orderId: number): Record<string, unknown> | null {
  if (!address) return null;
  return {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${orderId + 3}?model_name=Address`,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    company: address.company,
    country: address.country,
    countryCode: address.country_code,
    countryCodeV2: address.country_code,
    firstName: address.first_name,
    lastName: address.last_name,
    name: address.name,
    phone: address.phone,
    province: address.province,
    provinceCode: address.province_code,
    zip: address.zip,
    latitude: address.latitude,
    longitude: address.longitude,
    formattedArea: [address.city, address.province_code, address.country].filter(Boolean).join(", "),
    formatted: () => [address.name, address.address1, address.address2, `${address.city} ${address.province_code} ${address.zip}`, address.country].filter(Boolean),
  };
}

function lineItemNode(line: RestOrder, discountApplication: Record<string, unknown> | null): Record<string, unknown> & { legacyId: number; quantity: number } {
  const allocations = line.discount_allocations as { amount_set: RestMoneySet }[];
  const unit = line.price_set as RestMoneySet;
  return {
    __typename: "LineItem",
    legacyId: line.id,
    id: line.admin_graphql_api_id,
    name: line.name,
    title: line.title,
    sku: line.sku,
    vendor: line.vendor,
    quantity: line.quantity,
    currentQuantity: line.current_quantity,
    refundableQuantity: line.current_quantity,
    unfulfilledQuantity: line.fulfillable_quantity,
    nonFulfillableQuantity: line.quantity - line.fulfillable_quantity,
    requiresShipping: line.requires_shipping,
    taxable: line.taxable,
    product: line.product_id ? { __typename: "Product", id: `gid://shopify/Product/${line.product_id}` } : null,
    variant: line.variant_id ? { __typename: "ProductVariant", id: `gid://shopify/ProductVariant/${line.variant_id}` } : null,
    originalUnitPriceSet: moneyBag(unit),
    totalDiscountSet: moneyBag(line.total_discount_set),
    discountAllocations: allocations.map((allocation) => ({
      __typename: "DiscountAllocation",
      allocatedAmountSet: moneyBag(allocation.amount_set),
      allocatedAmount: moneyBag(allocation.amount_set).shopMoney,
      discountApplication,
    })),
    taxLines: (line.tax_lines as RestOrder[]).map(taxLineNode),
  };
}

function shippingLineNode(line: RestOrder): Record<string, unknown> & { legacyId: number } {
  return {
    __typename: "ShippingLine",
    legacyId: line.id,
    id: `gid://shopify/ShippingLine/${line.id}`,
    title: line.title,
    code: line.code,
    source: line.source,
    isRemoved: line.is_removed,
    originalPriceSet: moneyBag(line.price_set),
    discountedPriceSet: moneyBag(line.discounted_price_set),
    currentDiscountedPriceSet: moneyBag(line.current_discounted_price_set),
    taxLines: (line.tax_lines as RestOrder[]).map(taxLineNode),
  };
}

function taxLineNode(tax: RestOrder): Record<string, unknown> {
  const priceSet = moneyBag(tax.price_set);
  return {
    __typename: "TaxLine",
    title: tax.title,
    rate: tax.rate,
    ratePercentage: Math.round(tax.rate * 100_000) / 1000,
    priceSet,
    price: priceSet.shopMoney.amount,
    channelLiable: tax.channel_liable,
    source: "Shopify",
  };
}

// --- customer journey ------------------------------------------------------------------------------------------

function journeySummary(order: SimOrder, context: OrderViewContext): Record<string, unknown> {
  if (!context.journeyReady(order)) {
    // Shopify attributes sessions some time after checkout; until then only `ready` is known.
    return { ready: false, customerOrderIndex: null, daysToConversion: null, firstVisit: null, lastVisit: null, momentsCount: null, moments: null };
  }
  const last = visitNode(order, convertingVisit(order), 1, context.shop);
  const first = order.firstVisit ? visitNode(order, order.firstVisit, 0, context.shop) : last;
  const visits = first === last ? [last] : [first, last];
  return {
    ready: true,
    customerOrderIndex: order.customerOrderIndex,
    daysToConversion: Math.floor((order.createdAt.getTime() - Date.parse(first.occurredAt as string)) / DAY_MS),
    firstVisit: first,
    lastVisit: last,
    momentsCount: { count: visits.length, precision: "EXACT" },
    moments: (args: PageArgs) => paginate(visits, (visit) => [Date.parse(visit.occurredAt as string), visits.indexOf(visit)], args),
  };
}

/** The session the order was placed in: it landed on the order's landing_site from its referring_site. */
function convertingVisit(order: SimOrder): Visit {
  // Shoppers browse for a few minutes before paying; derived from the id so that reading it draws no randomness.
  const minutesBefore = 3 + (order.id % 37);
  return { occurredAt: new Date(order.createdAt.getTime() - minutesBefore * 60_000), landingSite: order.landingSite, referringSite: order.referringSite };
}

function visitNode(order: SimOrder, visit: Visit, index: number, shop: ShopProfile): Record<string, unknown> {
  const landing = visit.landingSite ? new URL(visit.landingSite, `https://${shop.domain}`) : null;
  const params = landing?.searchParams;
  const utm = (name: string) => params?.get(`utm_${name}`) ?? null;
  const hasUtm = ["source", "medium", "campaign", "content", "term"].some((name) => utm(name) !== null);
  const referrer = visit.referringSite ? new URL(visit.referringSite) : null;
  const source = utm("source") ?? (referrer ? sourceName(referrer.hostname) : "direct");
  return {
    __typename: "CustomerVisit",
    id: `gid://shopify/CustomerVisit/${order.id * 2 + index}`,
    occurredAt: graphqlDateTime(visit.occurredAt),
    landingPage: landing?.toString() ?? null,
    landingPageHtml: landing ? `<a href="${landing}">${landing.pathname}</a>` : null,
    referrerUrl: visit.referringSite,
    referralCode: params?.get("ref") ?? params?.get("source") ?? params?.get("r") ?? null,
    referralInfoHtml: referrer ? `<a href="${referrer}">${referrer.hostname}</a>` : "direct",
    source,
    sourceDescription: hasUtm ? `${source} (${utm("medium") ?? "unknown medium"})` : source,
    sourceType: marketingTactic(utm("medium"), referrer?.hostname ?? null),
    marketingEvent: null,
    utmParameters: hasUtm
      ? { source: utm("source"), medium: utm("medium"), campaign: utm("campaign"), content: utm("content"), term: utm("term") }
      : null,
  };
}

const KNOWN_SOURCES: Record<string, string> = {
  "instagram.com": "Instagram",
  "tiktok.com": "TikTok",
  "youtube.com": "YouTube",
  "facebook.com": "Facebook",
  "google.com": "Google",
  "bing.com": "Bing",
  "duckduckgo.com": "DuckDuckGo",
};

function sourceName(hostname: string): string {
  const domain = hostname.split(".").slice(-2).join(".");
  return KNOWN_SOURCES[domain] ?? domain;
}

function marketingTactic(medium: string | null, referrerHost: string | null): string | null {
  if (medium && ["influencer", "affiliate", "creator"].includes(medium)) return "AFFILIATE";
  if (medium === "email") return "NEWSLETTER";
  if (!medium && referrerHost && /(^|\.)(google|bing|duckduckgo)\.com$/.test(referrerHost)) return "SEO";
  return null;
}

function absoluteUrl(path: string, shop: ShopProfile): string {
  return new URL(path, `https://${shop.domain}`).toString();
}

// --- search -------------------------------------------------------------------------------------------------------

export interface OrderSearchTerm {
  field: "updated_at" | "created_at" | "processed_at" | "id";
  comparator: ">" | ">=" | "<" | "<=" | "=";
  /** Epoch milliseconds for dates, the numeric id for id. */
  value: number;
}

const SEARCH_TERM = /(\w+):(>=|<=|>|<|=)?('[^']*'|"[^"]*"|\S+)/g;

/**
 * The subset of Shopify's order search syntax the simulator filters on: updated_at, created_at, processed_at and
 * id with a comparator, e.g. `updated_at:>='2026-01-01T00:00:00Z'`. Other terms are ignored (not rejected).
 */
export function parseOrderSearch(query: string | null | undefined): OrderSearchTerm[] {
  const terms: OrderSearchTerm[] = [];
  for (const match of (query ?? "").matchAll(SEARCH_TERM)) {
    const field = match[1]!.toLowerCase();
    const comparator = (match[2] ?? "=") as OrderSearchTerm["comparator"];
    const raw = match[3]!.replace(/^(['"])(.*)\1$/, "$2");
    if (field === "id") {
      const id = Number(raw.replace(/^gid:\/\/shopify\/Order\//, ""));
      if (Number.isSafeInteger(id)) terms.push({ field, comparator, value: id });
    } else if (field === "updated_at" || field === "created_at" || field === "processed_at") {
      const time = Date.parse(raw);
      if (!Number.isNaN(time)) terms.push({ field, comparator, value: time });
    }
  }
  return terms;
}

export function matchesOrderSearch(order: SimOrder, terms: readonly OrderSearchTerm[]): boolean {
  return terms.every((term) => {
    const actual =
      term.field === "id" ? order.id : term.field === "updated_at" ? order.updatedAt.getTime() : order.createdAt.getTime();
    switch (term.comparator) {
      case ">":
        return actual > term.value;
      case ">=":
        return actual >= term.value;
      case "<":
        return actual < term.value;
      case "<=":
        return actual <= term.value;
      case "=":
        return actual === term.value;
    }
  });
}

/** An order's place in the order list for a sort key (unsupported keys sort by id). */
export function orderSortPosition(order: SimOrder, sortKey: string | null | undefined): [number, number] {
  switch (sortKey) {
    case "UPDATED_AT":
      return [order.updatedAt.getTime(), order.id];
    case "CREATED_AT":
    case "PROCESSED_AT":
      return [order.createdAt.getTime(), order.id];
    case "ORDER_NUMBER":
      return [order.number, order.id];
    default:
      return [order.id, order.id];
  }
}
