// End to end, through real processes and a real browser: the store's access token stops working, so the worker's
// customer-journey fetch for a fresh order fails (Shopify answers 401); Shopify also delivers a webhook whose order
// the app cannot read, which the worker sets aside. The merchant sees both on the Background jobs page with their
// errors, the app's access comes back, and Retry runs the journey fetch again (it succeeds and leaves the list);
// Retry all runs the unreadable webhook again, which fails again and stays visible; Process again on the set-aside
// webhook queues it from zero attempts, and it is set aside again, still unreadable.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/background-jobs/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INBOX_QUEUE, inboxJobId, SHOPIFY_ADMIN_QUEUE } from "~/queues.server";
import { SEEDED_ACCESS_TOKEN } from "../support/admin-api";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "background-jobs", shopName: "E2E Background Jobs Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Maya Fit", handle: "maya-fit", discountCode: `MAYA${e2e.run.toUpperCase()}`, revenueSharePercent: "10" };
const UNREADABLE_ORDER = { id: 1, name: "#1" };

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("background jobs page, end to end", () => {
  let page: Page;
  let app: FrameLocator;
  let redis: Redis;
  let queues: { inbox: Queue; shopifyAdmin: Queue };

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
    // The worker's queues, read here only to know when it has done its part.
    redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
    queues = {
      inbox: new Queue(INBOX_QUEUE, { connection: redis, prefix: e2e.queuePrefix }),
      shopifyAdmin: new Queue(SHOPIFY_ADMIN_QUEUE, { connection: redis, prefix: e2e.queuePrefix }),
    };
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    redis?.disconnect();
    await e2e.stop();
  });

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;
  const card = (heading: string) => app.getByRole("heading", { name: heading, exact: true }).locator("xpath=ancestor::div[contains(@class,'Polaris-ShadowBevel')][1]");
  // A table row; on a phone's width the table is a list, one item per job.
  const failedRow = (text: string) => card("Failed jobs").locator("tr, li").filter({ hasText: text });
  /** The admin opened afresh, then Background jobs from its nav. */
  const openJobsPage = async () => {
    await e2e.openAdmin();
    await page.getByRole("link", { name: "Background jobs" }).click();
    await app.getByRole("heading", { name: "Background jobs", level: 1 }).waitFor({ timeout: 20_000 });
  };

  it("shows a failed journey fetch and an unreadable webhook, retries them, and the fixed one leaves the list", async () => {
    try {
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      await e2e.addCreator(CREATOR);

      // Nothing has failed yet.
      await openJobsPage();
      await app.getByText("Everything is running", { exact: true }).waitFor({ timeout: 15_000 });
      expect(squash(await card("Webhooks from Shopify").innerText())).toMatch(/Set aside 0/);
      await screenshot("00-everything-running");

      // A shopper orders with Maya's code; the worker ingests and credits it.
      const orderName = (await e2e.placeOrders({ code: CREATOR.discountCode })).orders[0]!.name;
      await expect
        .poll(() => db().attribution.count({ where: { shopId: shop.id } }), { timeout: 20_000, interval: 250 })
        .toBe(1);
      const order = await db().order.findFirstOrThrow({ where: { shopId: shop.id, name: orderName } });
      expect(order).toMatchObject({ journeyStatus: "PENDING", journeyAttempts: 0 });

      // The worker's first reconciliation with Shopify has run (the next one is due in 15 minutes, after this test).
      await expect
        .poll(() => db().orderSync.count({ where: { shopId: shop.id, kind: "RECONCILE", status: "SUCCEEDED" } }), { timeout: 45_000, interval: 250 })
        .toBe(1);

      // The store's access token stops working (revoked in Shopify). The order is made due its journey (as if placed
      // an hour ago), which the worker's sweep asks Shopify for on its next round.
      const sessionId = `offline_${SHOP.domain}`;
      await db().session.update({ where: { id: sessionId }, data: { accessToken: `shpat_revoked_${e2e.run}` } });
      await db().order.update({ where: { id: order.id }, data: { journeyCheckedAt: new Date(Date.now() - 3_600_000) } });
      const journeyJobId = `journey-${order.id}-0`;
      await expect
        .poll(() => queues.shopifyAdmin.getJobState(journeyJobId), { timeout: 60_000, interval: 250 })
        .toBe("failed");

      // Shopify delivers an orders/create webhook whose order cannot be read. (Imported here: the helper loads the
      // app's Shopify module, which opens the database client, and that must happen once it names the e2e database.)
      const { signedWebhookRequest } = await import("../helpers/webhooks");
      const eventId = randomUUID();
      const signed = signedWebhookRequest({ topic: "orders/create", shop: SHOP.domain, body: UNREADABLE_ORDER, eventId, secret: e2e.apiSecret });
      const delivered = await fetch(`${e2e.harness!.url}/webhooks`, { method: "POST", headers: signed.headers, body: await signed.text() });
      expect(delivered.status).toBe(200);
      const webhookJobId = inboxJobId({ shopDomain: SHOP.domain, eventId });
      await expect.poll(() => queues.inbox.getJobState(webhookJobId), { timeout: 20_000, interval: 250 }).toBe("failed");

      // The merchant opens Background jobs: both failures, in their words, with the errors.
      await openJobsPage();
      const journeyRow = failedRow(`Fetch customer journey for ${orderName}`);
      await journeyRow.waitFor({ timeout: 20_000 });
      expect(squash(await journeyRow.innerText())).toMatch(
        /^Fetch customer journey for \S+ Shopify data \(journeys, imports, collections\) Shopify refused the shop's access token \(401\) 1 \w{3} \d+, \d{4}, \d+:\d\d [AP]M Retry$/,
      );
      const webhookRow = failedRow("Process orders/create webhook for #1");
      expect(squash(await webhookRow.innerText())).toMatch(/Webhooks and orders Order payload rejected.* 1 .* Retry$/);
      expect(squash(await card("Failed jobs").innerText())).toMatch(/^Failed jobs Critical 2 Retry all/);
      expect(squash(await card("Webhooks from Shopify").innerText())).toMatch(/Set aside 1/);
      const setAside = card("Webhooks set aside").getByRole("row").filter({ hasText: "Process orders/create webhook for #1" });
      expect(squash(await setAside.innerText())).toMatch(new RegExp(`Event ${eventId} Order payload rejected.* 10 Process again$`));
      const queuesCard = squash(await card("Queues").innerText());
      expect(queuesCard).toMatch(/Webhooks and orders 0 1 \d+ \d+/);
      expect(queuesCard).toMatch(/Shopify data \(journeys, imports, collections\) 0 1 \d+ \d+/);
      await screenshot("01-failures");

      // At narrower admin widths: a laptop with the admin's sidebar, and a phone (the harness keeps its 240px nav,
      // so the app gets 400px, as on a phone where the admin's nav is folded away): the table becomes a list.
      const viewport = page.viewportSize()!;
      try {
        await page.setViewportSize({ width: 1024, height: viewport.height });
        await screenshot("02-failures-laptop");
        await page.setViewportSize({ width: 640, height: viewport.height });
        await card("Failed jobs").locator("li").filter({ hasText: `Fetch customer journey for ${orderName}` }).getByRole("button", { name: "Retry" }).waitFor();
        expect(await card("Failed jobs").locator("li").filter({ hasText: "Shopify refused the shop's access token (401)" }).count()).toBe(1);
        await screenshot("03-failures-phone");
      } finally {
        await page.setViewportSize(viewport);
      }

      // The merchant restores the app's access (the token works again) and retries the journey fetch.
      await db().session.update({ where: { id: sessionId }, data: { accessToken: SEEDED_ACCESS_TOKEN } });
      await journeyRow.getByRole("button", { name: "Retry" }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: `Retrying: Fetch customer journey for ${orderName}` }).waitFor({ timeout: 15_000 });
      await page.locator("#toasts").getByText(`Retrying: Fetch customer journey for ${orderName}`).waitFor({ timeout: 15_000 });
      await journeyRow.waitFor({ state: "detached", timeout: 15_000 });
      // It ran, this time reaching Shopify: the order's journey was asked for once.
      await expect
        .poll(async () => (await db().order.findUniqueOrThrow({ where: { id: order.id } })).journeyAttempts, { timeout: 20_000, interval: 250 })
        .toBe(1);
      expect(await queues.shopifyAdmin.getJob(journeyJobId)).toBeUndefined(); // completed jobs are not kept
      await openJobsPage();
      await failedRow("Process orders/create webhook for #1").waitFor();
      expect(await failedRow("Fetch customer journey").count()).toBe(0);
      expect(squash(await card("Failed jobs").innerText())).toMatch(/^Failed jobs Critical 1 Retry all/);
      await screenshot("04-journey-retried");

      // Retry all runs the unreadable webhook again: it cannot be read this time either and is back, one attempt more.
      await card("Failed jobs").getByRole("button", { name: "Retry all" }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: "Retrying 1 job" }).waitFor({ timeout: 15_000 });
      await expect
        .poll(async () => {
          const job = await queues.inbox.getJob(webhookJobId);
          return job && (await job.isFailed()) ? job.attemptsMade : null;
        }, { timeout: 20_000, interval: 250 })
        .toBe(2);
      await openJobsPage();
      await failedRow("Process orders/create webhook for #1").waitFor();
      expect(squash(await failedRow("Process orders/create webhook for #1").innerText())).toMatch(/Order payload rejected.* 2 .* Retry$/);
      await screenshot("05-webhook-failed-again");

      // Process again on the set-aside webhook: it goes back to the queue from zero attempts, still cannot be read,
      // and is set aside again at once, with its reason.
      const letter = await db().inboxEvent.findFirstOrThrow({ where: { shopDomain: SHOP.domain, eventId } });
      await card("Webhooks set aside").getByRole("row").filter({ hasText: eventId }).getByRole("button", { name: "Process again" }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: "Processing again: Process orders/create webhook for #1" }).waitFor({ timeout: 15_000 });
      // The action reset its attempts before the banner showed; back at 10, the worker has set it aside again.
      await expect
        .poll(async () => (await db().inboxEvent.findUniqueOrThrow({ where: { id: letter.id } })).attempts, { timeout: 20_000, interval: 250 })
        .toBe(10);
      await openJobsPage();
      expect(squash(await card("Webhooks set aside").getByRole("row").filter({ hasText: eventId }).innerText())).toMatch(/Order payload rejected.* 10 Process again$/);
      await screenshot("06-webhook-set-aside-again");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 180_000);
});
