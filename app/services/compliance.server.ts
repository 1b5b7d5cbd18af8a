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
      { customerGid: `gid://shopify/Customer/${customerId}` },
      { shopifyOrderGid: { in: orderIds.map((id) => `gid://shopify/Order/${id}`) } },
    ],
  };
}

/**
 * customers/redact: the customer link, the URLs and cart attributes they arrived with, their journey, their email
 * hash and their survey free text are erased, and so are the attribution evidence entries quoting them; the money
 * facts and the verdict stay for the ledger.
 */
export async function redactCustomer(tx: Prisma.TransactionClient, shop: Shop, payload: unknown): Promise<number> {
  const request = parseCustomerRequest(payload);
  const orders = await tx.order.findMany({
    where: customerOrdersFilter(shop.id, request.customer.id, request.orders_to_redact ?? []),
    select: { id: true, confirmationNumber: true },
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
  return orders.length;
}

/** customers/data_request: everything held about the customer, kept for the merchant to hand over. */
export async function exportCustomerData(tx: Prisma.TransactionClient, shop: Shop, payload: unknown): Promise<void> {
  const request = parseCustomerRequest(payload);
  const orders = await tx.order.findMany({
    where: customerOrdersFilter(shop.id, request.customer.id, request.orders_requested ?? []),
    include: { attribution: { include: { creator: { select: { name: true } } } } },
    orderBy: { processedAt: "asc" },
  });
  const customerGid = `gid://shopify/Customer/${request.customer.id}`;
  const surveyAnswers = await tx.surveyResponse.findMany({
    where: {
      shopId: shop.id,
      confirmationNumber: { in: orders.map((order) => order.confirmationNumber).filter((n): n is string => n !== null) },
    },
    select: { confirmationNumber: true, optionLabel: true, otherText: true, answeredAt: true },
  });
  const data = {
    customer: customerGid,
    orders: orders.map((order) => ({
      order: order.shopifyOrderGid,
      name: order.name,
      processedAt: order.processedAt.toISOString(),
      currencyCode: order.currencyCode,
      netMerchandise: fromMinorUnits(order.netMerchandiseMinor, order.currencyCode),
      discountCodes: order.discountCodes,
      landingSite: order.landingSite,
      referringSite: order.referringSite,
      cartAttributes: order.noteAttributes,
      customerJourney: order.customerJourney,
      attributedTo: order.attribution?.creator?.name ?? null,
      attributionEvidence: order.attribution?.evidence ?? [],
    })),
    surveyAnswers: surveyAnswers.map((answer) => ({ ...answer, answeredAt: answer.answeredAt.toISOString() })),
  };
  const dataRequestId = String(request.data_request?.id ?? `customer-${request.customer.id}`);
  await tx.customerDataExport.upsert({
    where: { shopId_dataRequestId: { shopId: shop.id, dataRequestId } },
    create: { shopId: shop.id, customerGid, dataRequestId, data },
    update: { data },
  });
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
