// Webhook delivery the way Shopify does it: signed, at least once, a few seconds to answer, retried with
// exponential backoff on anything but a 2xx, and logged.
import { randomUUID } from "node:crypto";
import { webhookHeaders, webhookHmac } from "./signing";

export interface RetrySchedule {
  /** Retries after the first attempt (Shopify: 8). */
  retries: number;
  /** Wait before the first retry; each later wait is `factor` times the previous. */
  initialDelayMs: number;
  factor: number;
  maxDelayMs?: number;
}

/** Shopify's own schedule: 8 retries spread over about 4 hours. */
export const SHOPIFY_RETRY_SCHEDULE: RetrySchedule = { retries: 8, initialDelayMs: 60_000, factor: 2 };
/** The same shape compressed for local runs: 8 retries, 0.5 s → 64 s (about 2 minutes in all). */
export const COMPRESSED_RETRY_SCHEDULE: RetrySchedule = { retries: 8, initialDelayMs: 500, factor: 2 };

export function retryDelays(schedule: RetrySchedule): number[] {
  return Array.from({ length: schedule.retries }, (_, i) =>
    Math.min(schedule.initialDelayMs * schedule.factor ** i, schedule.maxDelayMs ?? Number.POSITIVE_INFINITY),
  );
}

/** Where each topic is subscribed in the app (shopify.app.toml). */
export function defaultPathForTopic(topic: string): string {
  if (topic === "app/uninstalled") return "/webhooks/app/uninstalled";
  if (topic === "customers/data_request" || topic === "customers/redact" || topic === "shop/redact") return "/webhooks/compliance";
  return "/webhooks";
}

export interface DeliveryOptions {
  /** The app's origin, e.g. http://localhost:3000. */
  appUrl: string;
  secret: string;
  shopDomain: string;
  apiVersion?: string;
  concurrency?: number;
  timeoutMs?: number;
  retry?: RetrySchedule;
  pathForTopic?: (topic: string) => string;
  fetch?: typeof fetch;
  /** Called whenever a delivery changes state (for progress bars). */
  onChange?: (delivery: Delivery) => void;
}

export interface Attempt {
  number: number;
  startedAt: string;
  durationMs: number;
  status: number | null;
  error: string | null;
}

export type DeliveryState = "queued" | "sending" | "retrying" | "delivered" | "failed";

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shopDomain: string;
  /** What the event is about, e.g. the order name "#1001". */
  subject: string;
  url: string;
  triggeredAt: string;
  state: DeliveryState;
  attempts: Attempt[];
  nextAttemptAt: string | null;
}

export interface DeliveryRequest {
  topic: string;
  payload: unknown;
  subject?: string;
  triggeredAt?: Date;
  /** Reuse an event id to simulate Shopify sending the same event again (it is the receiver's dedupe key). */
  eventId?: string;
}

export interface DeliverySummary {
  total: number;
  queued: number;
  sending: number;
  retrying: number;
  delivered: number;
  failed: number;
  attempts: number;
  byTopic: Record<string, { delivered: number; failed: number; pending: number }>;
  statuses: Record<string, number>;
}

export class WebhookDeliverer {
  readonly log: Delivery[] = [];
  private readonly options: Required<Omit<DeliveryOptions, "onChange" | "fetch">> & Pick<DeliveryOptions, "onChange">;
  private readonly fetchImpl: typeof fetch;
  private readonly delays: number[];
  private readonly waiting: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private unsettled = 0;
  private closed = false;

  constructor(options: DeliveryOptions) {
    this.options = {
      apiVersion: "2026-07",
      concurrency: 8,
      timeoutMs: 5_000,
      retry: COMPRESSED_RETRY_SCHEDULE,
      pathForTopic: defaultPathForTopic,
      onChange: undefined,
      // Options passed as `undefined` keep their defaults.
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
      appUrl: options.appUrl.replace(/\/+$/, ""),
    } as typeof this.options;
    this.fetchImpl = options.fetch ?? fetch;
    this.delays = retryDelays(this.options.retry);
  }

