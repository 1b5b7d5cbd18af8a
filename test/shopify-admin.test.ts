// The app's Admin GraphQL calls against the store simulator, reached the way production reaches Shopify (the
// offline session's token, the global fetch to https://<shop>/admin/api/...): customer journeys, discount codes,
// throttling, and the order import through a bulk operation, the inbox and the real BullMQ workers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Job, Worker } from "bullmq";
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-shopify-admin-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { enqueueSyncStep, startShopifyAdminWorker } from "~/jobs/shopify-admin-worker.server";
import { installShop } from "~/models/shop.server";
import { JOB, createCommissionsQueue, createInboxQueue, createRedis, createShopifyAdminQueue, type ShopifyAdminJob } from "~/queues.server";
import { AdminApiThrottledError, adminGraphqlFor, throttleWaitMs } from "~/services/admin-api.server";
import { refreshCustomerJourney } from "~/services/customer-journey.server";
import { createCodeInShopify, linkExistingCode } from "~/services/discount-codes.server";
import { ingestOrder } from "~/services/ingest-order.server";
import { startOrderSync } from "~/services/order-sync.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { env } from "~/utils/env.server";
import { routeAdminApiToSimulator } from "./support/admin-api";
import { createTestCreator } from "./helpers/factories";
import { ORDER_JOURNEY_QUERY } from "~/shopify/admin-operations";
import { startSimulatorServer, type RunningSimulator } from "./simulator/server";

const SHOP_DOMAIN = `admin-${process.pid}.myshopify.com`;
const TOKEN = "shpat_test_offline_token";

let sim: RunningSimulator;
let webhookSink: Server;
let restoreFetch: () => void;
const delivered: { topic: string; body: Record<string, any> }[] = [];
let shop: Awaited<ReturnType<typeof installShop>>;

beforeAll(async () => {
  webhookSink = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    delivered.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => webhookSink.listen(0, "127.0.0.1", resolve));
  sim = await startSimulatorServer({
    appUrl: `http://127.0.0.1:${(webhookSink.address() as AddressInfo).port}`,
    secret: env().SHOPIFY_API_SECRET,
    apiKey: env().SHOPIFY_API_KEY,
    shop: { domain: SHOP_DOMAIN, name: "Admin API test shop", currency: "USD", timezone: "UTC" },
    accessTokens: [TOKEN],
    journeyReadyAfterFetches: 1,
    seed: 7,
    port: 0,
    discounts: [{ code: "EXISTING20" }],
  });
  restoreFetch = routeAdminApiToSimulator(sim);
  shop = await installShop({ domain: SHOP_DOMAIN, name: "Admin API test shop", currencyCode: "USD", timezone: "UTC" });
  const session = { shop: SHOP_DOMAIN, state: "", isOnline: false, scope: env().SCOPES, accessToken: TOKEN };
  await prisma.session.upsert({ where: { id: `offline_${SHOP_DOMAIN}` }, create: { id: `offline_${SHOP_DOMAIN}`, ...session }, update: session });
});

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
  await new Promise((resolve) => webhookSink?.close(resolve));
});

/** Orders the simulator placed and delivered, ingested as the webhook pipeline would. */
async function placeAndIngest(request: Parameters<RunningSimulator["simulator"]["placeOrders"]>[0]) {
  const { orders, deliveries } = sim.simulator.placeOrders(request);
  await sim.simulator.deliverer.settled(deliveries);
  const ids = [];
  for (const order of orders) {
    const payload = delivered.find((d) => d.topic === "orders/create" && d.body.id === order.id)!.body;
    const fresh = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
    ids.push((await prisma.$transaction((tx) => ingestOrder(tx, fresh, parseOrderPayload(payload)))).orderId);
  }
  return ids;
}

describe("customer journeys", () => {
  it("asks again while Shopify says not ready, then credits the creator the journey's first visit names", async () => {
    const creator = await createTestCreator(shop.id, { revenueSharePercent: "10" });
    const [orderId] = await placeAndIngest({ creators: [{ handle: creator.handle }], creatorShare: 1, signals: ["journey-only"], count: 1 });
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId: orderId! } })).toMatchObject({ creatorId: null });

    const admin = await adminGraphqlFor(SHOP_DOMAIN);
    expect((await refreshCustomerJourney(prisma, admin, { shopId: shop.id, orderId: orderId! })).outcome).toBe("not-ready");
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId! } })).toMatchObject({ journeyStatus: "PENDING", journeyAttempts: 1 });

    const ready = await refreshCustomerJourney(prisma, admin, { shopId: shop.id, orderId: orderId! });
    expect(ready.outcome).toBe("ready");
    expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId: orderId! } })).toMatchObject({
      creatorId: creator.id,
      method: "CUSTOMER_JOURNEY",
    });
    expect(await prisma.ledgerEntry.count({ where: { orderId: orderId!, creatorId: creator.id } })).toBe(1);
    expect((await refreshCustomerJourney(prisma, admin, { shopId: shop.id, orderId: orderId! })).outcome).toBe("missing");
  });
});

