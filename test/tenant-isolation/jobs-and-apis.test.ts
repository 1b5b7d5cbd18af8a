// The ways into the app that are not admin pages — the survey API (checkout session tokens), tracking links,
// webhooks — and the jobs the queues carry, each given shop A's identity and shop B's ids: nothing of B is read
// back or written. After every test, every row B owns is exactly as it was.
import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-isolation-jobs-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { addCreatorCost } from "~/models/creator-cost.server";
import { runShopifyAdminJob } from "~/jobs/shopify-admin-worker.server";
import { inboxQueue, webRedis, type ProcessInboxEventJob } from "~/queues.server";
import { loader as trackingLinkLoader } from "~/routes/r.$slug";
import { loader as thankYouLoader, action as thankYouAction } from "~/routes/api.survey.thank-you";
import { action as webhooksAction } from "~/routes/webhooks._index";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import type { AdminGraphql } from "~/services/admin-api.server";
import { refreshCustomerJourney } from "~/services/customer-journey.server";
import { deliverStatement, resendStatement } from "~/services/deliver-statement.server";
import { settleCreatorPeriod } from "~/services/post-commissions.server";
import { previewStatement } from "~/services/preview-statement.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { receiveWebhook, ORDER_TOPICS } from "~/services/receive-webhook.server";
import { failCollectionSync } from "~/services/collection-sync.server";
import { failOrderSync } from "~/services/order-sync.server";
import { refreshShopRollups } from "~/services/refresh-rollups.server";
import { sendPeriodStatements } from "~/services/send-period-statements.server";
import { sampleOrder, shopifySample } from "../helpers/shopify-samples";
import { signedWebhookRequest } from "../helpers/webhooks";
import { surveyRequest, type SurveyRequestInit } from "../simulator/survey-shopper";
import { acceptingMailer, idsIn, leakedSecrets, seedShop, snapshotShop, type SeededShop } from "./two-shops";

let A: SeededShop;
let B: SeededShop;
let bBaseline: Record<string, string[]>;
let bIds: string[];
/** An event B's webhook left in the inbox, not processed yet. */
let bPendingEventId: string;
/** B's order import, still reading from Shopify. */
let bRunningOrderSyncId: string;

/** Stores a webhook without waking a worker: the event stays in the inbox until a test processes it. */
const holdingQueue = { add: async () => undefined } as unknown as Queue<ProcessInboxEventJob>;

function expectNothingOfB(text: string, askedFor: readonly string[] = []) {
  const secrets = leakedSecrets(text, { marker: B.marker, domain: B.shop.domain, ids: bIds });
  expect(secrets.filter((secret) => !askedFor.includes(secret))).toEqual([]);
}

/** The tables whose rows differ between two snapshots. */
function changedTables(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  return Object.keys(after).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]));
}

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  A = await seedShop(`AQJ${suffix}`);
  B = await seedShop(`BQJ${suffix}`);
  // B's first code is a Shopify discount's, so a discount webhook could name it.
  await prisma.discountCode.updateMany({ where: { shopId: B.shop.id, code: B.discountCodes[0] }, data: { shopifyDiscountGid: "gid://shopify/DiscountCodeNode/987654321" } });
  // A day of B's rollups waits to be rebuilt (a cost recorded after the last refresh).
  await addCreatorCost(B.shop.id, B.creatorIds[1], { kind: "FLAT_FEE", description: `${B.marker} late fee`, incurredOn: "2025-03-03", amount: "9.00" }, async () => null);
  const pending = await receiveWebhook(
    signedWebhookRequest({ topic: "orders/updated", shop: B.shop.domain, body: sampleOrder({ codes: [B.discountCodes[1]] }) }),
    ORDER_TOPICS,
    holdingQueue,
  );
  expect(pending.status).toBe(200);
  bPendingEventId = (await prisma.inboxEvent.findFirstOrThrow({ where: { shopDomain: B.shop.domain, processedAt: null } })).eventId;
  bRunningOrderSyncId = (await prisma.orderSync.create({ data: { shopId: B.shop.id, kind: "IMPORT", status: "RUNNING" } })).id;
  bBaseline = await snapshotShop(B.shop);
  bIds = idsIn(bBaseline);
}, 120_000);

