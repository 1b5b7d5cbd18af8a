// A local Shopify store: it takes orders (generated), lives through their follow-ups, and delivers every event to
// the app as a signed webhook.
import { WebhookDeliverer, type Delivery, type DeliveryOptions, type RetrySchedule } from "./delivery";
import { API_VERSION, OrderGenerator, type ShopProfile, type SimOrder, type StoreEvent } from "./orders";

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
}

export type FollowUpKind = "paid" | "remove-code" | "refund" | "cancel";

export interface PlaceOrdersRequest {
  /** A creator's code for every order; or `codes` + `codeShare` for a mix. */
  code?: string | null;
  codes?: readonly string[];
  /** Share of orders (0–1) that use one of `codes`. */
  codeShare?: number;
  count?: number;
  /** Spell codes as shoppers do (random case, stray spaces). Default: on for `codes`, off for `code`. */
  varyCodeSpelling?: boolean;
  placedAt?: Date;
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
}

export interface ReplayOptions {
  orders: number;
  codes: readonly string[];
  codeShare?: number;
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

  deliver(events: readonly StoreEvent[]): Delivery[] {
    return events.map((event) =>
      this.deliverer.enqueue({ topic: event.topic, payload: event.payload, subject: event.orderName, triggeredAt: event.occurredAt }),
    );
  }

  /** Places orders (each delivered as orders/create) and returns them with their deliveries. */
  placeOrders(request: PlaceOrdersRequest = {}): { orders: SimOrder[]; deliveries: Delivery[] } {
    const count = Math.max(1, Math.floor(request.count ?? 1));
    const orders: SimOrder[] = [];
    const deliveries: Delivery[] = [];
    for (let i = 0; i < count; i++) {
      let code: string | null = request.code ?? null;
      let vary = request.varyCodeSpelling ?? false;
      if (!code && request.codes?.length) {
        const share = request.codeShare ?? 1;
        if (this.generator.faker.datatype.boolean(share)) code = this.generator.faker.helpers.arrayElement(request.codes);
        vary = request.varyCodeSpelling ?? true;
      }
      const { order, events } = this.generator.placeOrder({
        code,
        varyCodeSpelling: vary,
        // An explicit creator code means the test wants exactly that attribution: no store-wide code instead.
        allowHouseCode: !request.code,
        placedAt: request.placedAt,
      });
      orders.push(order);
      deliveries.push(...this.deliver(events));
    }
    return { orders, deliveries };
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
