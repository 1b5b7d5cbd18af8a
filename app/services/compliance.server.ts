import type { Prisma, Shop } from "@prisma/client";
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

/** customers/redact: the customer link and the URLs they arrived by are erased; the money facts stay for the ledger. */
export async function redactCustomer(tx: Prisma.TransactionClient, shop: Shop, payload: unknown): Promise<number> {
  const request = parseCustomerRequest(payload);
  const { count } = await tx.order.updateMany({
    where: customerOrdersFilter(shop.id, request.customer.id, request.orders_to_redact ?? []),
    data: { customerGid: null, landingSite: null, referringSite: null },
  });
  return count;
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
      attributedTo: order.attribution?.creator?.name ?? null,
    })),
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
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.inboxEvent.deleteMany({ where: { shopDomain: shop.domain, id: { not: keepInboxEventId } } });
}
