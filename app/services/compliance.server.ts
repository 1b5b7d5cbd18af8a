import { Prisma, type Shop } from "@prisma/client";
import { z } from "zod";
import { fromMinorUnits } from "~/domain/money";
import { InvalidPayloadError } from "~/domain/orders/parse-order-payload";

const customerRequestSchema = z.object({
  customer: z.object({ id: z.number().int().positive() }),
  orders_to_redact: z.array(z.number().int()).nullish(),
  orders_requested: z.array(z.number().int()).nullish(),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).nullish(),
});

function parseCustomerRequest(payload: unknown) {
  const parsed = customerRequestSchema.safeParse(payload);
  if (!parsed.success) throw new InvalidPayloadError(`Compliance payload rejected: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function customerOrdersFilter(shopId: string, customerId: number, orderIds: readonly number[]): Prisma.OrderWhereInput {
  return {
    shopId,
    OR: [
      { customerGid: customerGidOf(customerId) },
      { shopifyOrderGid: { in: orderIds.map((id) => `gid://shopify/Order/${id}`) } },
    ],
  };
}

const customerGidOf = (customerId: number) => `gid://shopify/Customer/${customerId}`;
const numericIdOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** Compliance events are handled in their own right: a redaction never swallows a pending data request. */
const COMPLIANCE_TOPICS = ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"];

/**
 * customers/redact: the customer link, the URLs and cart attributes they arrived with, their journey, their email
 * hash and their survey free text are erased, and so are the attribution evidence entries quoting them, the data
 * exports made for them, a creator's link to their customer account, and the payloads of inbox events about them
 * that were never processed (a failed delivery keeps its payload for inspection). The money facts and the verdict
 * stay for the ledger.
 */
export async function redactCustomer(tx: Prisma.TransactionClient, shop: Shop, payload: unknown): Promise<number> {
  const request = parseCustomerRequest(payload);
  const customerGid = customerGidOf(request.customer.id);
  const orders = await tx.order.findMany({
    where: customerOrdersFilter(shop.id, request.customer.id, request.orders_to_redact ?? []),
    select: { id: true, confirmationNumber: true, shopifyOrderGid: true },
  });
  const orderIds = orders.map((order) => order.id);
  await tx.order.updateMany({
    where: { shopId: shop.id, id: { in: orderIds } },
    data: {
      customerGid: null,
      landingSite: null,
      referringSite: null,
      noteAttributes: [],
      customerEmailHash: null,
      customerJourney: Prisma.DbNull,
      journeyStatus: "UNAVAILABLE",
    },
  });
  await tx.attribution.updateMany({ where: { shopId: shop.id, orderId: { in: orderIds } }, data: { evidence: [] } });
  const confirmationNumbers = orders.map((order) => order.confirmationNumber).filter((n): n is string => n !== null);
  await tx.surveyResponse.updateMany({
    where: { shopId: shop.id, confirmationNumber: { in: confirmationNumbers } },
    data: { otherText: null },
  });
  await tx.customerDataExport.deleteMany({ where: { shopId: shop.id, customerGid } });
  await tx.creator.updateMany({ where: { shopId: shop.id, customerGid }, data: { customerGid: null } });

  const orderGids = [
    ...new Set([...orders.map((order) => order.shopifyOrderGid), ...(request.orders_to_redact ?? []).map((id) => `gid://shopify/Order/${id}`)]),
  ];
  // Webhook payloads name an order by `admin_graphql_api_id` (refunds by `order_id`), synced orders by their gid `id`;
  // the customer by number and gid.
  await tx.$executeRaw`
    UPDATE "InboxEvent"
    SET payload = NULL, "processedAt" = now(), "lastError" = 'Payload erased by customers/redact before it was processed'
    WHERE "shopDomain" = ${shop.domain} AND payload IS NOT NULL AND topic <> ALL(${COMPLIANCE_TOPICS}::text[])
      AND (payload->'customer'->>'id' IN (${String(request.customer.id)}, ${customerGid})
        OR payload->'customer'->>'admin_graphql_api_id' = ${customerGid}
        OR payload->>'admin_graphql_api_id' = ANY(${orderGids}::text[])
        OR payload->>'id' = ANY(${orderGids}::text[])
        OR payload->>'order_id' = ANY(${orderGids.map(numericIdOf)}::text[]))`;
  return orders.length;
}

