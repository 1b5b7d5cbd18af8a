// End to end through the app's real pieces: the store simulator places orders and delivers their webhooks to the
// app's webhook route (signed as Shopify signs them), the real inbox and commissions workers run on Redis, and the
// shopper answers the post-purchase survey through /api/survey/thank-you with a checkout session token. An order
// without any code or link is credited to the creator the shopper names when the shop's rules count survey answers,
// and to nobody when they do not; the answer joins its order whichever arrives first.
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-survey-pipeline-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { DEFAULT_ATTRIBUTION_RULES } from "~/domain/attribution/rules";
import type { AttributionRules } from "~/domain/attribution/types";
import { startCommissionsWorker } from "~/jobs/commissions-worker.server";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { installShop } from "~/models/shop.server";
import {
  commissionsQueue,
  createCommissionsQueue,
  createInboxQueue,
  createRedis,
  inboxQueue,
  webRedis,
} from "~/queues.server";
import { loader as surveyLoader, action as surveyAction } from "~/routes/api.survey.thank-you";
import { action as webhooksAction } from "~/routes/webhooks._index";
import { createTestContract, createTestCreator } from "./helpers/factories";
import { StoreSimulator } from "./simulator/store";
import { answerSurvey, type SurveyEndpoint, type SurveyOptionJson } from "./simulator/survey-shopper";

const SHOP_DOMAIN = `survey-e2e-${process.pid}.myshopify.com`;
const APP_URL = process.env.SHOPIFY_APP_URL!;

/** Webhooks wait here while a test holds them, as if Shopify were slow to send the order. */
let held: Promise<void> | null = null;

/** The app's webhook route, reached the way Shopify reaches it (the simulator's fetch goes straight to it). */
const deliverToApp: typeof fetch = async (input, init) => {
  if (held) await held;
  const request = new Request(String(input), { method: init?.method, headers: init?.headers, body: init?.body });
  return webhooksAction({ request, params: {}, context: {} });
};

const sendToSurvey = (request: Request) => {
  const args = { request, params: {}, context: {} };
  return request.method === "GET" ? surveyLoader(args) : surveyAction(args);
};

const endpoint: SurveyEndpoint = {
  appUrl: APP_URL,
  shop: SHOP_DOMAIN,
  apiKey: process.env.SHOPIFY_API_KEY!,
  apiSecret: process.env.SHOPIFY_API_SECRET!,
};

const connection = createRedis({ failFast: false });
const workerInbox = createInboxQueue(connection);
const workerCommissions = createCommissionsQueue(connection);
let workers: Worker[] = [];
let simulator: StoreSimulator;
let shop: Awaited<ReturnType<typeof installShop>>;
let maya: Awaited<ReturnType<typeof createTestCreator>>;

beforeAll(async () => {
  workers = [
    await startInboxWorker({
      db: prisma,
      queue: workerInbox,
      commissionsQueue: workerCommissions,
      connection,
      sweepEveryMs: 3_600_000,
    }),
    await startCommissionsWorker({ db: prisma, queue: workerCommissions, connection, sweepEveryMs: 3_600_000 }),
  ];
  simulator = new StoreSimulator({
    appUrl: APP_URL,
    secret: process.env.SHOPIFY_API_SECRET!,
    shop: { domain: SHOP_DOMAIN, name: "Survey E2E Store", currency: "USD", timezone: "UTC" },
    seed: 11,
    fetch: deliverToApp,
    retry: { retries: 2, initialDelayMs: 100, factor: 2 },
  });
  shop = await installShop({ domain: SHOP_DOMAIN, name: "Survey E2E Store", currencyCode: "USD", timezone: "UTC" });
  maya = await createTestCreator(shop.id, { name: "Maya Fit", revenueSharePercent: "10" });
  // Tiered, marginal: 10% of each order as it comes, 20% of the month's revenue above $10, which the commissions
  // worker posts as the month's tier adjustment once the month has credited orders.
  await createTestContract(
    shop.id,
    maya.id,
    "TIERED",
    {
      metric: "REVENUE",
      mode: "MARGINAL",
      tiers: [
        { from: 0n, percent: "10.00" },
        { from: 1_000n, percent: "20.00" },
      ],
    },
    new Date("2020-01-02T00:00:00Z"),
  );
  await createTestCreator(shop.id, { name: "Leo Runs" });
});

afterAll(async () => {
  simulator?.deliverer.close();
  await Promise.all(workers.map((worker) => worker.close()));
  for (const queue of [workerInbox, workerCommissions]) await queue.obliterate({ force: true });
  await Promise.all([workerInbox.close(), workerCommissions.close(), inboxQueue().close(), commissionsQueue().close()]);
  webRedis().disconnect();
  connection.disconnect();
});

async function setRules(rules: Partial<AttributionRules>) {
  await prisma.shop.update({
    where: { id: shop.id },
    data: { attributionRules: { ...DEFAULT_ATTRIBUTION_RULES, ...rules } as object },
  });
}

