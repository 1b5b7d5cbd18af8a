// What the chaos run delivers: a seeded store history (orders with creators' codes, paid events, codes removed,
// partial refunds, cancellations) in Shopify's 2026-07 webhook format, from the store simulator's order generator,
// turned into a delivery stream with Shopify's delivery faults: the same event delivered again, events of one order
// arriving out of order, and forged requests (tampered bodies, wrong keys) that must be refused. Pure: no I/O.
import { Faker, base, en } from "@faker-js/faker";
import { OrderGenerator, type SimOrder, type StoreEvent } from "../simulator/orders";
import { webhookHeaders, webhookHmac } from "../simulator/signing";

export const CHAOS_API_VERSION = "2026-07";

/** A creator and the one simple contract the chaos oracle recomputes by hand. */
export interface ChaosCreator {
  name: string;
  handle: string;
  code: string;
  contract:
    | { model: "REVENUE_SHARE"; basisPoints: bigint; capPerPeriodMinor: bigint | null }
    | { model: "CPA"; amountMinor: bigint };
}

export const CHAOS_CREATORS: readonly ChaosCreator[] = [
  { name: "Ava Stone", handle: "ava-stone", code: "AVA10", contract: { model: "REVENUE_SHARE", basisPoints: 1_000n, capPerPeriodMinor: null } },
  // 12.5% capped at $80 a month: the cap is settled per pay period, by the commissions queue.
  { name: "Ben Ortiz", handle: "ben-ortiz", code: "BEN15", contract: { model: "REVENUE_SHARE", basisPoints: 1_250n, capPerPeriodMinor: 8_000n } },
  { name: "Cleo Park", handle: "cleo-park", code: "CLEO20", contract: { model: "CPA", amountMinor: 500n } },
];

export interface ChaosShop {
  domain: string;
  name: string;
  currencyCode: string;
  timezone: string;
}

/** One store event, as Shopify would send it: its event id is fixed for every delivery of it. */
export interface ChaosEvent {
  eventId: string;
  topic: StoreEvent["topic"];
  orderId: number;
  occurredAt: Date;
  body: string;
}

export type DeliveryKind = "original" | "duplicate" | "forged";

/** One POST the run makes. Forged ones carry a bad signature and are sent once; the others retry like Shopify. */
export interface PlannedDelivery {
  kind: DeliveryKind;
  event: ChaosEvent;
  /** For forged deliveries: the exact headers and body sent. */
  forged?: { headers: Record<string, string>; body: string; why: "tampered body" | "wrong secret" };
}

export interface ChaosScenario {
  orders: SimOrder[];
  events: ChaosEvent[];
  deliveries: PlannedDelivery[];
  counts: { events: number; deliveries: number; duplicates: number; reordered: number; forged: number };
}

export interface ScenarioOptions {
  shop: ChaosShop;
  secret: string;
  orders: number;
  seed: number;
  now?: Date;
  /** Days of history the orders are spread over (crossing a month boundary exercises two pay periods). */
  historyDays?: number;
}

/**
 * Builds the store's history and the stream that delivers it. Orders are spread evenly over the history so that no
 * code is used often enough in an hour to look like a burst (which would hold its commission for review).
 */
