// End to end, through real processes and a real browser: a merchant adds a creator with segment tags, a shopper
// orders with the creator's code, the worker attributes the orders and rebuilds the rollups, and the creator's page
// shows the KPIs and the charts. The merchant then records costs: a bad one (refused with a banner and the field's
// message), a flat fee, and seeded products whose cost per item comes from Shopify (the simulator's
// InventoryItem.unitCost); and deletes the fee.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/creator-page/. Set SKIP_E2E=1 to skip.
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "creator-page", shopName: "E2E Creator Page Store" });
const CREATOR = { name: "Noor Haddad", code: `NOOR${e2e.run.toUpperCase()}`, share: "10", niche: "trail running" };
const BOTTLE = { title: "Summit Water Bottle", priceMinor: 3_000, unitCostMinor: 1_250 };

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("creator page, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;

  async function openCreatorPage() {
    await page.getByRole("link", { name: "Creators" }).click();
    await app.getByRole("heading", { name: "Creators" }).waitFor();
    await app.getByRole("link", { name: CREATOR.name }).click();
    await app.getByRole("heading", { name: CREATOR.name, level: 1 }).waitFor();
  }

  /** A KPI card's value and change, as the merchant reads them. */
  async function kpi(label: string): Promise<string> {
    const card = app.locator("h3", { hasText: new RegExp(`^${label}$`) }).locator("xpath=..");
    return squash(await card.innerText());
  }

  it("shows a creator's KPIs and charts, and records, refuses and deletes costs", async () => {
    try {
      // The admin afresh; the home page's content is not this test's subject, only that the app answered.
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      await e2e.appReady();

      // The merchant adds the creator through the real form, with segment tags.
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("link", { name: "Add creator" }).first().click();
      await app.getByLabel("Name").waitFor();
      await app.getByLabel("Name").fill(CREATOR.name);
      await app.getByLabel("Discount code").fill(CREATOR.code);
      await app.getByLabel("Revenue share (%)").fill(CREATOR.share);
      await app.getByLabel("Platform").selectOption({ label: "TikTok" });
      await app.getByLabel("Funnel stage").selectOption({ label: "Awareness" });
      await app.getByLabel("Niche").fill(`  ${CREATOR.niche} `);
      await screenshot("01-add-creator-with-segments");
      await app.getByRole("button", { name: "Save" }).click();
      await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
      const row = app.locator("tr", { hasText: CREATOR.name });
      await expect.poll(async () => squash(await row.innerText())).toContain("TikTok Awareness stage trail running");
      const creator = await db().creator.findFirstOrThrow({ where: { name: CREATOR.name } });
      expect({ platform: creator.platform, funnelStage: creator.funnelStage, niche: creator.niche }).toEqual({
        platform: "TIKTOK",
        funnelStage: "AWARENESS",
        niche: CREATOR.niche,
      });
      await screenshot("02-creators-list-badges");

      // Before any order: the page's empty state, and the cards that do not depend on orders.
      await openCreatorPage();
      await app.getByText("No orders or clicks in this date range").waitFor();
      await app.getByText("No costs recorded yet.").waitFor();
      await screenshot("03-creator-page-empty");

      // Shoppers order with the creator's code; the worker attributes them and rebuilds the day's rollups.
      const { orders } = await e2e.placeOrders({ code: CREATOR.code, count: 2 });
      expect(orders).toHaveLength(2);
      await expect
        .poll(
          async () => {
            await openCreatorPage();
            return (await app.getByRole("heading", { name: "Recent orders" }).count()) > 0 ? await kpi("Orders") : "";
          },
          { timeout: 45_000, interval: 1_000 },
        )
        .toMatch(/^Orders 2 /);
      const netMinor = orders.reduce((sum, order) => sum + BigInt(order.currentSubtotal.replace(".", "")), 0n);
      const dollars = (minor: bigint) => `$${(minor / 100n).toLocaleString("en-US")}.${(minor % 100n).toString().padStart(2, "0")}`;
      expect(await kpi("Net revenue")).toContain(dollars(netMinor));
      expect(await kpi("New customers")).toMatch(/^New customers \d/);
      // Both orders are listed with how they were credited.
      for (const order of orders) {
        await app.getByRole("link", { name: order.name, exact: true }).waitFor();
      }
      expect(await app.getByText(`Discount code: ${CREATOR.code}`).count()).toBeGreaterThan(0);
      // polaris-viz draws the charts in the browser after mount.
      await expect.poll(() => app.locator("svg path").count(), { timeout: 10_000 }).toBeGreaterThan(2);
      await screenshot("04-creator-page-kpis-and-charts");

      // A cost the merchant types wrong: refused with a banner and each field's message, nothing recorded.
      await app.getByLabel("Amount").fill("12,50");
      await app.getByRole("button", { name: "Add cost" }).click();
      await app.getByText("The cost was not added").waitFor();
      await app.getByText("Enter an amount like 250.00 (digits and one decimal point only)").waitFor();
      await app.getByText("Say what the cost was for").waitFor();
      expect(await db().creatorCost.count({ where: { creatorId: creator.id } })).toBe(0);
      await screenshot("05-bad-cost-refused");

      // A flat fee.
      await app.getByLabel("Amount").fill("150");
      await app.getByLabel("Description").fill("Launch video fee");
      await app.getByRole("button", { name: "Add cost" }).click();
      await page.locator("#toasts").getByText("Cost added").waitFor({ timeout: 15_000 });
      await app.getByText("Launch video fee").waitFor();

      // Seeded products: the variant picked from Shopify, its cost per item filled in from Shopify's unitCost.
      const bottle = e2e.simulator!.simulator.catalog.addProduct(BOTTLE);
      await app.getByLabel("Kind").selectOption({ label: "Product seeding" });
      await app.getByLabel("Product sent").fill("Summit wat");
      await app.getByRole("option", { name: /Summit Water Bottle - Default Title/ }).click();
      await expect.poll(() => app.getByLabel("Cost per item").inputValue()).toBe("12.5");
      await app.getByText("From Shopify (12.5 USD per item)").waitFor();
      await app.getByLabel("Quantity").fill("4");
      await app.getByLabel("Description").fill("Autumn samples");
      await screenshot("06-seeding-with-shopify-cost");
      await app.getByRole("button", { name: "Add cost" }).click();
      await app.getByText("4 × Summit Water Bottle - Default Title at $12.50 (cost in Shopify)").waitFor({ timeout: 15_000 });
      const seeded = await db().creatorCost.findFirstOrThrow({ where: { creatorId: creator.id, kind: "PRODUCT_SEEDING" } });
      expect(seeded).toMatchObject({
        variantGid: `gid://shopify/ProductVariant/${bottle.variants[0]!.id}`,
        quantity: 4,
        unitCostMinor: 1_250n,
        unitCostSource: "SHOPIFY",
        amountMinor: 5_000n,
      });

      // The fee was a mistake: deleting asks first, then removes it.
      await app.getByRole("button", { name: "Delete Launch video fee" }).click();
      await app.getByText("Delete “Launch video fee”?").waitFor();
      await screenshot("07-delete-confirmation");
      await app.getByRole("button", { name: "Delete cost" }).click();
      await page.locator("#toasts").getByText("Cost deleted").waitFor({ timeout: 15_000 });
      await expect.poll(() => app.getByText("Launch video fee").count()).toBe(0);
      expect(await db().creatorCost.findMany({ where: { creatorId: creator.id }, select: { kind: true } })).toEqual([{ kind: "PRODUCT_SEEDING" }]);

      // The seeding counts in the creator's total cost (with their commissions) once the worker has rebuilt the day;
      // the deleted fee does not.
      const commissions = await db().ledgerEntry.aggregate({ where: { creatorId: creator.id }, _sum: { amountMinor: true } });
      await expect
        .poll(
          async () => {
            await openCreatorPage();
            return kpi("Total cost");
          },
          { timeout: 45_000, interval: 1_000 },
        )
        .toContain(dollars((commissions._sum.amountMinor ?? 0n) + 5_000n));
      await screenshot("08-creator-page-1280");

      // At a narrow Shopify admin width the page still reads top to bottom.
      const viewport = page.viewportSize()!;
      await page.setViewportSize({ width: 600, height: viewport.height });
      try {
        await app.getByRole("heading", { name: CREATOR.name, level: 1 }).waitFor();
        await screenshot("09-creator-page-600");
      } finally {
        await page.setViewportSize(viewport);
      }
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 240_000);
});