/**
 * customers/data_request: everything held about the customer — their orders with every customer fact kept on them,
 * the attribution evidence quoting them, their survey answers, and a creator profile linked to their customer
 * account — kept for the merchant to hand over.
 */
export async function exportCustomerData(tx: Prisma.TransactionClient, shop: Shop, payload: unknown): Promise<void> {
  const request = parseCustomerRequest(payload);
  const customerGid = customerGidOf(request.customer.id);
  const orders = await tx.order.findMany({
    where: customerOrdersFilter(shop.id, request.customer.id, request.orders_requested ?? []),
    include: { attribution: { include: { creator: { select: { name: true } } } } },
    orderBy: { processedAt: "asc" },
  });
  const surveyAnswers = await tx.surveyResponse.findMany({
    where: {
      shopId: shop.id,
      confirmationNumber: { in: orders.map((order) => order.confirmationNumber).filter((n): n is string => n !== null) },
    },
    select: { confirmationNumber: true, optionLabel: true, otherText: true, answeredAt: true },
  });
  const creatorProfiles = await tx.creator.findMany({
    where: { shopId: shop.id, customerGid },
    select: { name: true, handle: true, email: true, paypalEmail: true },
  });
  const data = {
    customer: customerGid,
    orders: orders.map((order) => ({
      order: order.shopifyOrderGid,
      name: order.name,
      confirmationNumber: order.confirmationNumber,
      customer: order.customerGid,
      processedAt: order.processedAt.toISOString(),
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      currencyCode: order.currencyCode,
      netMerchandise: fromMinorUnits(order.netMerchandiseMinor, order.currencyCode),
      newCustomer: order.newCustomer,
      discountCodes: order.discountCodes,
      landingSite: order.landingSite,
      referringSite: order.referringSite,
      cartAttributes: order.noteAttributes,
      shippingRegion: order.shippingRegion,
      emailSha256: order.customerEmailHash,
      customerJourney: order.customerJourney,
      attributedTo: order.attribution?.creator?.name ?? null,
      attributionEvidence: order.attribution?.evidence ?? [],
    })),
    surveyAnswers: surveyAnswers.map((answer) => ({ ...answer, answeredAt: answer.answeredAt.toISOString() })),
    creatorProfiles,
  };
  const dataRequestId = String(request.data_request?.id ?? `customer-${request.customer.id}`);
  await tx.customerDataExport.upsert({
    where: { shopId_dataRequestId: { shopId: shop.id, dataRequestId } },
    create: { shopId: shop.id, customerGid, dataRequestId, data },
    update: { data },
  });
}

/**
 * app/uninstalled: the shop's sessions go (the access token no longer works), and the shop is marked uninstalled:
 * every sweep and every job looks for installed shops only, so its scheduled work stops while its data waits for
 * shop/redact. A re-install (installShop) clears the mark, and the work the sweeps find resumes. An uninstall
 * triggered before the latest install (Shopify retried its delivery, or the inbox processed it late) is over: the
 * merchant came back, and the new install's session stays.
 */
export async function uninstallShop(tx: Prisma.TransactionClient, shop: Shop, uninstalledAt: Date): Promise<"uninstalled" | "stale"> {
  if (uninstalledAt < shop.lastInstalledAt) return "stale";
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt } });
  return "uninstalled";
}

/** shop/redact: 48 hours after uninstall, everything about the shop goes, ledger included. */
export async function eraseShop(tx: Prisma.TransactionClient, shop: Shop, keepInboxEventId: string): Promise<void> {
  // The ledger's append-only trigger lets deletes through only for the shop named here, in this transaction.
  await tx.$executeRaw`SELECT set_config('creator_ledger.erasing_shop', ${shop.id}, true)`;
  await tx.shop.delete({ where: { id: shop.id } });
  // Days noted for a rollup before the erasure (the notes hold no foreign key to the shop).
  await tx.rollupChange.deleteMany({ where: { shopId: shop.id } });
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.inboxEvent.deleteMany({ where: { shopDomain: shop.domain, id: { not: keepInboxEventId } } });
}
