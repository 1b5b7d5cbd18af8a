// A local Shopify store: it takes orders (generated), lives through their follow-ups, keeps its code discounts,
// and delivers every event the app subscribes to as a signed webhook.
import { appConfig } from "./app-config";
import { productGid, type Catalog, type CollectionEvent, type SimCollection } from "./catalog";
import { WebhookDeliverer, type Delivery, type DeliveryOptions, type RetrySchedule } from "./delivery";
import { DiscountStore, type CodeDiscount, type DiscountEvent, type NewCodeDiscount } from "./discounts";
import { formatAmount } from "./money";
import { API_VERSION, OrderGenerator, type ShopProfile, type SimOrder, type StoreEvent } from "./orders";
import {
  ATTRIBUTION_SIGNALS,
  UnusableSignalsError,
  creatorTraffic,
  organicTraffic,
  signalsAvailableTo,
  type AttributionSignal,
  type ClickIdProvider,
  type CreatorSignals,
  type OrderTraffic,
} from "./traffic";

export interface StoreSimulatorOptions {
  /** The app's origin (where webhooks go), e.g. http://localhost:3000. */
  appUrl: string;
  /** The app's API secret (SHOPIFY_API_SECRET): webhooks are signed with it. */
  secret: string;
  shop?: Partial<ShopProfile> & { domain: string };
  seed?: number;
  firstOrderNumber?: number;
  concurrency?: number;
  timeoutMs?: number;
  retry?: RetrySchedule;
  fetch?: typeof fetch;
  onDelivery?: DeliveryOptions["onChange"];
  /** Code discounts the shop has before the app arrives (codes used by generated orders are added as needed). */
  discounts?: readonly NewCodeDiscount[];
  /**
   * The webhook topics the app subscribes to; events of other topics are not delivered, as with Shopify.
   * Default: the subscriptions in shopify.app.toml.
   */
  subscribedTopics?: readonly string[];
}

/** Any other event the shop sends a webhook for (e.g. bulk_operations/finish). */
export interface ShopEvent {
  topic: string;
  payload: Record<string, unknown>;
  /** What the event is about, for the delivery log (e.g. a gid). */
  subject: string;
  occurredAt: Date;
}

export type FollowUpKind = "paid" | "remove-code" | "refund" | "cancel";

export interface PlaceOrdersRequest {
  /** A creator's code for every order; or `codes` + `codeShare` for a mix. */
  code?: string | null;
  codes?: readonly string[];
  /** Share of orders (0–1) that use one of `codes`. */
  codeShare?: number;
  count?: number;
  /** Spell codes as shoppers do (random case, stray spaces). Default: on for `codes` and `creators`, off for `code`. */
  varyCodeSpelling?: boolean;
  placedAt?: Date;
  /** Ship every order to this region (ISO 3166-2, one of SHIPPING_REGIONS); default: the customer's own address. */
  shipTo?: string;
  /**
   * Creators whose audiences buy. Each order is credited to one of them (share `creatorShare`) through one signal
   * drawn from `signals`; the rest are organic. Takes the place of code/codes.
   */
  creators?: readonly CreatorSignals[];
  /** Share of orders (0–1) credited to a creator when `creators` is given (default 0.7). */
  creatorShare?: number;
  /** The signals creator-credited orders may carry (default: every signal each creator can produce). */
  signals?: readonly AttributionSignal[];
  /** The click id an order from a tracking link carries (default: one of the creator's clickIds, if any). */
  clickId?: ClickIdProvider;
  /** The products every order buys, one line each (numeric ids or gids); default: one to four of the catalog's. */
  products?: readonly (string | number)[];
}

export interface OrderSummary {
  id: number;
  gid: string;
  name: string;
  confirmationNumber: string;
  code: string | null;
  codeAsTyped: string | null;
  currency: string;
  subtotal: string;
  currentSubtotal: string;
  cancelled: boolean;
  createdAt: string;
  landingSite: string | null;
  referringSite: string | null;
  /** The creator the order was generated for and the signal it carries (null: organic, or placed with code/codes). */
  attribution: SimOrder["attribution"];
  /** Each line's product and what it sells for now: price × quantity, less its discount and refunds. */
  lines: { productGid: string; title: string; quantity: number; net: string }[];
}