  /** Queues one event for delivery; the returned record is updated in place as attempts happen. */
  enqueue(request: DeliveryRequest): Delivery {
    if (this.closed) throw new Error("The deliverer is closed");
    const body = JSON.stringify(request.payload);
    const triggeredAt = request.triggeredAt ?? new Date();
    const delivery: Delivery = {
      webhookId: randomUUID(),
      eventId: request.eventId ?? randomUUID(),
      topic: request.topic,
      shopDomain: this.options.shopDomain,
      subject: request.subject ?? "",
      url: `${this.options.appUrl}${this.options.pathForTopic(request.topic)}`,
      triggeredAt: triggeredAt.toISOString(),
      state: "queued",
      attempts: [],
      nextAttemptAt: null,
    };
    const headers = webhookHeaders({
      topic: delivery.topic,
      shopDomain: delivery.shopDomain,
      apiVersion: this.options.apiVersion,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      triggeredAt,
      hmac: webhookHmac(body, this.options.secret),
    });
    this.log.push(delivery);
    this.unsettled++;
    this.notify(delivery);
    void this.attempt(delivery, body, headers);
    return delivery;
  }

  /** Resolves once every queued delivery has succeeded or used up its retries. */
  idle(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once each of the given deliveries has settled. */
  async settled(deliveries: readonly Delivery[], pollMs = 25): Promise<Delivery[]> {
    while (deliveries.some((d) => d.state !== "delivered" && d.state !== "failed")) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return [...deliveries];
  }

  summary(): DeliverySummary {
    const summary: DeliverySummary = {
      total: this.log.length,
      queued: 0,
      sending: 0,
      retrying: 0,
      delivered: 0,
      failed: 0,
      attempts: 0,
      byTopic: {},
      statuses: {},
    };
    for (const delivery of this.log) {
      summary[delivery.state]++;
      summary.attempts += delivery.attempts.length;
      const topic = (summary.byTopic[delivery.topic] ??= { delivered: 0, failed: 0, pending: 0 });
      if (delivery.state === "delivered") topic.delivered++;
      else if (delivery.state === "failed") topic.failed++;
      else topic.pending++;
      for (const attempt of delivery.attempts) {
        const key = attempt.status === null ? "network-error" : String(attempt.status);
        summary.statuses[key] = (summary.statuses[key] ?? 0) + 1;
      }
    }
    return summary;
  }

  /** Stops pending retries (their deliveries are marked failed). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const delivery of this.log) {
      if (delivery.state === "retrying" || delivery.state === "queued") {
        delivery.state = "failed";
        delivery.nextAttemptAt = null;
        this.settle(delivery);
      }
    }
  }

  private async attempt(delivery: Delivery, body: string, headers: Record<string, string>): Promise<void> {
    await this.acquire();
    if (this.closed && delivery.state === "failed") return this.release();
    delivery.state = "sending";
    delivery.nextAttemptAt = null;
    this.notify(delivery);
    const started = Date.now();
    const attempt: Attempt = { number: delivery.attempts.length + 1, startedAt: new Date(started).toISOString(), durationMs: 0, status: null, error: null };
    try {
      const response = await this.fetchImpl(delivery.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: "manual",
      });
      attempt.status = response.status;
      // Shopify reads no response body; drain it so the connection is reused.
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      attempt.error = describeError(error, this.options.timeoutMs);
    } finally {
      attempt.durationMs = Date.now() - started;
      delivery.attempts.push(attempt);
      this.release();
    }

    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      delivery.state = "delivered";
      this.settle(delivery);
      return;
    }
    const delay = this.delays[delivery.attempts.length - 1];
    if (delay === undefined || this.closed) {
      delivery.state = "failed";
      this.settle(delivery);
      return;
    }
    delivery.state = "retrying";
    delivery.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    this.notify(delivery);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, body, headers);
    }, delay);
    this.timers.add(timer);
  }

  private settle(delivery: Delivery): void {
    this.notify(delivery);
    this.unsettled--;
    if (this.unsettled === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private notify(delivery: Delivery): void {
    try {
      this.options.onChange?.(delivery);
    } catch {
      // A progress listener must never break delivery.
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `No response within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : cause?.message ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
