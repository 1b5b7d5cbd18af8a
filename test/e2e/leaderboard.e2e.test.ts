// End to end, through real processes and a real browser: creators exist, shoppers order with their codes, Shopify (the
// simulator) sends the signed webhooks, the worker attributes the orders, posts commissions and rebuilds the daily
// rollups; the merchant reads the home dashboard and the leaderboard, sorts, filters, downloads the CSV and meets the
// error banner of a bad link, at an admin width and a narrow one.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/leaderboard/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import { readFile } from "node:fs/promises";
import { parse as parseCsv } from "csv-parse/sync";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam } from "../harness/session-token";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "leaderboard", shopName: "E2E Creator Store" });
const SHOP = e2e.shop;
const AVA = { name: "Ava Martinez", handle: `ava-${e2e.run}`, discountCode: `AVA${e2e.run.toUpperCase()}`, revenueSharePercent: "12.5" };
const BEN = { name: "Ben Okafor", handle: `ben-${e2e.run}`, discountCode: `BEN${e2e.run.toUpperCase()}`, revenueSharePercent: "10" };

const usd = (minor: bigint) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);
const minorOf = (amount: string) => BigInt(amount.replace(".", ""));
const share = (netMinor: bigint, basisPoints: bigint) => (netMinor * basisPoints + 5_000n) / 10_000n;