export interface ReplayOptions {
  orders: number;
  codes?: readonly string[];
  codeShare?: number;
  /** Creators and their signals, as in PlaceOrdersRequest (takes the place of codes). */
  creators?: readonly CreatorSignals[];
  creatorShare?: number;
  signals?: readonly AttributionSignal[];
  clickId?: ClickIdProvider;
  /** Orders are spread over this many days before now. */
  days?: number;
  paidShare?: number;
  refundShare?: number;
  cancelShare?: number;
  removeCodeShare?: number;
  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  ordersPlaced: number;
  ordersTotal: number;
  events: number;
  delivered: number;
  failed: number;
  done: boolean;
}

export class StoreSimulator {
  readonly generator: OrderGenerator;
  readonly deliverer: WebhookDeliverer;
  readonly shop: ShopProfile;
  readonly appUrl: string;
  readonly discounts: DiscountStore;
  private readonly subscribedTopics: ReadonlySet<string>;

  constructor(options: StoreSimulatorOptions) {
    this.shop = {
      name: "Demo Creator Store",
      currency: "USD",
      timezone: "America/New_York",
      ...options.shop,
      domain: options.shop?.domain ?? "demo-creator-store.myshopify.com",
    };
    this.appUrl = options.appUrl;
    this.generator = new OrderGenerator({ shop: this.shop, seed: options.seed, firstOrderNumber: options.firstOrderNumber });
    this.discounts = new DiscountStore(this.shop.timezone);
    for (const discount of options.discounts ?? []) this.discounts.create(discount);
    this.subscribedTopics = new Set(options.subscribedTopics ?? appConfig().subscribedTopics);
    this.deliverer = new WebhookDeliverer({
      appUrl: options.appUrl,
      secret: options.secret,
      shopDomain: this.shop.domain,
      apiVersion: API_VERSION,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      fetch: options.fetch,
      onChange: options.onDelivery,
    });
  }

  /** Whether the app subscribes to the topic (only those are delivered). */
  subscribes(topic: string): boolean {
    return this.subscribedTopics.has(topic);
  }

  /** Delivers the events whose topics the app subscribes to. */
  deliver(events: readonly (StoreEvent | DiscountEvent | CollectionEvent | ShopEvent)[]): Delivery[] {
    return events
      .filter((event) => this.subscribes(event.topic))
      .map((event) =>
        this.deliverer.enqueue({
          topic: event.topic,
          payload: event.payload,
          subject: "orderName" in event ? event.orderName : event.subject,
          triggeredAt: event.occurredAt,
        }),
      );
  }

  /** Places orders (each delivered as orders/create) and returns them with their deliveries. */
  placeOrders(request: PlaceOrdersRequest = {}): { orders: SimOrder[]; deliveries: Delivery[] } {
    const count = Math.max(1, Math.floor(request.count ?? 1));
    const orders: SimOrder[] = [];
    const deliveries: Delivery[] = [];
    const f = this.generator.faker;
    for (let i = 0; i < count; i++) {
      let code: string | null = request.code ?? null;
      let vary = request.varyCodeSpelling ?? false;
      let traffic: OrderTraffic | undefined;
      if (request.creators?.length) {
        traffic = this.trafficFor(request, request.placedAt ?? new Date());
        code = traffic.code;
        vary = request.varyCodeSpelling ?? true;
      } else if (!code && request.codes?.length) {
        const share = request.codeShare ?? 1;
        if (f.datatype.boolean(share)) code = f.helpers.arrayElement(request.codes);
        vary = request.varyCodeSpelling ?? true;
      }
      const existing = code ? this.discounts.byCode(code) : undefined;
      const { order, events } = this.generator.placeOrder({
        code,
        varyCodeSpelling: vary,
        codeTerms: existing?.terms,
        // An explicit creator code means the test wants exactly that attribution: no store-wide code instead.
        allowHouseCode: !request.code,
        traffic,
        placedAt: request.placedAt,
        shipTo: request.shipTo,
        productIds: request.products,
      });
      this.recordRedemption(order);
      orders.push(order);
      deliveries.push(...this.deliver(events));
    }
    return { orders, deliveries };
  }

