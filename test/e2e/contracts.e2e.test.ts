// End to end, through real processes and a real browser: a merchant adds a creator, gives them a tiered revenue share
// contract on the contract page (preview, then save), a shopper places two orders with the creator's code, the worker
// posts each order's first-tier commission, the commissions worker settles the month with a tier top-up, and the
// creator's ledger shows those entries and their pending balance. The Payouts page renders.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/contracts/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "contracts", shopName: "E2E Contracts Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Zoe Fischer", email: "zoe@example.com", code: `ZOE${e2e.run.toUpperCase()}`, share: "12.5" };
// Marginal tiers by monthly revenue: the first dollar earns the first tier's rate, everything above it the second's.
// Any order's subtotal is well above $1.00, so two orders always cross into the second tier, whatever they cost.
const TIERS = [
  { from: "0", fromMinor: 0n, percent: "7.5", basisPoints: 750n },
  { from: "1.00", fromMinor: 100n, percent: "12.25", basisPoints: 1225n },
] as const;

const usd = (minor: bigint) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);
const money = (decimal: string) => BigInt(decimal.replace(".", ""));
/** amount × rate (basis points), to the nearest cent, halves away from zero: how every ledger entry is rounded. */
const share = (weighted: bigint) => (weighted >= 0n ? (weighted + 5_000n) / 10_000n : -((-weighted + 5_000n) / 10_000n));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("tiered contract, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  // The whole of the app's page, below the fold too.
  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;

  /** Every change to the creator's pay periods settled by the commissions worker (none waiting for its job). */
  async function periodsSettled(creatorId: string, timeoutMs: number) {
    await expect
      .poll(
        async () => {
          const periods = await db().creatorPeriod.findMany({ where: { creatorId } });
          return periods.length > 0 && periods.every((period) => period.settledVersion >= period.changeVersion);
        },
        { timeout: timeoutMs, interval: 250 },
      )
      .toBe(true);
  }

  async function openCreator() {
    await page.getByRole("link", { name: "Creators" }).click();
    await app.getByRole("heading", { name: "Creators" }).waitFor();
    await app.getByRole("link", { name: CREATOR.name }).click();
    await app.getByRole("heading", { name: CREATOR.name, level: 1 }).waitFor();
  }

  it("pays a tiered contract's first tier per order and tops the month up to the second tier", async () => {
    try {
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      await app.getByRole("heading", { name: "Leaderboard" }).waitFor({ timeout: 20_000 });
      await e2e.appReady();

      // The merchant adds the creator through the real form (their first contract: a 12.5% revenue share).
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("heading", { name: "Creators" }).waitFor();
      await app.getByRole("link", { name: "Add creator" }).first().click();
      await app.getByLabel("Name").waitFor();
      await app.getByLabel("Name").fill(CREATOR.name);
      await app.getByLabel("Email").fill(CREATOR.email);
      await app.getByLabel("Discount code").fill(CREATOR.code);
      await app.getByLabel("Revenue share (%)").fill(CREATOR.share);
      await screenshot("01-add-creator");
      await app.getByRole("button", { name: "Save" }).click();
      await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
      await app.getByRole("link", { name: CREATOR.name }).waitFor();
      await screenshot("02-creator-added");

      // Their contract page, from the creator's page.
      await app.getByRole("link", { name: CREATOR.name }).click();
      await app.getByRole("heading", { name: CREATOR.name, level: 1 }).waitFor();
      const creatorId = /\/app\/creators\/([0-9a-f-]{36})/.exec(page.frame({ name: "app-iframe" })!.url())?.[1];
      expect(creatorId, "creator id in the frame's URL").toBeDefined();
      await app.getByRole("link", { name: "Contract", exact: true }).click();
      await app.getByRole("heading", { name: "Contract", level: 1 }).waitFor();
      await app.getByText("12.50% revenue share of net merchandise").first().waitFor();
      await screenshot("03-contract-page");

      // New terms: a marginal tiered revenue share by monthly revenue, two tiers.
      await app.getByLabel("Compensation model").selectOption({ label: "Tiered revenue share" });
      await app.getByLabel("Tiers by").selectOption({ label: "Monthly revenue" });
      await app.getByLabel("Tier rates").selectOption({ label: "Marginal: each slice at its tier's rate" });
      const from = app.getByLabel("From", { exact: true });
      const rate = app.getByLabel("Rate (%)", { exact: true });
      await expect.poll(() => from.count()).toBe(1);
      expect(await from.first().isDisabled()).toBe(true); // the first tier starts at zero
      await rate.nth(0).fill(TIERS[0].percent);
      await app.getByRole("button", { name: "Add tier" }).click();
      await expect.poll(() => rate.count()).toBe(2);
      await from.nth(1).fill(TIERS[1].from);
      await rate.nth(1).fill(TIERS[1].percent);
      await screenshot("04-tiered-terms");

      // Preview: what the terms would have paid last month (the creator had no orders then), and nothing saved.
      const monthLabel = previousMonthLabel(SHOP.timezone);
      await app.getByRole("button", { name: "Preview" }).click();
      await app.getByRole("heading", { name: `Preview: ${monthLabel}` }).waitFor({ timeout: 15_000 });
      // A card's content: the stack its heading opens (Polaris 13 cards carry no class of their own to find them by).
      const previewCard = app.getByRole("heading", { name: `Preview: ${monthLabel}` }).locator("xpath=..");
      expect(squash(await previewCard.innerText())).toContain(
        `Under these terms, ${CREATOR.name} would have earned $0.00 in ${monthLabel}; they actually earned $0.00.`,
      );
      expect(squash(await previewCard.innerText())).toContain("From 0 orders ($0.00 revenue as these terms count it) and 0 deliverables. Nothing was saved.");
      expect(await app.getByText("Contract saved").count()).toBe(0);
      const tieredLine = "Tiered revenue share of net merchandise by monthly revenue, each slice at its tier's rate: 7.50% from $0.00, 12.25% from $1.00";
      expect(await app.getByText(tieredLine).count(), "the preview saves no version").toBe(0);
      await screenshot("05-contract-preview");

      // Save: the success banner, and the new version current in the history above the first one.
      await app.getByRole("button", { name: "Save" }).click();
      const banner = app.locator(".Polaris-Banner").filter({ hasText: "Contract saved" });
      await banner.waitFor({ timeout: 15_000 });
      expect(squash(await banner.innerText())).toMatch(/The new terms apply to orders placed from .+\. Earlier orders keep the terms they earned under\./);
      await page.locator("#toasts").getByText("Contract saved").waitFor({ timeout: 15_000 });
      const historyCard = app.getByRole("heading", { name: "Version history" }).locator("xpath=..");
      const versions = historyCard.getByRole("heading", { level: 3 });
      await expect.poll(() => versions.count()).toBe(2);
      const historyText = squash(await historyCard.innerText());
      expect(historyText).toMatch(
        new RegExp(`From [^]+? Current Tiered revenue share ${escapeRegExp(tieredLine)} [^]*From [^]+? Past Revenue share 12\\.50% revenue share of net merchandise`),
      );
      const currentCard = app.getByRole("heading", { name: "Current terms" }).locator("xpath=../..");
      expect(squash(await currentCard.innerText())).toContain(tieredLine);
      await screenshot("06-contract-saved");

      // Saving settles the month (nothing to pay yet); once it has, orders can only be settled together.
      // Orders are timestamped to the second: a second after the new version started, they are placed under it.
      await periodsSettled(creatorId!, 15_000);
      const version = await db().contract.findFirstOrThrow({ where: { creatorId }, orderBy: { effectiveFrom: "desc" } });
      expect(version.model).toBe("TIERED");
      await sleep(Math.max(0, version.effectiveFrom.getTime() + 1_100 - Date.now()));

      // A shopper places two orders with the creator's code; Shopify delivers orders/create for each.
      const placed = await fetch(`${e2e.simulator!.url}/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: CREATOR.code, count: 2 }),
      });
      expect(placed.status).toBe(201);
      const { orders, deliveries } = (await placed.json()) as {
        orders: { name: string; currentSubtotal: string; createdAt: string }[];
        deliveries: { state: string; lastStatus: number | null }[];
      };
      expect(orders).toHaveLength(2);
      expect(deliveries).toEqual([
        expect.objectContaining({ state: "delivered", lastStatus: 200 }),
        expect.objectContaining({ state: "delivered", lastStatus: 200 }),
      ]);

      // Expected, computed from the orders' subtotals (net merchandise: no tax, no shipping; the shop is not
      // tax-inclusive): each order posts the first tier's rate, the month's marginal total is exact and rounded
      // once, and the top-up is the difference.
      const subtotals = orders.map((order) => money(order.currentSubtotal));
      const revenue = subtotals.reduce((sum, minor) => sum + minor, 0n);
      expect(revenue, "the orders cross the second tier").toBeGreaterThan(TIERS[1].fromMinor);
      const firstTier = subtotals.map((minor) => share(minor * TIERS[0].basisPoints));
      const tieredTotal = share(TIERS[1].fromMinor * TIERS[0].basisPoints + (revenue - TIERS[1].fromMinor) * TIERS[1].basisPoints);
      const topUp = tieredTotal - firstTier.reduce((sum, minor) => sum + minor, 0n);
      expect(topUp).toBeGreaterThan(0n);
      const periodKey = new Intl.DateTimeFormat("en-CA", { timeZone: SHOP.timezone, year: "numeric", month: "2-digit" })
        .format(new Date(orders[0]!.createdAt))
        .slice(0, 7);
      const expectedEntries = [
        ...orders.map((order, i) => ({
          reason: `7.50% first-tier revenue share of ${usd(subtotals[i]!)} net merchandise on order ${order.name} (higher tiers settle when the period closes)`,
          detail: `Commission · Order ${order.name}`,
          amount: usd(firstTier[i]!),
        })),
        {
          reason: `Tier 2 (12.25% from $1.00) reached in ${periodKey}: top-up on ${usd(revenue)} revenue, marginal tiered total ${usd(tieredTotal)}`,
          detail: "Tier top-up",
          amount: usd(topUp),
        },
      ].sort((a, b) => a.reason.localeCompare(b.reason));

      // The worker processes both events, then the commissions worker settles the month (~2 s later).
      await expect
        .poll(() => db().inboxEvent.count({ where: { shopDomain: SHOP.domain, processedAt: { not: null } } }), { timeout: 20_000, interval: 250 })
        .toBe(2);
      await periodsSettled(creatorId!, 20_000);

      // The creator's ledger: the two first-tier commissions and the tier top-up, all pending (the return window).
      await openCreator();
      await app.getByRole("link", { name: "Ledger", exact: true }).click();
      await app.getByRole("heading", { name: "Ledger", level: 1 }).waitFor();
      const rows = app.locator("table tbody tr");
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
      const entries = await rows.evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = [...tr.querySelectorAll("td")].map((td) => td as HTMLElement);
          const reasonCell = cells[2]!;
          return {
            status: cells[1]!.innerText,
            reason: reasonCell.querySelector("p")?.innerText ?? "",
            detail: reasonCell.querySelector("span")?.innerText ?? "",
            amount: cells[3]!.innerText,
          };
        }),
      );
      const seen = entries
        .map((entry) => ({ reason: squash(entry.reason), detail: squash(entry.detail), amount: squash(entry.amount) }))
        .sort((a, b) => a.reason.localeCompare(b.reason));
      expect(seen).toEqual(expectedEntries);
      // Pending until the shop's hold (return window) ends: an order's entry that many days after the order, the
      // top-up that many days after the month ends.
      const { holdDays } = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      const day = (instant: number) => new Intl.DateTimeFormat("en-US", { timeZone: SHOP.timezone, month: "short", day: "numeric", year: "numeric" }).format(instant);
      const payable = new Map(
        entries.map((entry) => [squash(entry.detail), /Pending Payable (\w{3} \d{1,2}, \d{4})$/.exec(squash(entry.status))?.[1] ?? squash(entry.status)]),
      );
      for (const order of orders) expect(payable.get(`Commission · Order ${order.name}`)).toBe(day(Date.parse(order.createdAt) + holdDays * 86_400_000));
      expect(payable.get("Tier top-up")).toMatch(/^\w{3} \d{1,2}, \d{4}$/);
      expect(Date.parse(payable.get("Tier top-up")!)).toBeGreaterThan(Date.parse(payable.get(`Commission · Order ${orders[1]!.name}`)!));

      const balance = async (title: string) =>
        squash(await app.getByRole("heading", { name: title, exact: true, level: 2 }).locator("xpath=following-sibling::p[1]").innerText());
      expect({ pending: await balance("Pending"), approved: await balance("Approved"), paid: await balance("Paid"), total: await balance("Total") }).toEqual({
        pending: usd(tieredTotal),
        approved: "$0.00",
        paid: "$0.00",
        total: usd(tieredTotal),
      });
      await screenshot("07-ledger");

      // Payouts, from the admin's navigation: nothing paid yet, so its empty state (or a table, should there be one).
      await page.getByRole("link", { name: "Payouts" }).click();
      await app.getByRole("heading", { name: "Payouts", level: 1 }).waitFor();
      await expect
        .poll(async () => (await app.getByText("No payouts yet").count()) + (await app.locator("table").count()), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await screenshot("08-payouts");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** "October 2026" in November: the contract preview shows the pay period before the current one (shop timezone). */
function previousMonthLabel(timezone: string): string {
  const [year, month] = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit" })
    .format(new Date())
    .split("-")
    .map(Number) as [number, number];
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "long", year: "numeric" }).format(new Date(Date.UTC(year, month - 2, 15)));
}
