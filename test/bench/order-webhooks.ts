// Signed orders/create deliveries as Shopify sends them, made fast enough that the load generator is not the
// bottleneck: Shopify's sample order (test/helpers/shopify-samples.ts) is serialised once with marker values, and each
// delivery only splices in its order id, customer, discount code and time, then signs the bytes (HMAC-SHA256).
import { randomUUID } from "node:crypto";
import { sampleOrder } from "../helpers/shopify-samples";
import { webhookHeaders, webhookHmac } from "../simulator/signing";
import { SHOPIFY_API_VERSION } from "~/shopify.server";

const ORDER_ID_MARK = 990_000_000_000_001;
const CUSTOMER_ID_MARK = 880_000_000_000_001;
const CODE_MARK = "BENCHCODEMARK";
const TIME_MARK = "2001-02-03T04:05:06.000Z";
const NAME_MARK = "BENCHNAMEMARK";
const CONFIRMATION_MARK = "BENCHCONFIRMATIONMARK";

export interface OrderDelivery {
  body: string;
  headers: Record<string, string>;
}

export interface OrderWebhookFactory {
  /** Order number `n` (ids stay unique per factory), crediting `code`, processed at `processedAt`. */
  delivery(n: number, code: string, processedAt?: Date): OrderDelivery;
  /** A new event id for the same body: a distinct event to the inbox (X-Shopify-Event-Id is not signed). */
  redeliver(delivery: OrderDelivery): OrderDelivery;
}

export function orderWebhookFactory(options: { shopDomain: string; secret: string; firstOrderId?: number }): OrderWebhookFactory {
  // Each order has its own name and confirmation number, as Shopify's do: ingestion locks the confirmation number
  // (a survey answer may be joining it), so a shared one would serialise the whole run.
  const template = JSON.stringify({
    ...sampleOrder({ id: ORDER_ID_MARK, customerId: CUSTOMER_ID_MARK, codes: [CODE_MARK], processedAt: TIME_MARK, subtotal: "108.56" }),
    name: NAME_MARK,
    confirmation_number: CONFIRMATION_MARK,
  });
  // Pieces between the markers, each followed by the marker that ended it.
  type Mark = "order" | "customer" | "code" | "time" | "name" | "confirmation";
  const marks: Record<string, Mark> = {
    [String(ORDER_ID_MARK)]: "order",
    [String(CUSTOMER_ID_MARK)]: "customer",
    [CODE_MARK]: "code",
    [TIME_MARK]: "time",
    [NAME_MARK]: "name",
    [CONFIRMATION_MARK]: "confirmation",
  };
  const pieces: { text: string; mark: Mark | null }[] = [];
  const markers = new RegExp(Object.keys(marks).map((mark) => mark.replace(/\./g, "\\.")).join("|"), "g");
  let last = 0;
  for (const match of template.matchAll(markers)) {
    const mark = marks[match[0]]!;
    pieces.push({ text: template.slice(last, match.index), mark });
    last = match.index! + match[0].length;
  }
  pieces.push({ text: template.slice(last), mark: null });
  const firstOrderId = options.firstOrderId ?? 7_200_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000_000;

  const sign = (body: string): OrderDelivery => ({
    body,
    headers: webhookHeaders({
      topic: "orders/create",
      shopDomain: options.shopDomain,
      apiVersion: SHOPIFY_API_VERSION,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      triggeredAt: new Date(),
      hmac: webhookHmac(body, options.secret),
    }),
  });

  return {
    delivery(n, code, processedAt = new Date()) {
      const values = {
        order: String(firstOrderId + n),
        customer: String(9_100_000_000_000 + n),
        code,
        time: processedAt.toISOString(),
        name: `#${1001 + n}`,
        confirmation: `B${(firstOrderId + n).toString(36).toUpperCase()}`,
      };
      let body = "";
      for (const piece of pieces) body += piece.mark ? piece.text + values[piece.mark] : piece.text;
      return sign(body);
    },
    redeliver(delivery) {
      return { body: delivery.body, headers: { ...delivery.headers, "X-Shopify-Event-Id": randomUUID(), "X-Shopify-Webhook-Id": randomUUID() } };
    },
  };
}