afterEach(async () => {
  expect(await snapshotShop(B.shop)).toEqual(bBaseline);
});

afterAll(async () => {
  await inboxQueue().obliterate({ force: true });
  await inboxQueue().close();
  webRedis().disconnect();
});

// ---------- The post-purchase survey API ----------

describe("survey API: a checkout session token of A", () => {
  const endpoint = () => ({ appUrl: process.env.SHOPIFY_APP_URL!, shop: A.shop.domain, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET!, surface: "thank-you" as const });
  const send = (init: SurveyRequestInit) => {
    const request = surveyRequest(endpoint(), init);
    const args = { request, params: {}, context: {} };
    return request.method === "GET" ? thankYouLoader(args) : thankYouAction(args);
  };

  it("reads A's survey for B's confirmation number: A's creators, and no answer (B's answer is B's)", async () => {
    const response = await send({ confirmationNumber: B.confirmationNumbers[0] });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ answer: null });
    expect(text).toContain(A.marker);
    expectNothingOfB(text);
  });

  it("cannot answer with B's creator", async () => {
    const response = await send({ method: "POST", body: { confirmationNumber: B.confirmationNumbers[1], optionKey: `creator:${B.creatorIds[0]}` } });
    expect(response.status).toBe(400);
    expectNothingOfB(await response.text(), [B.creatorIds[0]]);
    expect(await prisma.surveyResponse.count({ where: { confirmationNumber: B.confirmationNumbers[1] } })).toBe(0);
  });

  it("an answer for B's confirmation number is A's answer, and re-attributes none of B's orders", async () => {
    const response = await send({ method: "POST", body: { confirmationNumber: B.confirmationNumbers[1], optionKey: `creator:${A.creatorIds[1]}` } });
    expect(response.status).toBe(201);
    const stored = await prisma.surveyResponse.findMany({ where: { confirmationNumber: B.confirmationNumbers[1] } });
    expect(stored).toEqual([expect.objectContaining({ shopId: A.shop.id, creatorId: A.creatorIds[1] })]);
  });
});

// ---------- Tracking links ----------

describe("tracking links (/r/<slug>)", () => {
  const follow = (slug: string, headers: Record<string, string> = {}) =>
    trackingLinkLoader({
      request: new Request(`http://localhost:3000/r/${slug}`, { headers: { "user-agent": "Mozilla/5.0 (iPhone) Safari/604.1", ...headers } }),
      params: { slug },
      context: {},
    });

  it("a click on A's link is A's click", async () => {
    const before = await prisma.linkClick.count({ where: { shopId: A.shop.id } });
    const response = await follow(A.linkSlugs[0]!);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(new RegExp(`^https://${A.marker.toLowerCase()}\\.example\\.com/`));
    expect(await prisma.linkClick.count({ where: { shopId: A.shop.id } })).toBe(before + 1);
  });

  it("B's slug with another case is no link, whatever shop's domain the request comes through", async () => {
    const slug = B.linkSlugs[0]!;
    const other = slug === slug.toUpperCase() ? slug.toLowerCase() : slug.toUpperCase();
    const response = await follow(other, { host: A.shop.domain, referer: `https://${A.shop.domain}/` });
    expect(response.status).toBe(404);
  });

  it("B's link counts for B's creator and sends to B's store even through A's domain: never A's", async () => {
    const aBefore = await snapshotShop(A.shop);
    const response = await follow(B.linkSlugs[0]!, { host: A.shop.domain, referer: `https://${A.shop.domain}/`, "x-forwarded-host": A.shop.domain });
    expect(response.headers.get("Location")).toMatch(new RegExp(`^https://${B.marker.toLowerCase()}\\.example\\.com/`));
    expect(await snapshotShop(A.shop)).toEqual(aBefore);
    // What it wrote is B's own click, on B's link and creator (and the day it makes B's rollups rebuild); B's
    // baseline is then brought up to date.
    const clicks = await prisma.linkClick.findMany({ where: { shopId: B.shop.id }, orderBy: { occurredAt: "asc" } });
    expect(clicks).toHaveLength(2);
    expect(clicks[1]).toMatchObject({ linkId: B.linkIds[0], creatorId: B.creatorIds[0] });
    const after = await snapshotShop(B.shop);
    expect(changedTables(bBaseline, after).sort()).toEqual(["LinkClick", "RollupChange"]);
    bBaseline = after;
  });
});