describe("discount codes in Shopify", () => {
  it("creates a creator's code with discountCodeBasicCreate, and reports Shopify's own refusal on a duplicate", async () => {
    const creator = await createTestCreator(shop.id);
    const admin = await adminGraphqlFor(SHOP_DOMAIN);
    const created = await createCodeInShopify(admin, shop, creator.id, { code: "MAYA-NEW-15", percentOff: "15" });
    expect(created).toMatchObject({ ok: true, discountCode: { code: "MAYA-NEW-15", origin: "CREATED_IN_APP" } });
    expect(created.ok && created.discountCode.shopifyDiscountGid).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(sim.simulator.findDiscount("MAYA-NEW-15")).toBeTruthy();

    // Taken in Shopify but unknown to the app: Shopify's userError reaches the merchant.
    expect(await createCodeInShopify(admin, shop, creator.id, { code: "existing20", percentOff: "10" })).toEqual({
      ok: false,
      fieldErrors: { code: expect.stringMatching(/unique|taken|already/i) },
    });
    expect(await createCodeInShopify(admin, shop, creator.id, { code: "HAS SPACE", percentOff: "0" })).toEqual({
      ok: false,
      fieldErrors: { code: expect.any(String), percentOff: expect.any(String) },
    });
  });

  it("links a code that exists in Shopify, and refuses one that does not", async () => {
    const creator = await createTestCreator(shop.id);
    const admin = await adminGraphqlFor(SHOP_DOMAIN);
    expect(await linkExistingCode(admin, shop, creator.id, { code: "existing20" })).toMatchObject({
      ok: true,
      discountCode: { code: "EXISTING20", origin: "LINKED" },
    });
    expect(await linkExistingCode(admin, shop, creator.id, { code: "NOPE-404" })).toEqual({
      ok: false,
      fieldErrors: { code: "Shopify has no discount with the code NOPE-404" },
    });
  });

});

/**
 * The next `count` Admin API requests to the test shop get Shopify's HTTP 429 (the answer to too many concurrent or
 * REST-rate requests: a JSON error body and Retry-After in seconds); later ones reach the simulator as before.
 */
function answer429(count: number, retryAfterSeconds: string): () => void {
  const mock = new MockAgent();
  mock.disableNetConnect();
  mock
    .get(`https://${SHOP_DOMAIN}`)
    .intercept({ path: (path) => path.startsWith("/admin/api/"), method: "POST" })
    .reply(429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, {
      headers: { "content-type": "application/json", "retry-after": retryAfterSeconds },
    })
    .times(count);
  let left = count;
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(
    previous.compose((dispatch) => (options, handler) => {
      if (left > 0 && new URL(String(options.origin)).hostname === SHOP_DOMAIN) {
        left -= 1;
        return mock.dispatch(options, handler);
      }
      return dispatch(options, handler);
    }),
  );
  return () => {
    setGlobalDispatcher(previous);
    void mock.close();
  };
}

