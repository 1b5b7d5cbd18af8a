// app/uninstalled stops the shop's scheduled work (the sweeps look at installed shops only, and queued Admin API
// jobs of an uninstalled shop do nothing), keeps its data for shop/redact, and a re-install brings the work back.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import type { Job } from "bullmq";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-uninstall-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { startShopifyAdminWorker } from "~/jobs/shopify-admin-worker.server";
import { sweepCreatorPeriods } from "~/jobs/sweep-creator-periods.server";
import { installShop } from "~/models/shop.server";
import { JOB, createCommissionsQueue, createInboxQueue, createRedis, createShopifyAdminQueue, type ShopifyAdminJob } from "~/queues.server";
import { adminGraphqlFor } from "~/services/admin-api.server";
import { collectionSyncStepsDue } from "~/services/collection-sync.server";
import { ordersDueForJourney } from "~/services/customer-journey.server";
import { shopsDueForReconcile } from "~/services/order-sync.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { refreshShopRollups, shopsWithRollupChanges } from "~/services/refresh-rollups.server";
import { APP_TOPICS, ORDER_TOPICS, receiveWebhook } from "~/services/receive-webhook.server";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder, shopifySample } from "../helpers/shopify-samples";
import { signedWebhookRequest } from "../helpers/webhooks";

const noQueue = { add: async () => undefined } as never;
type Shop = Awaited<ReturnType<typeof createTestShop>>;

async function receiveAndProcess(shop: Shop, topic: string, body: unknown) {
  const eventId = randomUUID();
  const topics = topic === "app/uninstalled" ? APP_TOPICS : ORDER_TOPICS;
  expect((await receiveWebhook(signedWebhookRequest({ topic, shop: shop.domain, body, eventId }), topics, noQueue)).status).toBe(200);
  return (await processInboxEvent(prisma, { shopDomain: shop.domain, eventId })).outcome;
}

async function storeOfflineSession(shop: Shop) {
  await prisma.session.create({
    data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", accessToken: "shpat_uninstall_test", scope: "read_orders" },
  });
}

/** A shop with work every sweep would find: an order whose journey is due, a collection due its daily read. */
async function shopWithScheduledWork() {
  const shop = await createTestShop();
  const creator = await createTestCreator(shop.id, { discountCode: `UN${randomUUID().slice(0, 6)}` });
  const order = sampleOrder({ codes: [creator.discountCodes[0]!.code] });
  expect(await receiveAndProcess(shop, "orders/create", order)).toBe("processed");
  const orderRow = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id } });
  // A collection synced two days ago that the creator's contract names: due its daily refresh.
  const collectionGid = `gid://shopify/Collection/${Date.now()}`;
  const contract = await prisma.contract.findFirstOrThrow({ where: { creatorId: creator.id } });
  const terms = contract.terms as { components: Prisma.JsonObject[] };
  const override = { target: { type: "COLLECTION", gid: collectionGid, title: "Summer" }, percent: "20" };
  await prisma.contract.update({
    where: { id: contract.id },
    data: { terms: { ...terms, components: terms.components.map((c) => (c.kind === "REVENUE_SHARE" ? { ...c, overrides: [override] } : c)) } },
  });
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  await prisma.collectionSync.create({
    data: { shopId: shop.id, collectionGid, title: "Summer", status: "SYNCED", syncedAt: twoDaysAgo, updatedAt: twoDaysAgo },
  });
  // A pay period with a change still to settle (an adjustment, say).
  await prisma.creatorPeriod.create({ data: { shopId: shop.id, creatorId: creator.id, periodKey: "2026-01", changeVersion: 1 } });
  await storeOfflineSession(shop);
  return { shop, orderId: orderRow.id };
}

async function scheduledWorkFor(shop: Shop, now: Date) {
  return {
    journeys: (await ordersDueForJourney(prisma, now, 1_000_000)).filter((due) => due.shopId === shop.id).length,
    reconcile: (await shopsDueForReconcile(prisma, now)).some((due) => due.id === shop.id),
    collections: (await collectionSyncStepsDue(prisma, now, 1_000_000)).filter((due) => due.shopId === shop.id).length,
    settlements: await periodsSweptFor(shop, now),
    rollups: (await shopsWithRollupChanges(prisma)).includes(shop.id),
  };
}

/** The unsettled pay periods the period sweeper would queue for the shop. */
async function periodsSweptFor(shop: Shop, now: Date): Promise<number> {
  const queued: { data: { shopId: string } }[] = [];
  const queue = { getJobState: async () => "unknown", addBulk: async (jobs: typeof queued) => void queued.push(...jobs) } as never;
  await sweepCreatorPeriods(prisma, queue, now, 0);
  return queued.filter((job) => job.data.shopId === shop.id).length;
}

