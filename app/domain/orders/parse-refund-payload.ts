import { z } from "zod";
import { toMinorUnits } from "../money";
import { InvalidPayloadError } from "./parse-order-payload";

const moneySetSchema = z.object({
  shop_money: z.object({ amount: z.string(), currency_code: z.string().length(3) }),
});

export const refundPayloadSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Refund/"),
  // Shopify's order ids fit in a double today; the gid is rebuilt from the number as sent.
  order_id: z.number().positive().refine(Number.isInteger, "order_id must be an integer"),
  created_at: z.iso.datetime({ offset: true }),
  processed_at: z.iso.datetime({ offset: true }).nullish(),
  refund_line_items: z.array(z.object({ subtotal_set: moneySetSchema.nullish() })).nullish(),
});

export interface RefundFacts {
  shopifyRefundGid: string;
  shopifyOrderGid: string;
  lineItemsMinor: bigint;
  processedAt: Date;
}

export function parseRefundPayload(payload: unknown): RefundFacts {
  const parsed = refundPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(`Refund payload rejected: ${z.prettifyError(parsed.error)}`);
  }
  const refund = parsed.data;
  const lineItemsMinor = (refund.refund_line_items ?? []).reduce((sum, line) => {
    const money = line.subtotal_set?.shop_money;
    return money ? sum + toMinorUnits(money.amount, money.currency_code) : sum;
  }, 0n);
  return {
    shopifyRefundGid: refund.admin_graphql_api_id,
    shopifyOrderGid: `gid://shopify/Order/${refund.order_id}`,
    lineItemsMinor,
    processedAt: new Date(refund.processed_at ?? refund.created_at),
  };
}