describe("Shopify's throttling", () => {
  it("waits what the cost bucket needs to refill, or Retry-After, within bounds", () => {
    const status = { maximumAvailable: 2000, restoreRate: 100 };
    expect(throttleWaitMs({ requestedQueryCost: 752, throttleStatus: { ...status, currentlyAvailable: 52 } })).toBe(8_000);
    expect(throttleWaitMs({ requestedQueryCost: 10, throttleStatus: { ...status, currentlyAvailable: 500 } })).toBe(1_000);
    expect(throttleWaitMs({ requestedQueryCost: 10_000, throttleStatus: { ...status, currentlyAvailable: 0, restoreRate: 50 } })).toBe(60_000);
    expect(throttleWaitMs(undefined)).toBe(2_000);
  });

  it("a THROTTLED answer and an HTTP 429 both surface as retry-later errors with Shopify's wait", async () => {
    const admin = await adminGraphqlFor(SHOP_DOMAIN);
    sim.adminApi.throttleNextRequests(1);
    const throttled = await admin("query { shop { name } }").catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(AdminApiThrottledError);
    expect((throttled as AdminApiThrottledError).retryAfterMs).toBeGreaterThanOrEqual(1_000);

    const restore = answer429(1, "3.0");
    try {
      const limited = await admin("query { shop { name } }").catch((error: unknown) => error);
      expect(limited).toBeInstanceOf(AdminApiThrottledError);
      expect((limited as AdminApiThrottledError).retryAfterMs).toBe(3_000);
    } finally {
      restore();
    }
    await expect(admin<{ shop: { name: string } }>("query { shop { name } }")).resolves.toEqual({ shop: { name: "Admin API test shop" } });
  });

  describe("in the worker", () => {
    const connection = createRedis({ failFast: false });
    const inboxQueue = createInboxQueue(connection);
    const commissionsQueue = createCommissionsQueue(connection);
    const adminQueue = createShopifyAdminQueue(connection);
    let worker: Worker;
    afterAll(async () => {
      await worker?.close();
      await Promise.all([inboxQueue.obliterate({ force: true }), commissionsQueue.obliterate({ force: true }), adminQueue.obliterate({ force: true })]);
      await Promise.all([inboxQueue.close(), commissionsQueue.close(), adminQueue.close()]);
      connection.disconnect();
    });

    it("puts a throttled job back without spending an attempt: a one-attempt job survives a 429 and a THROTTLED", async () => {
      worker = await startShopifyAdminWorker({ db: prisma, queue: adminQueue, inboxQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 });
      // The worker's first sweep runs at once, and the work it queues for this shop (the journeys of earlier tests'
      // orders, a reconciliation whose bulk-operation polls wait among the delayed jobs) calls the Admin API: let it
      // all finish before the throttled answers are armed. The next sweep is an hour away. Other shops' work (the
      // shared test database's) goes to other hosts, which neither answer reaches.
      const sweepPending = async () =>
        (await adminQueue.getJobs(["waiting", "active", "prioritized"])).some((job) => job.data.kind === "sweep");
      const thisShopsWork = async () =>
        (await adminQueue.getJobs(["waiting", "active", "prioritized", "delayed"]))
          .filter((job) => job.data.kind !== "sweep" && job.data.shopId === shop.id)
          .map((job) => job.id);
      await vi.waitFor(
        async () => {
          // In this order: once the sweep is done, everything it queued is visible.
          expect(await sweepPending()).toBe(false);
          expect(await thisShopsWork()).toEqual([]);
        },
        { timeout: 60_000, interval: 200 },
      );
      const creator = await createTestCreator(shop.id, { revenueSharePercent: "10" });
      const [orderId] = await placeAndIngest({ creators: [{ handle: creator.handle }], creatorShare: 1, signals: ["journey-only"], count: 1 });
      // The simulator answers a journey's first reads "not ready": ask it directly (the app's order stays pending)
      // until it is, so that the throttled job's answer is the journey itself.
      const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId! } });
      const admin = await adminGraphqlFor(SHOP_DOMAIN);
      await vi.waitFor(async () => {
        const data = await admin<{ order: { customerJourneySummary: { ready: boolean } } }>(ORDER_JOURNEY_QUERY, { id: order.shopifyOrderGid });
        expect(data.order.customerJourneySummary.ready).toBe(true);
      });
      const finished = new Promise<{ job: Job<ShopifyAdminJob>; failed?: Error }>((resolve) => {
        worker.on("completed", (job) => job.id === "throttled-journey" && resolve({ job }));
        worker.on("failed", (job, failed) => job?.id === "throttled-journey" && resolve({ job: job!, failed }));
      });

      const restore = answer429(1, "1");
      sim.adminApi.throttleNextRequests(1, (variables) => variables.id === order.shopifyOrderGid);
      const graphqlRequests = () => sim.adminApi.requests.filter((request) => request.kind === "graphql");
      const requestsBefore = graphqlRequests().length;
      try {
        await adminQueue.add(JOB.fetchJourney, { kind: "fetch-journey", shopId: shop.id, orderId: orderId! }, { jobId: "throttled-journey", attempts: 1 });
        const { job, failed } = await finished;
        expect(failed).toBeUndefined();
        // Started three times (429, THROTTLED, answered); only the last one counts as an attempt.
        expect({ attemptsStarted: job.attemptsStarted, attemptsMade: job.attemptsMade }).toEqual({ attemptsStarted: 3, attemptsMade: 1 });
        expect(job.returnvalue).toMatchObject({ outcome: "ready" });
      } finally {
        restore();
      }
      // The 429 never reached the simulator; the THROTTLED and the answer did.
      const outcomes = graphqlRequests()
        .slice(requestsBefore)
        .filter((request) => request.variables.id === order.shopifyOrderGid)
        .map((request) => request.outcome);
      expect(outcomes[0]).toBe("throttled");
      expect(outcomes.slice(1)).toEqual(outcomes.slice(1).map(() => "ok"));
      expect(await prisma.attribution.findUniqueOrThrow({ where: { orderId: orderId! } })).toMatchObject({ creatorId: creator.id, method: "CUSTOMER_JOURNEY" });
    }, 120_000);
  });
});