/** An organic order (no code, link, ref or creator referrer), delivered as orders/create. */
function placeOrganicOrder() {
  const { orders, deliveries } = simulator.placeOrders({ count: 1, code: null });
  return { order: simulator.summarize(orders[0]!), delivered: simulator.deliverer.settled(deliveries) };
}

async function storedOrder(confirmationNumber: string) {
  return vi.waitFor(
    async () => {
      const order = await prisma.order.findFirst({
        where: { shopId: shop.id, confirmationNumber },
        include: { attribution: true },
      });
      if (!order?.attribution) throw new Error(`order ${confirmationNumber} not attributed yet`);
      return order;
    },
    { timeout: 20_000, interval: 50 },
  );
}

const naming = (name: string) => (options: readonly SurveyOptionJson[]) => {
  const option = options.find((o) => o.kind === "CREATOR" && o.label === name);
  if (!option) throw new Error(`${name} is not offered: ${JSON.stringify(options)}`);
  return { optionKey: option.key };
};

/** A whole percentage of a positive amount of minor units, rounded half up as ledger entries are. */
const percentOf = (amountMinor: bigint, percent: bigint) => (amountMinor * percent + 50n) / 100n;

const ledgerOf = (creatorId: string, orderId?: string) =>
  prisma.ledgerEntry.findMany({
    where: { shopId: shop.id, creatorId, ...(orderId ? { orderId } : {}) },
    select: { kind: true, amountMinor: true, orderId: true },
    orderBy: { createdAt: "asc" },
  });

describe("post-purchase survey, end to end", () => {
  it("credits an order with no code to the creator the shopper names, and the month's tier adjustment follows", async () => {
    await setRules({ surveyConfidence: 65 });
    const { order, delivered } = placeOrganicOrder();
    await delivered;
    const before = await storedOrder(order.confirmationNumber);
    expect(before.attribution).toMatchObject({ creatorId: null, method: "NONE" });
    expect(before.netMerchandiseMinor).toBeGreaterThan(1_000n);

    const { status, answer } = await answerSurvey(endpoint, order.confirmationNumber, naming("Maya Fit"), sendToSurvey);
    expect(status).toBe(201);
    expect(answer).toEqual({ optionKey: `creator:${maya.id}`, optionLabel: "Maya Fit" });

    const after = await prisma.attribution.findUniqueOrThrow({ where: { orderId: before.id } });
    expect(after).toMatchObject({ creatorId: maya.id, method: "SURVEY", confidence: 65 });
    const net = before.netMerchandiseMinor;
    expect(await ledgerOf(maya.id, before.id)).toEqual([
      { kind: "COMMISSION", amountMinor: percentOf(net, 10n), orderId: before.id },
    ]);
    // The answer changed Maya's month: the commissions worker settles it, topping the order's 10% up to what the
    // month owes (10% of the first $10, 20% above), each amount rounded once.
    const owed = percentOf(1_000n, 10n) + percentOf(net - 1_000n, 20n);
    await vi.waitFor(
      async () => {
        const adjustments = (await ledgerOf(maya.id)).filter((entry) => entry.kind === "TIER_ADJUSTMENT");
        expect(adjustments).toEqual([
          { kind: "TIER_ADJUSTMENT", amountMinor: owed - percentOf(net, 10n), orderId: null },
        ]);
      },
      { timeout: 20_000, interval: 100 },
    );
  });

  it("joins an answer given before Shopify delivered the order", async () => {
    await setRules({});
    let release!: () => void;
    held = new Promise((resolve) => (release = resolve));
    try {
      const { order, delivered } = placeOrganicOrder();
      const { status } = await answerSurvey(endpoint, order.confirmationNumber, naming("Maya Fit"), sendToSurvey);
      expect(status).toBe(201);
      expect(
        await prisma.order.count({ where: { shopId: shop.id, confirmationNumber: order.confirmationNumber } }),
      ).toBe(0);
      release();
      await delivered;
      const stored = await storedOrder(order.confirmationNumber);
      expect(stored.attribution).toMatchObject({ creatorId: maya.id, method: "SURVEY", confidence: 50 });
      expect(await ledgerOf(maya.id, stored.id)).toHaveLength(1);
    } finally {
      held = null;
      release();
    }
  });

  it("credits nobody from the answer when the shop's rules leave survey answers out", async () => {
    await setRules({ precedence: DEFAULT_ATTRIBUTION_RULES.precedence.filter((kind) => kind !== "survey") });
    const { order, delivered } = placeOrganicOrder();
    await delivered;
    const stored = await storedOrder(order.confirmationNumber);

    const { status } = await answerSurvey(endpoint, order.confirmationNumber, naming("Maya Fit"), sendToSurvey);
    expect(status).toBe(201);
    const attribution = await prisma.attribution.findUniqueOrThrow({ where: { orderId: stored.id } });
    expect(attribution).toMatchObject({ creatorId: null, method: "NONE" });
    // The answer is kept as evidence: the merchant sees what the shopper said and why it did not count.
    expect(attribution.evidence).toContainEqual(
      expect.objectContaining({ signal: "survey", creatorId: maya.id, matched: true, decisive: false }),
    );
    expect(await ledgerOf(maya.id, stored.id)).toEqual([]);
  });
});