  private trafficFor(request: PlaceOrdersRequest, placedAt: Date): OrderTraffic {
    const f = this.generator.faker;
    const context = { faker: f, shopDomain: this.shop.domain, placedAt, productPath: () => this.generator.productPath() };
    if (!f.datatype.boolean(request.creatorShare ?? 0.7)) return organicTraffic(context);
    // Only creators who can carry one of the allowed signals are picked (no code: no code orders for them).
    const allowed = request.signals ?? ATTRIBUTION_SIGNALS;
    const eligible = request.creators!.filter((c) => signalsAvailableTo(c).some((signal) => allowed.includes(signal)));
    if (eligible.length === 0) throw new UnusableSignalsError(`No creator can carry any of the signals ${allowed.join(", ")}`);
    const creator = f.helpers.arrayElement(eligible);
    const clickId = request.clickId ?? ((c: CreatorSignals) => (c.clickIds?.length ? f.helpers.arrayElement(c.clickIds) : null));
    return creatorTraffic(context, creator, request.signals, clickId);
  }

  /** A code only redeems a discount the shop has: one the shop lacked is taken to have been made before the order. */
  private recordRedemption(order: SimOrder): void {
    if (!order.discount) return;
    const monthBefore = new Date(order.createdAt.getTime() - 30 * 86_400_000);
    const discount =
      this.discounts.byCode(order.discount.code) ??
      this.discounts.create({ code: order.discount.code.trim(), terms: { type: order.discount.type, value: order.discount.value }, createdAt: monthBefore });
    discount.usageCount++;
  }

  /** A discount by numeric id, gid or code. */
  findDiscount(idOrCode: string): CodeDiscount | undefined {
    return this.discounts.byId(idOrCode) ?? this.discounts.byCode(idOrCode);
  }

  /** The merchant renames the discount's code in the admin: discounts/redeemcode_removed, _added and /update. */
  renameDiscount(discount: CodeDiscount, newCode: string, at?: Date): { events: DiscountEvent[]; deliveries: Delivery[] } {
    const events = this.discounts.rename(discount, newCode, at);
    return { events, deliveries: this.deliver(events) };
  }

  /** The merchant deletes the discount in the admin: discounts/delete. */
  deleteDiscount(discount: CodeDiscount, at?: Date): { events: DiscountEvent[]; deliveries: Delivery[] } {
    const events = this.discounts.delete(discount, at);
    return { events, deliveries: this.deliver(events) };
  }

  /** The shop's products and collections. */
  get catalog(): Catalog {
    return this.generator.catalog;
  }

  /** The merchant creates a manual collection in the admin (collections/create, if the app subscribes to it). */
  createCollection(title: string, productIds: readonly (string | number)[] = [], at?: Date): { collection: SimCollection; deliveries: Delivery[] } {
    const { collection, events } = this.catalog.createCollection({ title, productIds, at });
    return { collection, deliveries: this.deliver(events) };
  }

  /** The merchant adds and removes products of a collection in one go: one collections/update. */
  changeCollection(
    collection: SimCollection,
    change: { add?: readonly (string | number)[]; remove?: readonly (string | number)[] },
    at?: Date,
  ): { events: CollectionEvent[]; deliveries: Delivery[] } {
    const events = this.catalog.changeCollection(collection, change, at);
    return { events, deliveries: this.deliver(events) };
  }

  /** The merchant deletes the collection: collections/delete. */
  deleteCollection(collection: SimCollection, at?: Date): { events: CollectionEvent[]; deliveries: Delivery[] } {
    const events = this.catalog.deleteCollection(collection, at);
    return { events, deliveries: this.deliver(events) };
  }

  /** What can happen to an order next. */
  possibleFollowUps(order: SimOrder): FollowUpKind[] {
    if (order.cancelledAt) return [];
    const kinds: FollowUpKind[] = ["paid", "cancel"];
    if (order.discount && order.refunds.length === 0) kinds.push("remove-code");
    const units = order.lines.reduce((sum, line) => sum + line.quantity - line.refundedQuantity, 0);
    if (units >= 2) kinds.push("refund");
    return kinds;
  }

  followUp(order: SimOrder, kind: FollowUpKind, at?: Date): { events: StoreEvent[]; deliveries: Delivery[] } {
    const g = this.generator;
    const events =
      kind === "paid"
        ? g.markPaid(order)
        : kind === "remove-code"
          ? g.removeDiscountCode(order, at)
          : kind === "refund"
            ? g.refundPartially(order, at)
            : g.cancel(order, at);
    return { events, deliveries: this.deliver(events) };
  }