// ---------- Webhooks ----------

describe("webhooks signed for A", () => {
  async function deliverToA(topic: string, body: unknown, action = webhooksAction) {
    const eventId = randomUUID();
    const response = await action({ request: signedWebhookRequest({ topic, shop: A.shop.domain, body, eventId }), params: {}, context: {} });
    expect(response.status).toBe(200);
    return processInboxEvent(prisma, { shopDomain: A.shop.domain, eventId });
  }

  it("an order naming B's order id, confirmation number, code, link, click and handle is A's order, credited to nobody of B's", async () => {
    const payload = sampleOrder({ codes: [B.discountCodes[0]] });
    const bOrder = await prisma.order.findUniqueOrThrow({ where: { id: B.orderIds[0] } });
    Object.assign(payload, {
      admin_graphql_api_id: bOrder.shopifyOrderGid,
      id: Number(bOrder.shopifyOrderGid.split("/").at(-1)),
      confirmation_number: bOrder.confirmationNumber,
      landing_site: `/?utm_source=${B.handles[0]}&utm_content=${B.linkSlugs[0]}&cl_click=${B.clickIds[0]}&ref=${B.handles[1]}`,
      referring_site: `https://${B.handles[0]}.example.com/post`,
      note_attributes: [{ name: "ref", value: B.handles[0] }],
    });
    expect((await deliverToA("orders/updated", payload)).outcome).toBe("processed");
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_shopifyOrderGid: { shopId: A.shop.id, shopifyOrderGid: bOrder.shopifyOrderGid } } });
    const attribution = await prisma.attribution.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(attribution).toMatchObject({ shopId: A.shop.id, creatorId: null });
    expect(await prisma.ledgerEntry.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("a refund of B's order is stored for A only", async () => {
    const refund = shopifySample("refunds/create");
    const bOrder = await prisma.order.findUniqueOrThrow({ where: { id: B.orderIds[1] } });
    Object.assign(refund, { id: Date.now(), admin_graphql_api_id: `gid://shopify/Refund/${Date.now()}`, order_id: Number(bOrder.shopifyOrderGid.split("/").at(-1)) });
    expect((await deliverToA("refunds/create", refund)).outcome).toBe("processed");
  });

  it("deleting or renaming B's Shopify discount retires none of B's codes", async () => {
    expect((await deliverToA("discounts/delete", { admin_graphql_api_id: "gid://shopify/DiscountCodeNode/987654321" })).outcome).toBe("processed");
    expect((await deliverToA("discounts/redeemcode_removed", { admin_graphql_api_id: "gid://shopify/DiscountCodeNode/987654321", redeem_code: { code: B.discountCodes[1] } })).outcome).toBe("processed");
    expect((await deliverToA("discounts/redeemcode_added", { admin_graphql_api_id: "gid://shopify/DiscountCodeNode/987654321", redeem_code: { code: `${B.marker}NEW` } })).outcome).toBe("processed");
  });

  it("redacting B's customer through A's compliance webhook erases nothing of B's", async () => {
    const bOrder = await prisma.order.findUniqueOrThrow({ where: { id: B.orderIds[0] } });
    const customerId = Number(bOrder.customerGid?.split("/").at(-1) ?? 1);
    const payload = { ...shopifySample("customers/redact"), shop_domain: A.shop.domain, customer: { id: customerId }, orders_to_redact: [Number(bOrder.shopifyOrderGid.split("/").at(-1))] };
    expect((await deliverToA("customers/redact", payload, complianceAction)).outcome).toBe("processed");
  });
});

// ---------- Jobs, with A's shop id and B's object ids ----------