describe.skipIf(process.env.SKIP_E2E === "1")("home dashboard and leaderboard, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 240_000);

  afterAll(() => e2e.stop());

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const frame = () => page.frame({ name: "app-iframe" })!;
  /** Loads an app URL in the admin's frame, as a link opened there would (the bounce page fetches a session token). */
  const openInFrame = async (path: string) => {
    const separator = path.includes("?") ? "&" : "?";
    await frame().goto(`${e2e.harness!.url}${path}${separator}embedded=1&shop=${SHOP.domain}&host=${adminHostParam(SHOP.domain)}`);
    await e2e.appReady();
  };
  const rowText = async (name: string) => {
    const row = app.getByRole("row").filter({ hasText: name });
    return (await row.count()) > 0 ? (await row.first().innerText()).replace(/\s+/g, " ").trim() : "(no row)";
  };

  let avaNet = 0n;
  let benNet = 0n;
  // Each order's commission is rounded on its own.
  let avaCommission = 0n;

  it("shows the empty home page before there are creators", async () => {
    try {
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      await app.getByRole("heading", { name: "Home", level: 1 }).waitFor({ timeout: 20_000 });
      await e2e.appReady();
      await app.getByText("Add your first creator").waitFor();
      await screenshot("01-home-empty-1280");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 60_000);

  it("totals the creators' orders on the home dashboard, with a trend and breakdowns", async () => {
    try {
      const avaId = await e2e.addCreator(AVA);
      const benId = await e2e.addCreator(BEN);
      const db = e2e.seed!.prisma;
      await db.creator.update({ where: { id: avaId }, data: { platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "Fitness" } });
      await db.creator.update({ where: { id: benId }, data: { platform: "TIKTOK", funnelStage: "AWARENESS", niche: "Skincare" } });

      const ava = await e2e.placeOrders({ code: AVA.discountCode, count: 2 });
      const ben = await e2e.placeOrders({ code: ` ${BEN.discountCode.toLowerCase()}` });
      for (const placed of [ava, ben]) {
        expect(placed.deliveries.every((delivery) => delivery.state === "delivered" && delivery.lastStatus === 200)).toBe(true);
      }
      avaNet = ava.orders.reduce((sum, order) => sum + minorOf(order.currentSubtotal), 0n);
      avaCommission = ava.orders.reduce((sum, order) => sum + share(minorOf(order.currentSubtotal), 1_250n), 0n);
      benNet = minorOf(ben.orders[0]!.currentSubtotal);

      // The worker attributes, posts commissions and rebuilds the rollups within seconds.
      const ordersKpi = app.locator("div").filter({ has: app.getByRole("heading", { name: "Orders", exact: true }) }).last();
      await expect
        .poll(
          async () => {
            await openInFrame("/app");
            await app.getByRole("heading", { name: "Home", level: 1 }).waitFor();
            return (await ordersKpi.innerText()).replace(/\s+/g, " ");
          },
          { timeout: 45_000, interval: 1_000 },
        )
        .toContain("Orders 3");
      await app.getByRole("heading", { name: "Net revenue", exact: true }).waitFor();
      await expect.poll(async () => (await app.locator("body").innerText()).replace(/\s+/g, " ")).toContain(usd(avaNet + benNet));
      // polaris-viz draws in the browser after mount.
      await app.getByTestId("trend-chart").locator("svg").first().waitFor({ timeout: 15_000 });
      // Tables: by funnel stage, by platform, top creators by ROAS.
      const platforms = (await app.locator("table").nth(1).innerText()).replace(/\s+/g, " ");
      expect(platforms).toContain(`Instagram 1 2 ${usd(avaNet)}`);
      expect(platforms).toContain(`TikTok 1 1 ${usd(benNet)}`);
      await screenshot("02-home-1280");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);

  it("lists, sorts and filters the creators on the leaderboard, and exports what it shows", async () => {
    try {
      await app.getByRole("link", { name: "Open leaderboard" }).click();
      await app.getByRole("heading", { name: "Leaderboard", level: 1 }).waitFor();
      // Two orders, two new customers, no clicks: conversion "—"; commission is Ava's only cost.
      await expect.poll(() => rowText(AVA.name), { timeout: 30_000, interval: 1_000 }).toContain(`${usd(avaNet)}`);
      const ava = await rowText(AVA.name);
      expect(ava).toContain(AVA.discountCode);
      expect(ava).toContain("Instagram");
      expect(ava).toMatch(new RegExp(`^${AVA.name}.*? 0 — 2 — — — ${escape(usd(avaNet))} — `));
      expect(ava).toContain(usd(avaCommission));
      await screenshot("03-leaderboard-1280");

      // Sorting by orders puts Ava (2) above Ben (1); ascending puts Ben first.
      const names = async () => (await app.getByRole("row").allInnerTexts()).slice(1).map((text) => text.trim().split("\n")[0]!.trim());
      await app.getByRole("button", { name: "Orders", exact: true }).click();
      await expect.poll(() => frame().url()).toContain("sort=orders");
      await expect.poll(names).toEqual([AVA.name, BEN.name]);
      await app.getByRole("button", { name: "Orders", exact: true }).click();
      await expect.poll(() => frame().url()).toContain("direction=asc");
      await expect.poll(names).toEqual([BEN.name, AVA.name]);
      await screenshot("04-leaderboard-sorted");

      // Filter on TikTok: only Ben is left.
      await app.getByRole("button", { name: "Platform" }).click();
      await app.getByRole("checkbox", { name: "TikTok" }).click();
      await expect.poll(() => frame().url()).toContain("platform=TIKTOK");
      await expect.poll(names).toEqual([BEN.name]);
      await page.keyboard.press("Escape");
      await screenshot("05-leaderboard-filtered");

      // The CSV is the table on screen: the same filter, so Ben alone.
      const downloading = page.waitForEvent("download");
      await app.getByRole("button", { name: "Export the leaderboard as CSV" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^creator-leaderboard-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
      const [header, ...records] = parseCsv(await readFile((await download.path())!, "utf8")) as string[][];
      expect(records).toHaveLength(1);
      const record = Object.fromEntries(header!.map((title, index) => [title, records[0]![index]]));
      expect(record).toMatchObject({
        Creator: BEN.name,
        "Discount codes": BEN.discountCode,
        Platform: "TikTok",
        Orders: "1",
        "Net revenue (USD)": (Number(benNet) / 100).toFixed(2),
        "Commissions (USD)": (Number(share(benNet, 1_000n)) / 100).toFixed(2),
      });
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);

  it("says what is wrong with a bad link, with a 4xx and a way out", async () => {
    try {
      // The document request that carries the session token (the first one is answered by the bounce page).
      const response = page.waitForResponse((candidate) => candidate.url().includes("/app/leaderboard?platform=MYSPACE") && candidate.url().includes("id_token="));
      await openInFrame("/app/leaderboard?platform=MYSPACE");
      expect((await response).status()).toBe(400);
      const banner = app.getByText("These filters cannot be applied");
      await banner.waitFor();
      await app.getByText('Platform "MYSPACE" is not one of').waitFor();
      await screenshot("06-leaderboard-bad-filter");

      await openInFrame("/app?from=2026-02-30&to=2026-03-01");
      await app.getByText("This date range cannot be shown").waitFor();
      await app.getByText("From (2026-02-30) is not a valid calendar date.").waitFor();
      await screenshot("07-home-bad-range");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 60_000);

  it("fits a narrow admin", async () => {
    try {
      await page.setViewportSize({ width: 600, height: 900 });
      await openInFrame("/app");
      await app.getByRole("heading", { name: "Home", level: 1 }).waitFor();
      await app.getByTestId("trend-chart").locator("svg").first().waitFor({ timeout: 15_000 });
      await screenshot("08-home-600");
      await openInFrame("/app/leaderboard");
      await app.getByRole("heading", { name: "Leaderboard", level: 1 }).waitFor();
      await expect.poll(() => rowText(AVA.name)).toContain(AVA.name);
      await screenshot("09-leaderboard-600");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 60_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
