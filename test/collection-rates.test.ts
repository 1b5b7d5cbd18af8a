// Product and collection rates end to end against the store simulator: the contract names a collection, the
// shopify-admin worker reads its products from Shopify's Admin API (pages, throttling), orders arrive as signed
// webhooks through the app's webhook route, inbox and worker, and are paid at the product's, the collection's or the
// default rate; when the merchant changes the collection in Shopify (collections/update, /delete), the orders of
// unpaid periods are posted again. Real BullMQ workers on Redis, the real database.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-collection-rates-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import type { RateOverride } from "~/domain/commissions/contract-terms";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { enqueueCollectionSyncSteps, startShopifyAdminWorker } from "~/jobs/shopify-admin-worker.server";
import { saveContract } from "~/models/contract.server";
import { installShop } from "~/models/shop.server";
import { createCommissionsQueue, createInboxQueue, createRedis, createShopifyAdminQueue, inboxQueue } from "~/queues.server";
import { action as webhooksAction } from "~/routes/webhooks._index";
import { AdminApiThrottledError, adminGraphqlFor } from "~/services/admin-api.server";
import { searchCatalog } from "~/services/catalog-search.server";
import {
  collectionSyncStepsDue,
  failCollectionSync,
  requestCollectionSyncs,
  stepCollectionSync,
} from "~/services/collection-sync.server";
import { recordPayout } from "~/services/record-payout.server";
import { env } from "~/utils/env.server";
import { createTestCreator } from "./helpers/factories";
import { routeAdminApiToSimulator } from "./support/admin-api";
import { collectionGid, productGid, type SimCollection, type SimProduct } from "./simulator/catalog";
import { startSimulatorServer, type RunningSimulator } from "./simulator/server";

const SHOP_DOMAIN = `collection-rates-${process.pid}.myshopify.com`;
const TOKEN = "shpat_collection_rates_token";

const connection = createRedis({ failFast: false });
const inbox = createInboxQueue(connection);
const commissions = createCommissionsQueue(connection);
const admin = createShopifyAdminQueue(connection);
let workers: Worker[] = [];
let sim: RunningSimulator;
let appServer: Server;
let restoreFetch: () => void;
let shop: Awaited<ReturnType<typeof installShop>>;