  findOrder(idOrName: string | number): SimOrder | undefined {
    const key = String(idOrName).replace(/^gid:\/\/shopify\/Order\//, "");
    for (const order of this.generator.orders.values()) {
      if (String(order.id) === key || order.name === key || order.name === `#${key}`) return order;
    }
    return undefined;
  }

  summarize(order: SimOrder): OrderSummary {
    const payload = this.generator.orderPayload(order) as {
      subtotal_price: string;
      current_subtotal_price: string;
    };
    return {
      id: order.id,
      gid: `gid://shopify/Order/${order.id}`,
      name: order.name,
      confirmationNumber: order.confirmationNumber,
      code: order.creatorCode,
      codeAsTyped: order.discount?.code ?? null,
      currency: this.shop.currency,
      subtotal: payload.subtotal_price,
      currentSubtotal: payload.current_subtotal_price,
      cancelled: order.cancelledAt !== null,
      createdAt: order.createdAt.toISOString(),
      landingSite: order.landingSite,
      referringSite: order.referringSite,
      attribution: order.attribution,
      lines: order.lines.map((line) => ({
        productGid: productGid({ id: line.productId }),
        title: line.title,
        quantity: line.quantity - line.refundedQuantity,
        net: formatAmount(line.priceMinor * line.quantity - line.discountMinor - line.refundedSubtotalMinor, this.shop.currency),
      })),
    };
  }

  /**
   * A few weeks of store history in one go: orders spread over `days`, some with creator codes, then the
   * follow-ups a real store sees (payment captures, partial refunds, cancellations, a code edited off).
   */
  async replay(options: ReplayOptions): Promise<ReplayProgress> {
    const f = this.generator.faker;
    const days = options.days ?? 30;
    const now = Date.now();
    const start = now - days * 86_400_000;
    const times = Array.from({ length: options.orders }, () => f.number.int({ min: start, max: now - 3_600_000 })).sort((a, b) => a - b);
    const progress: ReplayProgress = { ordersPlaced: 0, ordersTotal: options.orders, events: 0, delivered: 0, failed: 0, done: false };
    const deliveries: Delivery[] = [];
    const report = () => {
      progress.delivered = deliveries.filter((d) => d.state === "delivered").length;
      progress.failed = deliveries.filter((d) => d.state === "failed").length;
      progress.events = deliveries.length;
      options.onProgress?.({ ...progress });
    };
    const ticker = setInterval(report, 200);
    try {
      for (const time of times) {
        const { orders, deliveries: placed } = this.placeOrders({
          codes: options.codes,
          codeShare: options.codeShare ?? 0.45,
          creators: options.creators,
          creatorShare: options.creatorShare,
          signals: options.signals,
          clickId: options.clickId,
          placedAt: new Date(time),
        });
        deliveries.push(...placed);
        const order = orders[0]!;
        const followUps = this.possibleFollowUps(order);
        const roll = (share: number | undefined, fallback: number) => f.datatype.boolean(share ?? fallback);
        const later = (maxHours: number) => new Date(Math.min(now, time + f.number.int({ min: 60, max: maxHours * 3600 }) * 1000));
        if (roll(options.paidShare, 0.3)) deliveries.push(...this.followUp(order, "paid").deliveries);
        if (followUps.includes("remove-code") && roll(options.removeCodeShare, 0.04)) {
          deliveries.push(...this.followUp(order, "remove-code", later(12)).deliveries);
        }
        if (this.possibleFollowUps(order).includes("refund") && roll(options.refundShare, 0.08)) {
          deliveries.push(...this.followUp(order, "refund", later(96)).deliveries);
        }
        if (roll(options.cancelShare, 0.05)) deliveries.push(...this.followUp(order, "cancel", later(120)).deliveries);
        progress.ordersPlaced++;
        // Let deliveries start while orders are still being generated, like a live store.
        if (progress.ordersPlaced % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await this.deliverer.settled(deliveries);
    } finally {
      clearInterval(ticker);
    }
    progress.done = true;
    report();
    return progress;
  }

  close(): void {
    this.deliverer.close();
  }
}