describe("app/uninstalled", () => {
  it("takes the shop out of every sweep while its data stays, and a re-install puts it back", async () => {
    const { shop } = await shopWithScheduledWork();
    const later = new Date(Date.now() + 3_600_000);
    expect(await scheduledWorkFor(shop, later)).toEqual({ journeys: 1, reconcile: true, collections: 1, settlements: 1, rollups: true });

    expect(await receiveAndProcess(shop, "app/uninstalled", { ...shopifySample("app/uninstalled"), domain: shop.domain })).toBe("processed");
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(0);
    expect(await scheduledWorkFor(shop, later)).toEqual({ journeys: 0, reconcile: false, collections: 0, settlements: 0, rollups: false });
    // Even asked directly, its reports are not rebuilt, and the changes wait for a re-install.
    expect(await refreshShopRollups(prisma, shop.id)).toEqual({ days: 0 });
    expect(await prisma.rollupChange.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
    // Nothing is erased before shop/redact: the merchant may come back.
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(1);

    // Re-installing: Shopify's OAuth stores a new offline session, and the app marks the shop installed.
    await installShop({ domain: shop.domain, name: shop.name, currencyCode: shop.currencyCode, timezone: shop.timezone });
    await storeOfflineSession(shop);
    expect(await scheduledWorkFor(shop, later)).toMatchObject({ journeys: 1, reconcile: true, settlements: 1, rollups: true });
  });

  it("ignores an uninstall triggered before the latest re-install (a late or retried delivery): the shop stays installed", async () => {
    const { shop } = await shopWithScheduledWork();
    const uninstalledAt = new Date(Date.now() - 60_000);
    const stale = signedWebhookRequest({
      topic: "app/uninstalled",
      shop: shop.domain,
      body: { ...shopifySample("app/uninstalled"), domain: shop.domain },
      eventId: randomUUID(),
      triggeredAt: uninstalledAt,
    });
    // The merchant uninstalled a minute ago and has installed again since; only now is the uninstall processed.
    await prisma.shop.update({ where: { id: shop.id }, data: { lastInstalledAt: new Date(uninstalledAt.getTime() + 30_000) } });
    expect((await receiveWebhook(stale, APP_TOPICS, noQueue)).status).toBe(200);
    const eventId = stale.headers.get("X-Shopify-Event-Id")!;
    expect((await processInboxEvent(prisma, { shopDomain: shop.domain, eventId })).outcome).toBe("processed");
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ uninstalledAt: null });
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(1);

    // An uninstall triggered after it still uninstalls.
    expect(await receiveAndProcess(shop, "app/uninstalled", { ...shopifySample("app/uninstalled"), domain: shop.domain })).toBe("processed");
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).not.toBeNull();
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(0);
  });

  it("a re-install records when it happened", async () => {
    const shop = await createTestShop();
    const before = new Date();
    const reinstalled = await installShop({ domain: shop.domain, name: shop.name, currencyCode: shop.currencyCode, timezone: shop.timezone });
    expect(reinstalled.lastInstalledAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(reinstalled.installedAt).toEqual(shop.installedAt);
  });
});

describe("the shopify-admin worker", () => {
  const connection = createRedis({ failFast: false });
  const inboxQueue = createInboxQueue(connection);
  const commissionsQueue = createCommissionsQueue(connection);
  const adminQueue = createShopifyAdminQueue(connection);
  afterAll(async () => {
    await Promise.all([inboxQueue.obliterate({ force: true }), commissionsQueue.obliterate({ force: true }), adminQueue.obliterate({ force: true })]);
    await Promise.all([inboxQueue.close(), commissionsQueue.close(), adminQueue.close()]);
    connection.disconnect();
  });

  it("does nothing with a job queued for a shop that uninstalled meanwhile: no call to Shopify, no failure", async () => {
    const { shop, orderId } = await shopWithScheduledWork();
    const sync = await prisma.collectionSync.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(await receiveAndProcess(shop, "app/uninstalled", { ...shopifySample("app/uninstalled"), domain: shop.domain })).toBe("processed");

    const calledFor: string[] = [];
    const worker = await startShopifyAdminWorker({
      db: prisma,
      queue: adminQueue,
      inboxQueue,
      commissionsQueue,
      connection,
      sweepEveryMs: 3_600_000,
      adminFor: (domain) => {
        calledFor.push(domain);
        return adminGraphqlFor(domain);
      },
    });
    try {
      const outcomes = new Map<string, { result?: unknown; error?: string }>();
      const settled = (job: Job<ShopifyAdminJob> | undefined, outcome: { result?: unknown; error?: string }) => {
        if (job?.id) outcomes.set(job.id, outcome);
      };
      worker.on("completed", (job, result) => settled(job, { result }));
      worker.on("failed", (job, error) => settled(job, { error: error.message }));
      await adminQueue.add(JOB.fetchJourney, { kind: "fetch-journey", shopId: shop.id, orderId }, { jobId: `gone-journey-${orderId}` });
      await adminQueue.add(JOB.syncCollection, { kind: "sync-collection", shopId: shop.id, syncId: sync.id }, { jobId: `gone-collection-${sync.id}` });
      await vi.waitFor(() => expect([...outcomes.keys()]).toEqual(expect.arrayContaining([`gone-journey-${orderId}`, `gone-collection-${sync.id}`])), {
        timeout: 20_000,
        interval: 100,
      });

      expect(outcomes.get(`gone-journey-${orderId}`)).toEqual({ result: { skipped: "shop not installed" } });
      expect(outcomes.get(`gone-collection-${sync.id}`)).toEqual({ result: { skipped: "shop not installed" } });
      expect(calledFor).not.toContain(shop.domain);
      expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ journeyStatus: "PENDING", journeyAttempts: 0 });
    } finally {
      await worker.close();
    }
  });
});