describe("order import through a bulk operation and the webhook pipeline", () => {
  const connection = createRedis({ failFast: false });
  const inboxQueue = createInboxQueue(connection);
  const commissionsQueue = createCommissionsQueue(connection);
  const adminQueue = createShopifyAdminQueue(connection);
  let workers: Worker[] = [];

  beforeAll(async () => {
    workers = [
      await startInboxWorker({ db: prisma, queue: inboxQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 }),
      await startShopifyAdminWorker({ db: prisma, queue: adminQueue, inboxQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 }),
    ];
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([inboxQueue.obliterate({ force: true }), commissionsQueue.obliterate({ force: true }), adminQueue.obliterate({ force: true })]);
    await Promise.all([inboxQueue.close(), commissionsQueue.close(), adminQueue.close()]);
    connection.disconnect();
  });

  it("imports orders the app never received, with the same facts and credit a webhook would have given", async () => {
    const creator = await createTestCreator(shop.id, { revenueSharePercent: "10" });
    const code = creator.discountCodes[0]!.code;
    // Orders placed while the app was not listening: their webhooks went nowhere the app could see.
    const { orders, deliveries } = sim.simulator.placeOrders({ count: 12, codes: [code], codeShare: 0.5 });
    await sim.simulator.deliverer.settled(deliveries);
    const sync = await startOrderSync(prisma, shop.id, "IMPORT", null);
    await enqueueSyncStep(adminQueue, sync);

    await vi.waitFor(
      async () => {
        const row = await prisma.orderSync.findUniqueOrThrow({ where: { id: sync.id } });
        if (row.status === "FAILED") throw new Error(`sync failed: ${row.error}`);
        expect(row.status).toBe("SUCCEEDED");
        const pending = await prisma.inboxEvent.count({ where: { webhookId: sync.id, processedAt: null } });
        expect(pending).toBe(0);
        expect(await prisma.inboxEvent.count({ where: { webhookId: sync.id } })).toBeGreaterThanOrEqual(12);
      },
      // A bulk operation polled to completion, then every order through the inbox: slow on a busy CI machine.
      { timeout: 60_000, interval: 200 },
    );

    const imported = await prisma.order.findMany({
      where: { shopId: shop.id, shopifyOrderGid: { in: orders.map((o) => `gid://shopify/Order/${o.id}`) } },
      include: { attribution: true },
    });
    expect(imported).toHaveLength(12);
    for (const simulated of orders) {
      const webhook = delivered.find((d) => d.topic === "orders/create" && d.body.id === simulated.id)!;
      const webhookFacts = parseOrderPayload(webhook.body);
      const row = imported.find((o) => o.shopifyOrderGid === webhookFacts.shopifyOrderGid)!;
      expect({ net: row.netMerchandiseMinor, codes: row.normalizedDiscountCodes.length }).toEqual({
        net: webhookFacts.netMerchandiseMinor,
        codes: webhookFacts.discountCodes.length,
      });
      const usesCreatorCode = webhookFacts.discountCodes.some((used) => normalizeDiscountCode(used) === normalizeDiscountCode(code));
      expect(row.attribution?.creatorId ?? null).toBe(usesCreatorCode ? creator.id : null);
    }
    const finished = await prisma.orderSync.findUniqueOrThrow({ where: { id: sync.id } });
    expect(finished).toMatchObject({ ordersTotal: expect.any(Number), ordersQueued: expect.any(Number) });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).ordersSyncedThrough).not.toBeNull();

    // A second import reads every order again and changes nothing: not one more ledger entry.
    const ledgerBefore = await prisma.ledgerEntry.count({ where: { shopId: shop.id } });
    const again = await startOrderSync(prisma, shop.id, "IMPORT", null);
    await enqueueSyncStep(adminQueue, again);
    await vi.waitFor(
      async () => {
        expect((await prisma.orderSync.findUniqueOrThrow({ where: { id: again.id } })).status).toBe("SUCCEEDED");
        expect(await prisma.inboxEvent.count({ where: { webhookId: again.id, processedAt: null } })).toBe(0);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(await prisma.inboxEvent.count({ where: { webhookId: again.id } })).toBeGreaterThanOrEqual(12);
    expect(await prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(ledgerBefore);
  }, 120_000);
});