export function buildScenario(options: ScenarioOptions): ChaosScenario {
  const now = options.now ?? new Date();
  const historyMs = (options.historyDays ?? 30) * 86_400_000;
  const generator = new OrderGenerator({
    shop: { domain: options.shop.domain, name: options.shop.name, currency: options.shop.currencyCode, timezone: options.shop.timezone },
    seed: options.seed,
    houseCodeRate: 0.2,
  });
  // A faker of its own for the stream: the generator's sequence stays what its seed makes it.
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed + 1);
  const spacing = historyMs / (options.orders + 1);
  // Follow-ups happen within a few hours of the order, before the next order: the stream is chronological.
  const minutes = (order: SimOrder, n: number) => new Date(order.createdAt.getTime() + n * 60_000);

  const storeEvents: StoreEvent[] = [];
  for (let i = 0; i < options.orders; i++) {
    const placedAt = new Date(now.getTime() - historyMs + (i + 1) * spacing);
    const creator = faker.helpers.arrayElement([...CHAOS_CREATORS, null]);
    const { order, events } = generator.placeOrder({
      placedAt,
      code: creator?.code ?? null,
      varyCodeSpelling: true,
      allowHouseCode: true,
      // Only the code names the creator: no UTMs, referrer or cart attributes that the oracle would have to weigh.
      traffic: { landingSite: "/", referringSite: null, noteAttributes: [], firstVisit: null, attribution: null },
    });
    storeEvents.push(...events);
    if (faker.datatype.boolean(0.2)) storeEvents.push(...generator.markPaid(order));
    if (order.discount && faker.datatype.boolean(0.12)) storeEvents.push(...generator.removeDiscountCode(order, minutes(order, 10)));
    const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
    if (units >= 2 && faker.datatype.boolean(0.3)) storeEvents.push(...generator.refundPartially(order, minutes(order, 60)));
    if (faker.datatype.boolean(0.15)) storeEvents.push(...generator.cancel(order, minutes(order, 120)));
  }

  const events: ChaosEvent[] = storeEvents.map((event) => ({
    eventId: randomUUIDFrom(faker),
    topic: event.topic,
    orderId: event.orderId,
    occurredAt: event.occurredAt,
    body: JSON.stringify(event.payload),
  }));

  // Reordering: each event may swap with one up to five places later, so an order's refund or cancellation can
  // arrive before its creation.
  const stream = [...events];
  for (let i = 0; i < stream.length - 1; i++) {
    if (!faker.datatype.boolean(0.35)) continue;
    const j = Math.min(stream.length - 1, i + faker.number.int({ min: 1, max: 5 }));
    [stream[i], stream[j]] = [stream[j]!, stream[i]!];
  }

  const deliveries: PlannedDelivery[] = stream.map((event) => ({ kind: "original", event }));
  // Duplicates: the same event id again, a little or a lot later (a fifth of events; some of them three times).
  for (const event of events) {
    const copies = faker.datatype.boolean(0.2) ? (faker.datatype.boolean(0.25) ? 2 : 1) : 0;
    for (let copy = 0; copy < copies; copy++) insertAfter(deliveries, event, faker.number.int({ min: 0, max: 30 }), { kind: "duplicate", event });
  }
  // Forgeries, before the genuine delivery when they reuse its event id: a stored forgery would shadow the real event.
  let forged = 0;
  for (const event of events) {
    if (!faker.datatype.boolean(0.06)) continue;
    forged += 1;
    const tampered = faker.datatype.boolean(0.5);
    const eventId = tampered ? event.eventId : randomUUIDFrom(faker);
    const body = tampered ? tamper(event.body) : event.body;
    // A tampered body keeps the genuine signature (of the genuine body); the other is signed with the wrong key.
    const hmac = tampered ? webhookHmac(event.body, options.secret) : webhookHmac(event.body, `${options.secret}-wrong`);
    const headers = webhookHeaders({
      topic: event.topic,
      shopDomain: options.shop.domain,
      apiVersion: CHAOS_API_VERSION,
      webhookId: randomUUIDFrom(faker),
      eventId,
      triggeredAt: event.occurredAt,
      hmac,
    });
    const position = deliveries.findIndex((delivery) => delivery.event === event);
    deliveries.splice(Math.max(0, position - faker.number.int({ min: 0, max: 3 })), 0, {
      kind: "forged",
      event: { ...event, eventId },
      forged: { headers, body, why: tampered ? "tampered body" : "wrong secret" },
    });
  }

  return {
    orders: [...generator.orders.values()],
    events,
    deliveries,
    counts: {
      events: events.length,
      deliveries: deliveries.length,
      duplicates: deliveries.filter((delivery) => delivery.kind === "duplicate").length,
      reordered: countReordered(deliveries),
      forged,
    },
  };
}

/** Event ids from the seeded faker, so that one seed is one run; Shopify's are UUIDs too. */
function randomUUIDFrom(faker: Faker): string {
  return faker.string.uuid();
}

function insertAfter(deliveries: PlannedDelivery[], event: ChaosEvent, gap: number, delivery: PlannedDelivery): void {
  const position = deliveries.findIndex((candidate) => candidate.event === event && candidate.kind === "original");
  deliveries.splice(Math.min(deliveries.length, position + 1 + gap), 0, delivery);
}

/** The body's money multiplied by ten: what a forger would want a webhook to say. */
function tamper(body: string): string {
  const changed = body.replace(/"current_subtotal_price":"(\d+)\.(\d\d)"/, (_match, units: string, cents: string) => `"current_subtotal_price":"${units}0.${cents}"`);
  return changed === body ? body.replace(/}$/, ',"note":"forged"}') : changed;
}

/** Events delivered (first time) before an earlier event of the same order was. */
function countReordered(deliveries: readonly PlannedDelivery[]): number {
  const latestSeen = new Map<number, number>();
  let reordered = 0;
  for (const { kind, event } of deliveries) {
    if (kind !== "original") continue;
    const seen = latestSeen.get(event.orderId);
    if (seen !== undefined && event.occurredAt.getTime() < seen) reordered += 1;
    latestSeen.set(event.orderId, Math.max(seen ?? 0, event.occurredAt.getTime()));
  }
  return reordered;
}