beforeAll(async () => {
  // The app's webhook route, served over HTTP for the simulator to deliver to.
  appServer = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []));
    const request = new Request(`http://localhost:3000${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
    const response = await webhooksAction({ request, params: {}, context: {} });
    res.writeHead(response.status).end();
  });
  await new Promise<void>((resolve) => appServer.listen(0, "127.0.0.1", resolve));
  sim = await startSimulatorServer({
    appUrl: `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`,
    secret: env().SHOPIFY_API_SECRET,
    apiKey: env().SHOPIFY_API_KEY,
    shop: { domain: SHOP_DOMAIN, name: "Collection rates shop", currency: "USD", timezone: "UTC" },
    accessTokens: [TOKEN],
    seed: 31,
    port: 0,
  });
  restoreFetch = routeAdminApiToSimulator(sim);
  shop = await installShop({ domain: SHOP_DOMAIN, name: "Collection rates shop", currencyCode: "USD", timezone: "UTC" });
  const session = { shop: SHOP_DOMAIN, state: "", isOnline: false, scope: env().SCOPES, accessToken: TOKEN };
  await prisma.session.upsert({ where: { id: `offline_${SHOP_DOMAIN}` }, create: { id: `offline_${SHOP_DOMAIN}`, ...session }, update: session });
  workers = [
    await startInboxWorker({ db: prisma, queue: inbox, commissionsQueue: commissions, shopifyAdminQueue: admin, connection, sweepEveryMs: 3_600_000 }),
    await startShopifyAdminWorker({ db: prisma, queue: admin, inboxQueue: inbox, commissionsQueue: commissions, connection, sweepEveryMs: 3_600_000 }),
  ];
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await Promise.all([inbox.obliterate({ force: true }), commissions.obliterate({ force: true }), admin.obliterate({ force: true })]);
  await Promise.all([inbox.close(), commissions.close(), admin.close(), inboxQueue().close()]);
  connection.disconnect();
  restoreFetch?.();
  await sim?.close();
  appServer?.closeAllConnections();
  await new Promise((resolve) => appServer?.close(resolve));
});

// ---------------------------------------------------------------------------------------------------------------

/** A collection of its own for each test (fresh products), so that tests never change each other's orders. */
function newCollection(title: string, size: number, priceMinor = 4_000) {
  const products = Array.from({ length: size }, (_, i) => sim.simulator.catalog.addProduct({ title: `${title} Item ${i + 1}`, priceMinor: priceMinor + i * 100 }));
  const { collection } = sim.simulator.createCollection(title, products.map((product) => product.id));
  return { collection, products };
}

const collectionRate = (collection: SimCollection, percent: string): RateOverride => ({
  target: { type: "COLLECTION", gid: collectionGid(collection), title: collection.title },
  percent,
});
const productRate = (product: SimProduct, percent: string): RateOverride => ({
  target: { type: "PRODUCT", gid: productGid(product), title: product.title },
  percent,
});

/** The contract form as the merchant posts it: a revenue share with rows of rates. */
function revenueShareForm(percent: string, overrides: RateOverride[]): Record<string, string> {
  const form: Record<string, string> = { model: "REVENUE_SHARE", percent };
  overrides.forEach((override, i) => {
    form[`overrides.${i}.type`] = override.target.type;
    form[`overrides.${i}.gid`] = override.target.gid;
    form[`overrides.${i}.title`] = override.target.title;
    form[`overrides.${i}.percent`] = override.percent;
  });
  return form;
}

async function saveRates(creatorId: string, percent: string, overrides: RateOverride[]) {
  const saved = await saveContract(shop.id, creatorId, "REVENUE_SHARE", revenueShareForm(percent, overrides), new Date(), () => commissions, () => admin);
  if (!saved?.ok) throw new Error(`contract not saved: ${JSON.stringify(saved)}`);
  // Orders are timestamped to the second: one placed in the same second as the version could fall before it.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, saved.effectiveFrom.getTime() + 1_100 - Date.now())));
  return saved;
}

/** The collection's sync is done: read to the end and its orders posted again. */
async function synced(collection: SimCollection, atLeastPass = 1, status: "SYNCED" | "DELETED" = "SYNCED") {
  await vi.waitFor(
    async () => {
      const sync = await prisma.collectionSync.findUniqueOrThrow({
        where: { shopId_collectionGid: { shopId: shop.id, collectionGid: collectionGid(collection) } },
      });
      if (sync.status === "FAILED") throw new Error(`sync failed: ${sync.error}`);
      expect({ status: sync.status, passed: sync.pass >= atLeastPass, pending: sync.changedProductGids }).toEqual({ status, passed: true, pending: [] });
    },
    { timeout: 30_000, interval: 100 },
  );
  return prisma.collectionSync.findUniqueOrThrow({
    where: { shopId_collectionGid: { shopId: shop.id, collectionGid: collectionGid(collection) } },
    include: { products: { orderBy: { productGid: "asc" } } },
  });
}

/** Every webhook the shop delivered has been processed by the inbox worker. */
async function inboxDrained() {
  await vi.waitFor(
    async () => expect(await prisma.inboxEvent.count({ where: { shopDomain: SHOP_DOMAIN, processedAt: null } })).toBe(0),
    { timeout: 20_000, interval: 100 },
  );
}

/** An order with the creator's code buying the products, delivered as orders/create and processed. */
async function placeOrder(code: string, products: SimProduct[], placedAt?: Date) {
  const { orders, deliveries } = sim.simulator.placeOrders({ code, products: products.map((p) => p.id), placedAt });
  await sim.simulator.deliverer.settled(deliveries);
  expect(deliveries.map((delivery) => delivery.state)).toEqual(["delivered"]);
  await inboxDrained();
  const summary = sim.simulator.summarize(orders[0]!);
  const order = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderGid: summary.gid } });
  return { order, summary, netOf: (product: SimProduct) => cents(summary.lines.find((line) => line.productGid === productGid(product))!.net) };
}

const cents = (amount: string) => BigInt(Math.round(Number(amount) * 100));
/** amount × basis points, to the nearest cent, halves away from zero: the ledger's one rounding. */
const rounded = (weighted: bigint) => (weighted + 5_000n) / 10_000n;
const usd = (minor: bigint) => `$${(Number(minor) / 100).toFixed(2)}`;

const ledgerOf = (orderId: string) =>
  prisma.ledgerEntry.findMany({ where: { orderId }, orderBy: { createdAt: "asc" }, select: { kind: true, amountMinor: true, reason: true } });

// ---------------------------------------------------------------------------------------------------------------

describe("searching the shop's catalog for the contract form's pickers", () => {
  it("finds collections and products by the start of their titles' words, through the Admin API", async () => {
    const shopAdmin = await adminGraphqlFor(SHOP_DOMAIN);
    const catalog = sim.simulator.catalog;
    const gifts = catalog.collection("Gifts Under $50")!;
    expect(await searchCatalog(shopAdmin, { type: "COLLECTION", q: "gifts un" })).toEqual([
      { type: "COLLECTION", gid: collectionGid(gifts), title: "Gifts Under $50", detail: `${gifts.members.length} products`, variant: null },
    ]);
    const product = catalog.addProduct({ title: "Zanzibar Clove Candle", priceMinor: 2_500 });
    expect(await searchCatalog(shopAdmin, { type: "PRODUCT", q: "clove zanz" })).toEqual([
      { type: "PRODUCT", gid: productGid(product), title: "Zanzibar Clove Candle", detail: null, variant: null },
    ]);
    expect(await searchCatalog(shopAdmin, { type: "PRODUCT", q: "zanzibar mint" })).toEqual([]);
    // Nothing typed: the first ten by title.
    expect(await searchCatalog(shopAdmin, { type: "PRODUCT", q: "" })).toHaveLength(10);

    // The file's workers also talk to the simulator: if one of their requests takes the throttled answer first,
    // throttle again until the search meets it.
    await vi.waitFor(
      async () => {
        sim.adminApi.throttleNextRequests(1);
        await expect(searchCatalog(shopAdmin, { type: "COLLECTION", q: "gifts" })).rejects.toBeInstanceOf(AdminApiThrottledError);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe("collection and product rates", () => {
  it("reads the collection when the contract is saved, then pays its products its rate and a product's own rate before it", async () => {
    const { collection, products } = newCollection("Glow Edit", 3);
    const [serum, cream] = products as [SimProduct, SimProduct];
    const [outsider] = sim.simulator.catalog.products.filter((p) => sim.simulator.catalog.collectionsOf(p).length === 0);
    const creator = await createTestCreator(shop.id);
    sim.adminApi.requests.length = 0;
    await saveRates(creator.id, "10", [collectionRate(collection, "20"), productRate(serum, "30")]);

    const sync = await synced(collection);
    expect(sync.products.map((row) => row.productGid)).toEqual(products.map(productGid).sort());
    expect(sync).toMatchObject({ title: "Glow Edit", productsRead: 3, pass: 1 });
    const reads = sim.adminApi.graphqlRequests().filter((r) => r.operationName === "CollectionProducts");
    expect(reads.map((r) => [r.outcome, r.variables])).toEqual([["ok", { id: collectionGid(collection), after: null }]]);

    const { order, netOf } = await placeOrder(creator.discountCodes[0]!.code, [serum, cream, outsider!]);
    const expected = rounded(netOf(serum) * 3_000n + netOf(cream) * 2_000n + netOf(outsider!) * 1_000n);
    expect(await ledgerOf(order.id)).toEqual([
      {
        kind: "COMMISSION",
        amountMinor: expected,
        reason:
          `Revenue share on order ${order.name}: 10.00% of ${usd(netOf(outsider!))} net merchandise, ` +
          `30.00% of ${usd(netOf(serum))} on ${serum.title}, 20.00% of ${usd(netOf(cream))} on Glow Edit`,
      },
    ]);
  });

  it("posts orders again when the merchant adds or removes the collection's products in Shopify (collections/update)", async () => {
    const { collection, products } = newCollection("Night Care", 2);
    const newcomer = sim.simulator.catalog.addProduct({ title: "Night Care Newcomer", priceMinor: 5_000 });
    const creator = await createTestCreator(shop.id);
    await saveRates(creator.id, "10", [collectionRate(collection, "25")]);
    await synced(collection);
    const { order, netOf } = await placeOrder(creator.discountCodes[0]!.code, [products[0]!, newcomer]);
    const before = rounded(netOf(products[0]!) * 2_500n + netOf(newcomer) * 1_000n);
    expect((await ledgerOf(order.id)).map((e) => e.amountMinor)).toEqual([before]);

    // The merchant adds the newcomer: Shopify sends collections/update; the app reads the collection again.
    const added = sim.simulator.changeCollection(collection, { add: [newcomer.id] });
    await sim.simulator.deliverer.settled(added.deliveries);
    expect(added.deliveries.map((d) => [d.topic, d.state])).toEqual([["collections/update", "delivered"]]);
    await inboxDrained();
    const resynced = await synced(collection, 2);
    expect(resynced.products.map((row) => row.productGid)).toContain(productGid(newcomer));
    const after = rounded((netOf(products[0]!) + netOf(newcomer)) * 2_500n);
    expect(await ledgerOf(order.id)).toEqual([
      expect.objectContaining({ kind: "COMMISSION", amountMinor: before }),
      {
        kind: "REVERSAL",
        amountMinor: -before,
        reason: `Reverses ${usd(before)} for revenue share on order ${order.name}: the products of collection Night Care changed`,
      },
      expect.objectContaining({ kind: "COMMISSION", amountMinor: after }),
    ]);

    // And takes the first product out: back to the default rate for it.
    const removed = sim.simulator.changeCollection(collection, { remove: [products[0]!.id] });
    await sim.simulator.deliverer.settled(removed.deliveries);
    await inboxDrained();
    await synced(collection, 3);
    const ledger = await ledgerOf(order.id);
    expect(ledger.map((e) => e.amountMinor)).toEqual([before, -before, after, -after, rounded(netOf(products[0]!) * 1_000n + netOf(newcomer) * 2_500n)]);
  });

  it("leaves orders of a pay period already paid out as they were paid", async () => {
    const { collection, products } = newCollection("Paid Picks", 1);
    const extra = sim.simulator.catalog.addProduct({ title: "Paid Picks Later Addition", priceMinor: 6_000 });
    const creator = await createTestCreator(shop.id);
    // A contract in force for months already (as seeded data is): its collection is asked for like a saved one.
    const terms = termsForModel("REVENUE_SHARE", { percent: "10", overrides: [collectionRate(collection, "40")] });
    await prisma.contract.create({
      data: { shopId: shop.id, creatorId: creator.id, model: "REVENUE_SHARE", terms: serializeTerms(terms), effectiveFrom: new Date("2020-01-01T00:00:01Z") },
    });
    await enqueueCollectionSyncSteps(admin, await prisma.$transaction((tx) => requestCollectionSyncs(tx, shop.id, [{ gid: collectionGid(collection), title: collection.title }])));
    await synced(collection);

    const code = creator.discountCodes[0]!.code;
    const old = await placeOrder(code, [products[0]!, extra], new Date(Date.now() - 60 * 86_400_000));
    const recent = await placeOrder(code, [products[0]!, extra]);
    // The old order's hold ended long ago: the merchant pays it out, which closes its pay period.
    const payout = await recordPayout(shop.id, creator.id, { method: "OTHER", reference: null, note: null, fxRate: null, paidAt: new Date() });
    expect(payout).toMatchObject({ ok: true, entryCount: 1 });

    const change = sim.simulator.changeCollection(collection, { add: [extra.id] });
    await sim.simulator.deliverer.settled(change.deliveries);
    await inboxDrained();
    await synced(collection, 2);
    expect((await ledgerOf(old.order.id)).map((e) => e.kind)).toEqual(["COMMISSION"]);
    expect((await ledgerOf(recent.order.id)).map((e) => [e.kind, e.amountMinor])).toEqual([
      ["COMMISSION", rounded(recent.netOf(products[0]!) * 4_000n + recent.netOf(extra) * 1_000n)],
      ["REVERSAL", -rounded(recent.netOf(products[0]!) * 4_000n + recent.netOf(extra) * 1_000n)],
      ["COMMISSION", rounded((recent.netOf(products[0]!) + recent.netOf(extra)) * 4_000n)],
    ]);
  });

  it("pays no collection rate once the collection is deleted in Shopify (collections/delete)", async () => {
    const { collection, products } = newCollection("Retired Range", 1);
    const creator = await createTestCreator(shop.id);
    await saveRates(creator.id, "10", [collectionRate(collection, "50")]);
    await synced(collection);
    const { order, netOf } = await placeOrder(creator.discountCodes[0]!.code, [products[0]!]);

    const deleted = sim.simulator.deleteCollection(collection);
    await sim.simulator.deliverer.settled(deleted.deliveries);
    expect(deleted.deliveries.map((d) => [d.topic, d.state])).toEqual([["collections/delete", "delivered"]]);
    await inboxDrained();
    const sync = await synced(collection, 2, "DELETED");
    expect(sync.products).toEqual([]);
    expect((await ledgerOf(order.id)).map((e) => e.amountMinor)).toEqual([
      rounded(netOf(products[0]!) * 5_000n),
      -rounded(netOf(products[0]!) * 5_000n),
      rounded(netOf(products[0]!) * 1_000n),
    ]);
  });

  it("ignores changes to collections no contract pays a rate on", async () => {
    const { collection, products } = newCollection("Nobody's Collection", 1);
    const change = sim.simulator.changeCollection(collection, { remove: [products[0]!.id] });
    await sim.simulator.deliverer.settled(change.deliveries);
    await inboxDrained();
    expect(await prisma.collectionSync.count({ where: { shopId: shop.id, collectionGid: collectionGid(collection) } })).toBe(0);
    expect(await prisma.inboxEvent.count({ where: { shopDomain: SHOP_DOMAIN, topic: "COLLECTIONS_UPDATE", lastError: { not: null } } })).toBe(0);
  });
});

describe("reading a large collection", () => {
  it("reads 250 products a page, resuming from the stored cursor after Shopify throttles", async () => {
    const { collection, products } = newCollection("Big Bundle", 620, 1_000);
    const [sync] = await prisma.$transaction((tx) => requestCollectionSyncs(tx, shop.id, [{ gid: collectionGid(collection), title: collection.title }]));
    const shopAdmin = await adminGraphqlFor(SHOP_DOMAIN);
    const row = () => prisma.collectionSync.findUniqueOrThrow({ where: { id: sync!.syncId } });

    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toMatchObject({ state: "reading", productsRead: 250 });
    const firstCursor = (await row()).cursor;
    expect(firstCursor).not.toBeNull();

    // Shopify throttles the next page: the step fails for the queue to retry, and nothing it had read is lost.
    sim.adminApi.throttleNextRequests(1, (variables) => variables.id === collectionGid(collection));
    await expect(stepCollectionSync(prisma, shopAdmin, sync!.syncId)).rejects.toBeInstanceOf(AdminApiThrottledError);
    expect(await row()).toMatchObject({ status: "RUNNING", cursor: firstCursor, productsRead: 250 });

    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toMatchObject({ state: "reading", productsRead: 500 });
    // No contract names the collection: its products are stored, but no order is posted again.
    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toMatchObject({ state: "synced", changedProducts: 620, repostedOrders: 0 });
    const done = await row();
    expect(done).toMatchObject({ status: "SYNCED", productsRead: 620, cursor: null, changedProductGids: [] });
    expect(await prisma.collectionProduct.count({ where: { syncId: done.id } })).toBe(products.length);
    const pages = sim.adminApi.graphqlRequests().filter((r) => r.operationName === "CollectionProducts" && r.variables.id === collectionGid(collection));
    expect(pages.map((r) => r.outcome)).toEqual(["ok", "throttled", "ok", "ok"]);
    expect(pages.map((r) => r.cost?.requested)).toEqual([253, 253, 253, 253]);

    // A duplicate job for a finished pass finds nothing to do.
    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toEqual({ state: "idle" });
  });

  it("a pass that fails for good keeps what it read, and posts again the orders of the products it had added", async () => {
    const { collection, products } = newCollection("Half Read", 300, 1_000);
    const creator = await createTestCreator(shop.id);
    const terms = termsForModel("REVENUE_SHARE", { percent: "10", overrides: [collectionRate(collection, "30")] });
    await prisma.contract.create({
      data: { shopId: shop.id, creatorId: creator.id, model: "REVENUE_SHARE", terms: serializeTerms(terms), effectiveFrom: new Date("2020-01-01T00:00:01Z") },
    });
    // Placed before the collection was read: paid the default rate.
    const { order, netOf } = await placeOrder(creator.discountCodes[0]!.code, [products[3]!]);
    expect((await ledgerOf(order.id)).map((e) => e.amountMinor)).toEqual([rounded(netOf(products[3]!) * 1_000n)]);

    const [sync] = await prisma.$transaction((tx) => requestCollectionSyncs(tx, shop.id, [{ gid: collectionGid(collection), title: collection.title }]));
    const shopAdmin = await adminGraphqlFor(SHOP_DOMAIN);
    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toMatchObject({ state: "reading", productsRead: 250 });
    // The next page's job runs out of attempts (Shopify down, say).
    await failCollectionSync(prisma, sync!, "Shopify answered 502");
    const failed = await prisma.collectionSync.findUniqueOrThrow({ where: { id: sync!.syncId } });
    expect(failed).toMatchObject({ status: "FAILED", cursor: null, error: "Shopify answered 502" });
    expect(failed.changedProductGids).toHaveLength(250);

    // The step the sweeper enqueues for the changes left posts the order at the collection's rate.
    expect(await stepCollectionSync(prisma, shopAdmin, sync!.syncId)).toMatchObject({ state: "failed", changedProducts: 250, repostedOrders: 1 });
    expect((await ledgerOf(order.id)).map((e) => e.amountMinor)).toEqual([
      rounded(netOf(products[3]!) * 1_000n),
      -rounded(netOf(products[3]!) * 1_000n),
      rounded(netOf(products[3]!) * 3_000n),
    ]);
    expect(await prisma.collectionSync.findUniqueOrThrow({ where: { id: sync!.syncId } })).toMatchObject({ status: "FAILED", changedProductGids: [] });
    expect(await prisma.collectionProduct.count({ where: { syncId: sync!.syncId } })).toBe(250);
  });

  it("the worker waits out Shopify's throttling without spending the job's attempts", async () => {
    const { collection } = newCollection("Throttled Set", 260, 1_000);
    const creator = await createTestCreator(shop.id);
    sim.adminApi.throttleNextRequests(1, (variables) => variables.id === collectionGid(collection));
    await saveRates(creator.id, "12", [collectionRate(collection, "18")]);
    const sync = await synced(collection);
    expect(sync.products).toHaveLength(260);
    const pages = sim.adminApi.graphqlRequests().filter((r) => r.operationName === "CollectionProducts" && r.variables.id === collectionGid(collection));
    expect(pages.map((r) => r.outcome)).toEqual(["throttled", "ok", "ok"]);
  });
});

describe("the daily refresh", () => {
  it("reads collections due again, and drops collections no contract pays a rate on any more", async () => {
    const kept = newCollection("Kept Daily", 1);
    const dropped = newCollection("Dropped Daily", 1);
    const creator = await createTestCreator(shop.id);
    await saveRates(creator.id, "10", [collectionRate(kept.collection, "15"), collectionRate(dropped.collection, "15")]);
    await synced(kept.collection);
    await synced(dropped.collection);
    // Nothing is due within the day.
    const syncId = async (collection: SimCollection) =>
      (await prisma.collectionSync.findUniqueOrThrow({ where: { shopId_collectionGid: { shopId: shop.id, collectionGid: collectionGid(collection) } } })).id;
    const [keptId, droppedId] = [await syncId(kept.collection), await syncId(dropped.collection)];
    expect((await collectionSyncStepsDue(prisma)).filter((ref) => [keptId, droppedId].includes(ref.syncId))).toEqual([]);

    // The dropped collection leaves the contract; every version that named it goes (a scheduled one would be
    // replaced), so that nothing pays its rate any more.
    await prisma.contract.deleteMany({ where: { creatorId: creator.id } });
    await prisma.contract.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        model: "REVENUE_SHARE",
        terms: serializeTerms(termsForModel("REVENUE_SHARE", { percent: "10", overrides: [collectionRate(kept.collection, "15")] })),
        effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      },
    });
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    const due = (await collectionSyncStepsDue(prisma, tomorrow)).filter((ref) => [keptId, droppedId].includes(ref.syncId));
    expect(due.map((ref) => ref.syncId)).toEqual([keptId]);
    expect(await prisma.collectionSync.findUnique({ where: { id: droppedId } })).toBeNull();
    expect(await prisma.collectionProduct.count({ where: { syncId: droppedId } })).toBe(0);

    await enqueueCollectionSyncSteps(admin, due);
    await synced(kept.collection, 2);
  }, 120_000);
});
