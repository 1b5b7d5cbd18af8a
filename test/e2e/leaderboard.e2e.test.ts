// End to end, through real processes and a real browser: a merchant adds a creator in the embedded admin, a shopper
// orders with the creator's code, Shopify (the simulator) sends the signed webhook, the worker attributes the order,
// and the leaderboard shows the creator's order and commission.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/leaderboard/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam } from "../harness/session-token";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "leaderboard", shopName: "E2E Creator Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Ava Martinez", email: "ava@example.com", code: `AVA${e2e.run.toUpperCase()}`, share: "12.5" };

describe.skipIf(process.env.SKIP_E2E === "1")("leaderboard, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  const appReady = () => e2e.appReady();
  const screenshot = (name: string) => e2e.screenshot(name);

  it("shows a new creator's order and commission on the leaderboard", async () => {
    try {
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      expect(await page.getByTestId("shop-name").innerText()).toContain(SHOP.domain);
      await app.getByRole("heading", { name: "Leaderboard" }).waitFor({ timeout: 20_000 });
      await appReady();
      await screenshot("01-leaderboard-before");

      // The merchant adds the creator through the real form.
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("heading", { name: "Creators" }).waitFor();
      await app.getByRole("link", { name: "Add creator" }).first().click();
      await app.getByLabel("Name").waitFor();
      await app.getByLabel("Name").fill(CREATOR.name);
      await app.getByLabel("Email").fill(CREATOR.email);
      await app.getByLabel("Discount code").fill(CREATOR.code);
      await app.getByLabel("Revenue share (%)").fill(CREATOR.share);
      await screenshot("02-add-creator");
      await app.getByRole("button", { name: "Save" }).click();
      // The app's toast goes through the App Bridge stand-in to the shell, as it would to Shopify admin.
      await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
      await app.getByText(CREATOR.name).first().waitFor();
      await screenshot("03-creator-saved");

      // A shopper orders with the creator's code, typed their own way; Shopify delivers orders/create.
      const { orders, deliveries } = await e2e.placeOrders({ code: ` ${CREATOR.code.toLowerCase()}` });
      expect(deliveries).toEqual([expect.objectContaining({ state: "delivered", lastStatus: 200 })]);

      // Expected: revenue share of the order's merchandise after discounts (no tax, no shipping), rounded half-up.
      const netMinor = BigInt(orders[0]!.currentSubtotal.replace(".", ""));
      const commissionMinor = (netMinor * 1250n + 5_000n) / 10_000n;
      const usd = (minor: bigint) =>
        new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);

      // The leaderboard catches up once the worker has processed the event.
      await page.getByRole("link", { name: "Leaderboard" }).click();
      const row = app.getByRole("row").filter({ hasText: CREATOR.name });
      await expect
        .poll(
          async () => {
            await page.getByRole("link", { name: "Leaderboard" }).click();
            await app.getByRole("heading", { name: "Leaderboard" }).waitFor();
            return (await row.count()) > 0 ? (await row.first().innerText()).replace(/\s+/g, " ").trim() : "(no row)";
          },
          { timeout: 30_000, interval: 750 },
        )
        // No link clicks yet: 0 clicks, no conversion rate.
        .toBe(`${CREATOR.name} ${CREATOR.code} 0 — 1 ${usd(netMinor)} ${usd(commissionMinor)}`);
      await screenshot("04-leaderboard-after");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);

  it("recovers a missing session token through the app's bounce page, as Shopify admin does", async () => {
    // A document request without id_token (a reload, a link opened in the frame) is sent to the app's bounce page,
    // which loads App Bridge (here: the stand-in, via APP_BRIDGE_URL) to come back with a fresh token.
    const frame = page.frame({ name: "app-iframe" })!;
    await frame.goto(`${e2e.harness!.url}/app/creators?embedded=1&shop=${SHOP.domain}&host=${adminHostParam(SHOP.domain)}`);
    await app.getByRole("heading", { name: "Creators" }).waitFor({ timeout: 15_000 });
    expect(frame.url()).toContain("id_token=");
    await app.getByText(CREATOR.name).first().waitFor();
  }, 30_000);
});
