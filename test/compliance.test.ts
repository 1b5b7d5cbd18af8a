import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS, receiveWebhook } from "~/services/receive-webhook.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder, shopifySample } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";

// These tests drive the inbox by hand: the queue is only a wake-up call and is not under test here.
const noQueue = { add: async () => undefined } as never;
type Shop = Awaited<ReturnType<typeof createTestShop>>;

async function receiveAndProcess(shop: Shop, topic: string, body: unknown) {
  const eventId = randomUUID();
  const topics = topic.startsWith("orders/") ? ORDER_TOPICS : topic === "app/uninstalled" ? APP_TOPICS : COMPLIANCE_TOPICS;
  const response = await receiveWebhook(signedWebhookRequest({ topic, shop: shop.domain, body, eventId }), topics, noQueue);
  expect(response.status).toBe(200);
  return (await processInboxEvent(prisma, { shopDomain: shop.domain, eventId })).outcome;
}

async function shopWithOrders() {
  const shop = await createTestShop();
  await createTestCreator(shop.id, { discountCode: "ERASE10", email: "creator@example.com" });
  const mine = sampleOrder({ codes: ["ERASE10"], customerId: 555 });
  const other = sampleOrder({ codes: ["ERASE10"], customerId: 777 });
  for (const order of [mine, other]) {
    order.landing_site = "/products/tee?utm_source=instagram&ref=erase10";
    order.referring_site = "https://instagram.com/";
    expect(await receiveAndProcess(shop, "orders/create", order)).toBe("processed");
  }
  await prisma.session.create({
    data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", accessToken: "token", scope: "read_orders" },
  });
  return { shop, mine, other };
}

describe("compliance webhooks", () => {
  it("customers/redact erases the customer's link and landing URLs, keeps the money for the ledger", async () => {
    const { shop, mine, other } = await shopWithOrders();
    const payload = { ...shopifySample("customers/redact"), shop_domain: shop.domain, customer: { id: 555 }, orders_to_redact: [] };
    expect(await receiveAndProcess(shop, "customers/redact", payload)).toBe("processed");

    const redacted = await prisma.order.findFirstOrThrow({ where: { shopifyOrderGid: mine.admin_graphql_api_id } });
    expect(redacted).toMatchObject({ customerGid: null, landingSite: null, referringSite: null });
    expect(redacted.netMerchandiseMinor).toBeGreaterThan(0n);
    const untouched = await prisma.order.findFirstOrThrow({ where: { shopifyOrderGid: other.admin_graphql_api_id } });
    expect(untouched.customerGid).toBe("gid://shopify/Customer/777");
    // Nothing personal is left in the inbox either: processed payloads are cleared.
    const events = await prisma.inboxEvent.findMany({ where: { shopDomain: shop.domain } });
    expect(events.map((event) => event.payload)).toEqual(events.map(() => null));
  });

  it("customers/data_request produces what the app holds about the customer", async () => {
    const { shop, mine } = await shopWithOrders();
    const payload = { ...shopifySample("customers/data_request"), shop_domain: shop.domain, customer: { id: 555 }, orders_requested: [] };
    expect(await receiveAndProcess(shop, "customers/data_request", payload)).toBe("processed");

    const exported = await prisma.customerDataExport.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(exported.customerGid).toBe("gid://shopify/Customer/555");
    expect(exported.data).toMatchObject({
      orders: [expect.objectContaining({ order: mine.admin_graphql_api_id, discountCodes: ["ERASE10"], landingSite: mine.landing_site })],
    });
  });

  it("app/uninstalled ends the shop's sessions and marks it uninstalled", async () => {
    const { shop } = await shopWithOrders();
    expect(await receiveAndProcess(shop, "app/uninstalled", { ...shopifySample("app/uninstalled"), domain: shop.domain })).toBe("processed");
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).not.toBeNull();
  });

  it("shop/redact erases every row of the shop, ledger included, and no other shop's", async () => {
    const bystander = await shopWithOrders();
    const { shop } = await shopWithOrders();
    expect(await receiveAndProcess(shop, "shop/redact", { shop_id: 1, shop_domain: shop.domain })).toBe("processed");

    const counts = await Promise.all([
      prisma.creator.count({ where: { shopId: shop.id } }),
      prisma.discountCode.count({ where: { shopId: shop.id } }),
      prisma.contract.count({ where: { shopId: shop.id } }),
      prisma.order.count({ where: { shopId: shop.id } }),
      prisma.attribution.count({ where: { shopId: shop.id } }),
      prisma.ledgerEntry.count({ where: { shopId: shop.id } }),
      prisma.session.count({ where: { shop: shop.domain } }),
      prisma.inboxEvent.count({ where: { shopDomain: shop.domain, topic: { not: "SHOP_REDACT" } } }),
      prisma.shop.count({ where: { id: shop.id } }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await prisma.ledgerEntry.count({ where: { shopId: bystander.shop.id } })).toBe(2);
  });

  it("the ledger refuses edits and deletes outside a shop erasure", async () => {
    const { shop } = await shopWithOrders();
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shopId: shop.id } });
    await expect(prisma.ledgerEntry.update({ where: { id: entry.id }, data: { amountMinor: 1n } })).rejects.toThrow(/append-only/);
    await expect(prisma.ledgerEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
  });
});
