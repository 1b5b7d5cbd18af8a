// End to end, through real processes and a real browser: a shopper orders with a creator's code, the worker credits
// the creator; the merchant opens the order from the Orders page, reads why it credits that creator (the verdict and
// its evidence), overrides the credit to another creator with a reason, and sees the ledger follow and the change in
// the audit trail. Then the merchant edits the attribution rules: an invalid window is refused, a valid one saved.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/orders/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam } from "../harness/session-token";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "orders", shopName: "E2E Orders Store" });
const SHOP = e2e.shop;
const MAYA = {
  name: "Maya Fit",
  handle: "maya-fit",
  discountCode: `MAYA${e2e.run.toUpperCase()}`,
  revenueSharePercent: "10",
};
const LEO = {
  name: "Leo Runs",
  handle: "leo-runs",
  discountCode: `LEO${e2e.run.toUpperCase()}`,
  revenueSharePercent: "15",
};
const REASON = "Leo's unboxing video sent this shopper; Maya's code came from a newsletter";

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("orders and attribution, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;
  /** A card's content: the stack its heading opens (Polaris 13 cards carry no class of their own to find them by). */
  const card = (heading: string) => app.getByRole("heading", { name: heading, exact: true }).locator("xpath=..");

  it("explains an order's credit, overrides it with a reason, and audits the change", async () => {
    try {
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      for (const creator of [MAYA, LEO]) await e2e.addCreator(creator);

      // Before any order: the Orders page says where orders come from.
      await e2e.openAdmin();
      await page.getByRole("link", { name: "Orders" }).click();
      await app.getByText("No orders yet", { exact: true }).waitFor({ timeout: 15_000 });
      expect(await app.getByRole("link", { name: "Import past orders" }).count()).toBeGreaterThan(0);
      await screenshot("00-orders-empty");

      // A shopper orders with Maya's code; Shopify (the simulator) delivers orders/create, the worker credits Maya.
      const { orders, deliveries } = await e2e.placeOrders({ code: MAYA.discountCode });
      expect(deliveries).toEqual([expect.objectContaining({ state: "delivered", lastStatus: 200 })]);
      const orderName = orders[0]!.name;
      await expect
        .poll(() => db().attribution.count({ where: { shopId: shop.id } }), { timeout: 20_000, interval: 250 })
        .toBe(1);

      // The Orders page lists it, credited to Maya by her discount code.
      await page.getByRole("link", { name: "Orders" }).click();
      await app.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
      const row = app.getByRole("row").filter({ hasText: orderName });
      await row.waitFor();
      expect(squash(await row.innerText())).toMatch(new RegExp(`${escapeRegExp(orderName)} .*Maya Fit.*Discount code`));
      await screenshot("01-orders-list");

      // Searching by name: another name finds nothing, this one finds the order again.
      const search = app.getByPlaceholder("Search by order name, like #1001");
      await search.fill("#no-such-order");
      await app.getByText("No orders match").waitFor({ timeout: 10_000 });
      await search.fill(orderName);
      await row.waitFor({ timeout: 10_000 });
      expect(new URL(page.frame({ name: "app-iframe" })!.url()).searchParams.get("q")).toBe(orderName);

      // The order's page: why it credits Maya, with the evidence.
      await row.getByRole("link", { name: orderName }).click();
      await app.getByRole("heading", { name: orderName, level: 1 }).waitFor();
      const why = card("Why this creator?");
      await why.waitFor();
      expect(squash(await why.innerText())).toMatch(/Credited to Maya Fit by discount code \S+ — \d+% confidence/);
      const evidence = app.locator("table").first().getByRole("row").filter({ hasText: "Discount code" }).first();
      expect(squash(await evidence.innerText())).toMatch(
        new RegExp(`^Discount code ${MAYA.discountCode} — Maya Fit .*Decisive decides`, "i"),
      );
      await screenshot("02-order-why");

      // Override: credit Leo instead, with a reason.
      const override = card("Override the credit");
      await override.getByLabel("Credit", { exact: true }).selectOption({ label: LEO.name });
      await override.getByLabel("Reason", { exact: true }).fill(REASON);
      await override.getByRole("button", { name: "Override", exact: true }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: "Override saved" }).waitFor({ timeout: 15_000 });
      await page.locator("#toasts").getByText("Override saved").waitFor({ timeout: 15_000 });
      // The banner comes with the action's answer; the page's data a moment later, once the loader has run again.
      await card("Why this creator?").getByText("Credited to Leo Runs by your override").waitFor({ timeout: 15_000 });
      expect(squash(await card("Override").innerText())).toContain(
        `You credited this order to Leo Runs, whatever its signals say. Reason: ${REASON}`,
      );

      // The audit trail records who, what and why.
      const audit = card("Audit trail").locator("xpath=..").getByRole("row").filter({ hasText: "Overrode the credit" });
      expect(squash(await audit.innerText())).toMatch(
        new RegExp(`Staff member 1 Overrode the credit Maya Fit → Leo Runs ${escapeRegExp(REASON)}`),
      );

      // The ledger follows at once: Maya's commission reversed, Leo's posted.
      const ledger = squash(await card("Ledger entries").locator("xpath=../..").innerText());
      expect(ledger).toMatch(/Maya Fit Commission/);
      expect(ledger).toMatch(/Maya Fit Reversal/);
      expect(ledger).toMatch(/Leo Runs Commission/);
      const order = await db().order.findFirstOrThrow({
        where: { shopId: shop.id, name: orderName },
        include: { attribution: true },
      });
      expect(order.attribution).toMatchObject({ method: "MANUAL_OVERRIDE", overridden: true, overrideReason: REASON });
      const entries = await db().ledgerEntry.findMany({
        where: { orderId: order.id },
        include: { creator: { select: { name: true } } },
      });
      const net = (name: string) =>
        entries.filter((e) => e.creator.name === name).reduce((sum, e) => sum + e.amountMinor, 0n);
      expect(net(MAYA.name)).toBe(0n);
      expect(net(LEO.name)).toBeGreaterThan(0n);
      await screenshot("03-order-overridden");

      // The same page at a narrower admin width (a laptop with the admin's sidebar).
      const viewport = page.viewportSize()!;
      await page.setViewportSize({ width: 1024, height: viewport.height });
      try {
        await screenshot("04-order-narrow");
      } finally {
        await page.setViewportSize(viewport);
      }

      // Unknown orders are a 404 page, not an error (loaded the way admin loads a page: the bounce page adds the token).
      const frame = page.frame({ name: "app-iframe" })!;
      await frame.goto(
        `${e2e.harness!.url}/app/orders/${crypto.randomUUID()}?embedded=1&shop=${SHOP.domain}&host=${adminHostParam(
          SHOP.domain,
        )}`,
      );
      await app.getByRole("heading", { name: "Order not found", level: 1 }).waitFor({ timeout: 15_000 });
      await screenshot("05-order-not-found");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);

  it("refuses an invalid attribution window, then saves valid rules", async () => {
    try {
      await e2e.openAdmin();
      await page.getByRole("link", { name: "Attribution" }).click();
      await app.getByRole("heading", { name: "Attribution", level: 1 }).waitFor({ timeout: 15_000 });
      await e2e.appReady();
      await screenshot("06-rules");

      const windowDays = app.getByLabel("Attribution window (days)");
      await windowDays.fill("0");
      await app.getByRole("button", { name: "Save", exact: true }).click();
      await app.getByText("Enter a window between 1 and 365 days").waitFor({ timeout: 15_000 });
      await app.locator(".Polaris-Banner").filter({ hasText: "One setting needs a change" }).waitFor();
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      expect(shop.attributionRules).toEqual({});
      await screenshot("07-rules-invalid");

      // A valid window, and the survey answer above the referring site.
      await windowDays.fill("14");
      await app.getByRole("button", { name: "Move survey answer up" }).click();
      await app.getByRole("button", { name: "Save", exact: true }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: "Attribution rules saved" }).waitFor({ timeout: 15_000 });
      await page.locator("#toasts").getByText("Attribution rules saved").waitFor({ timeout: 15_000 });
      expect(await app.getByText("Enter a window between 1 and 365 days").count()).toBe(0);
      const saved = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      expect(saved.attributionRules).toMatchObject({
        windowDays: 14,
        precedence: [
          "discount_code",
          "tracking_link",
          "ref_param",
          "utm",
          "cart_attribute",
          "customer_journey",
          "survey",
          "referring_site",
        ],
      });
      expect(await windowDays.inputValue()).toBe("14");
      await screenshot("08-rules-saved");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 60_000);

  it("holds a flagged order's commission until the merchant approves it", async () => {
    try {
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      const { reattributeOrder } = await import("~/services/ingest-order.server");
      const SAM = {
        name: "Sam Self",
        handle: "sam-self",
        discountCode: `SAM${e2e.run.toUpperCase()}`,
        revenueSharePercent: "20",
      };
      const samId = await e2e.addCreator(SAM);

      const orderName = (await e2e.placeOrders({ code: SAM.discountCode })).orders[0]!.name;
      await expect
        .poll(
          () =>
            db().attribution.findFirst({
              where: { shopId: shop.id, order: { name: orderName } },
              select: { creatorId: true },
            }),
          { timeout: 20_000, interval: 250 },
        )
        .toEqual({ creatorId: samId });
      const order = await db().order.findFirstOrThrow({ where: { shopId: shop.id, name: orderName } });
      // The buyer turns out to be Sam's own customer account: attributed again, the order is a self-referral.
      expect(order.customerGid).not.toBeNull();
      await db().creator.update({ where: { id: samId }, data: { customerGid: order.customerGid } });
      await db().$transaction((tx) => reattributeOrder(tx, shop, order.id));

      await e2e.openAdmin();
      await page.getByRole("link", { name: "Orders" }).click();
      await app.getByRole("heading", { name: "Orders", level: 1 }).waitFor();

      // The "Needs review" filter lists it, and only what needs review.
      await app.getByRole("button", { name: "Review", exact: true }).click();
      // Polaris draws its own radio over the (transparent) input: click the choice's label, as a person does.
      await app
        .locator("label")
        .filter({ hasText: /^Needs review$/ })
        .click();
      await page.keyboard.press("Escape");
      const rows = app.locator("table tbody tr");
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      expect(squash(await rows.first().innerText())).toMatch(
        new RegExp(`${escapeRegExp(orderName)} .*Sam Self.*Self-referral.*Needs review`),
      );
      await screenshot("09-orders-needs-review");

      await rows.first().getByRole("link", { name: orderName }).click();
      await app.getByRole("heading", { name: orderName, level: 1 }).waitFor();
      const flags = card("Flags").locator("xpath=..");
      expect(squash(await flags.innerText())).toContain("Self-referral");
      expect(squash(await flags.innerText())).toContain(
        "Sam Self's commission on this order is held until you decide.",
      );
      await screenshot("10-order-flagged");

      await flags.getByLabel("Reason").fill("Sam bought a gift for a follower");
      await flags.getByRole("button", { name: "Approve" }).click();
      await app
        .locator(".Polaris-Banner")
        .filter({ hasText: "Order approved: its commission is posted" })
        .waitFor({ timeout: 15_000 });
      await flags.getByText(/^Approved .*: Sam Self is paid for this order\.$/).waitFor({ timeout: 15_000 });
      const audit = card("Audit trail").locator("xpath=..").getByRole("row").filter({ hasText: "Approved the review" });
      expect(squash(await audit.innerText())).toContain("Sam bought a gift for a follower");
      const entries = await db().ledgerEntry.findMany({ where: { orderId: order.id } });
      expect(entries.reduce((sum, e) => sum + e.amountMinor, 0n)).toBeGreaterThan(0n);
      expect(await db().attribution.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
        reviewStatus: "APPROVED",
      });
      await screenshot("11-order-approved");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 90_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
