// End to end: a shop's orders ship to different states; the merchant sets up a geo split for a creator in the real
// admin form (first with mistakes, which the form explains), and the result page shows the incremental orders the
// worker's region rollups imply.
//
// Orders are placed in the store simulator with chosen shipping states and days, delivered as signed webhooks, stored
// with their shipping region by the worker, and rolled up per region and day. Screenshots: test/artifacts/e2e/experiments/.
import { tz } from "@date-fns/tz";
import { format, subDays } from "date-fns";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "experiments", shopName: "E2E Experiments Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Ava Martinez", handle: `ava-${e2e.run}`, discountCode: `AVA${e2e.run.toUpperCase()}`, revenueSharePercent: "10" };

/** YYYY-MM-DD, `days` days before today in the shop's timezone. */
const daysAgo = (days: number) => format(subDays(new Date(), days), "yyyy-MM-dd", { in: tz(SHOP.timezone) });
const BASELINE = { from: daysAgo(8), to: daysAgo(6) };
const TEST = { from: daysAgo(4), to: daysAgo(2) };
// Orders per window and state: California (exposed) quadruples during the test, New York (control) stays flat.
const ORDERS = [
  { region: "US-CA", days: [8, 7, 6], perDay: [4, 3, 3] },
  { region: "US-NY", days: [8, 7, 6], perDay: [3, 4, 3] },
  { region: "US-CA", days: [4, 3, 2], perDay: [14, 13, 13] },
  { region: "US-NY", days: [4, 3, 2], perDay: [3, 3, 4] },
  // Elsewhere: in neither group.
  { region: "US-TX", days: [7, 3], perDay: [5, 5] },
];

describe.skipIf(process.env.SKIP_E2E === "1")("experiments, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  it("creates a geo split (after fixing what the form refuses) and shows its incremental orders", async () => {
    try {
      await e2e.addCreator(CREATOR);

      // Shoppers in chosen states order on chosen days; Shopify (the simulator) delivers each orders/create.
      const simulator = e2e.simulator!.simulator;
      const deliveries = [];
      for (const { region, days, perDay } of ORDERS) {
        for (const [index, ago] of days.entries()) {
          for (let n = 0; n < perDay[index]!; n++) {
            // Mid-day in New York, spread over an hour.
            const placedAt = new Date(`${daysAgo(ago)}T16:${String(n).padStart(2, "0")}:00Z`);
            const { events } = simulator.generator.placeOrder({ placedAt, shipTo: region, allowHouseCode: false });
            deliveries.push(...simulator.deliver(events));
          }
        }
      }
      await simulator.deliverer.settled(deliveries);
      expect(deliveries.every((delivery) => delivery.state === "delivered")).toBe(true);
      // The worker stores each order with its region, then rolls the days up per region.
      const db = e2e.seed!.prisma;
      const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      await expect
        .poll(() => db.order.count({ where: { shopId: shop.id, shippingRegion: "US-CA" } }), { timeout: 30_000, interval: 500 })
        .toBe(50);
      await expect
        .poll(async () => (await db.regionDailyRollup.aggregate({ where: { shopId: shop.id }, _sum: { orders: true } }))._sum.orders, {
          timeout: 30_000,
          interval: 500,
        })
        .toBe(80);

      await page.setViewportSize({ width: 1280, height: 900 });
      // The admin opened on the app's Experiments page, as Shopify admin opens an app's page from its nav.
      const openAt = (path: string) => page.goto(`${e2e.harness!.url}/admin?path=${encodeURIComponent(path)}`);
      await openAt("/app/experiments");
      await app.getByText("Find out which creators bring orders you would not have had").waitFor({ timeout: 20_000 });
      await e2e.appReady();
      await e2e.screenshot("01-empty");
      await app.getByRole("link", { name: "New experiment" }).first().click();
      await app.getByLabel("Name").waitFor();

      // The busiest states are suggested once the worker has rolled the orders up.
      await expect
        .poll(
          async () => {
            await openAt("/app/experiments/new");
            await app.getByLabel("Name").waitFor({ timeout: 20_000 });
            return app.getByText(/Your orders ship most to/).innerText().catch(() => "");
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toContain("US-CA (50)");
      await e2e.appReady();

      await app.getByLabel("Name").fill("Ava — California test");
      await app.getByLabel("Creators").fill("ava");
      await app.getByRole("option", { name: new RegExp(CREATOR.name) }).click();
      await app.getByLabel("Exposed regions").fill("US-CA, California");
      await app.getByLabel("Control regions").fill("US-NY");
      await app.getByLabel("Test starts").fill(TEST.from);
      await app.getByLabel("Test ends").fill(TEST.to);
      await app.getByLabel("Baseline starts").fill(BASELINE.from);
      // Overlaps the test.
      await app.getByLabel("Baseline ends").fill(TEST.from);
      await app.getByRole("button", { name: "Create experiment" }).click();

      const banner = app.getByText("The experiment was not saved");
      await banner.waitFor();
      await expect.poll(() => app.getByText("“CALIFORNIA” is not a region code").count()).toBeGreaterThan(0);
      await expect.poll(() => app.getByText("The baseline must end before the test starts").count()).toBeGreaterThan(0);
      // The chosen creator is kept.
      expect(await app.getByText(CREATOR.name).count()).toBeGreaterThan(0);
      await e2e.screenshot("02-invalid", { wholeApp: true });

      await app.getByLabel("Exposed regions").fill("US-CA");
      await app.getByLabel("Baseline ends").fill(BASELINE.to);
      await app.getByRole("button", { name: "Create experiment" }).click();

      // Exposed 40 test orders against 10 × 10 ÷ 10 = 10 expected: +30 orders, +300%.
      await app.getByRole("heading", { name: "Ava — California test" }).waitFor({ timeout: 20_000 });
      await app.getByText("40 orders against 10 expected").waitFor();
      const metrics = (await app.locator("body").innerText()).replace(/\s+/g, " ");
      expect(metrics).toContain("Incremental orders +30");
      expect(metrics).toContain("Order lift +300.0%");
      expect(metrics).toContain("Incremental");
      await app.getByTestId("experiment-chart").locator("svg").first().waitFor({ timeout: 15_000 });
      // polaris-viz animates its lines in (and again after a resize): shoot once they have settled.
      const chartSettled = () => page.waitForTimeout(1_500);
      await chartSettled();
      await e2e.screenshot("03-result-1280", { wholeApp: true });
      await page.setViewportSize({ width: 600, height: 900 });
      await chartSettled();
      await e2e.screenshot("04-result-600", { wholeApp: true });
      await page.setViewportSize({ width: 1280, height: 900 });

      await openAt("/app/experiments");
      await e2e.appReady();
      const row = app.getByRole("row").filter({ hasText: "Ava — California test" });
      await row.waitFor();
      const text = (await row.innerText()).replace(/\s+/g, " ");
      expect(text).toContain("Geo split");
      expect(text).toContain(CREATOR.name);
      expect(text).toContain("+300.0%");
      expect(text).toContain("Incremental");
      await e2e.screenshot("05-list", { wholeApp: true });
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 240_000);
});