describe("jobs carrying A's shop id and B's ids", () => {
  it("process-inbox-event: B's event id under A's domain is missing, and B's event stays unprocessed", async () => {
    const job: ProcessInboxEventJob = { shopId: A.shop.id, shopDomain: A.shop.domain, eventId: bPendingEventId };
    expect(await processInboxEvent(prisma, job)).toMatchObject({ outcome: "missing" });
  });

  it("settle-creator-period: B's creator and unsettled period are not settled for A", async () => {
    const period = await prisma.creatorPeriod.findFirstOrThrow({ where: { shopId: B.shop.id, creatorId: B.creatorIds[0] } });
    expect(period.settledVersion).toBeLessThan(period.changeVersion);
    const outcome = await prisma.$transaction((tx) => settleCreatorPeriod(tx, { shopId: A.shop.id, creatorId: B.creatorIds[0], periodKey: period.periodKey }));
    expect(outcome).toEqual({ settled: false });
  });

  it("fetch-journey: B's order is missing for A, and Shopify is not asked", async () => {
    const asked: string[] = [];
    const admin: AdminGraphql = async (operation) => {
      asked.push(operation);
      return { order: null } as never;
    };
    const outcome = await refreshCustomerJourney(prisma, admin, { shopId: A.shop.id, orderId: B.orderIds[0]! });
    expect(outcome).toEqual({ outcome: "missing", changedPeriods: [] });
    expect(asked).toEqual([]);
  });

  it("sync-orders and sync-collection: B's syncs are missing for A, Shopify is not asked, and a final failure marks none of B's failed", async () => {
    const asked: string[] = [];
    const nothingQueued = { add: async () => undefined, addBulk: async () => [] } as never;
    const options = {
      db: prisma,
      queue: nothingQueued,
      inboxQueue: nothingQueued,
      commissionsQueue: nothingQueued,
      connection: undefined as never,
      adminFor: async (domain: string) => {
        asked.push(domain);
        return (async () => ({})) as unknown as AdminGraphql;
      },
    };
    expect(await runShopifyAdminJob(options, { kind: "sync-orders", shopId: A.shop.id, syncId: bRunningOrderSyncId })).toEqual({ missing: true });
    expect(await runShopifyAdminJob(options, { kind: "sync-collection", shopId: A.shop.id, syncId: B.collectionSyncId })).toEqual({ missing: true });
    expect(asked).toEqual([]);
    // What the worker does with such a job once it ran out of attempts: for A's shop id, B's syncs keep running.
    await failOrderSync(prisma, { shopId: A.shop.id, syncId: bRunningOrderSyncId }, "Shopify answered 502");
    await failCollectionSync(prisma, { shopId: A.shop.id, syncId: B.collectionSyncId }, "Shopify answered 502");
  });

  it("refresh-rollups: A's refresh leaves B's changed days for B's refresh", async () => {
    expect(await prisma.rollupChange.count({ where: { shopId: B.shop.id } })).toBeGreaterThan(0);
    await refreshShopRollups(prisma, A.shop.id);
  });

  it("send-period statements: A's pass sends A's creators' statements only", async () => {
    const sent: string[] = [];
    const mailer = { ...acceptingMailer, send: async (message: { to?: unknown }) => { sent.push(String(message.to)); return { response: "250 OK" }; } };
    const summary = await sendPeriodStatements(mailer, { shopId: A.shop.id, periodKey: B.period.key });
    expect(summary).toMatchObject({ creators: 2 });
    expectNothingOfB(sent.join(" "));
  });

  it("a statement of B's creator cannot be sent, resent or previewed for A", async () => {
    const request = { shopId: A.shop.id, creatorId: B.creatorIds[0], periodKey: B.period.key, requestedBy: "a-staff" };
    expect(await deliverStatement(acceptingMailer, request)).toBeNull();
    expect(await resendStatement(acceptingMailer, { ...request, requestKey: randomUUID() })).toBeNull();
    expect(await previewStatement(A.shop.id, B.creatorIds[0], B.period.key)).toBeNull();
  });
});
