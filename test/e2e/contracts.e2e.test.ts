// End to end, through real processes and a real browser: a merchant adds a creator, gives them a tiered revenue share
// contract on the contract page (preview, then save), a shopper places two orders with the creator's code, the worker
// posts each order's first-tier commission, the commissions worker settles the month with a tier top-up, and the
// creator's ledger shows those entries and their pending balance. The Payouts page renders. Then a second creator's
// revenue share gets rates for a collection and a product, picked by searching the shop's catalog; the worker reads
// the collection's products from Shopify, and an order's lines earn the product's, the collection's and the default
// rate on the ledger.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/contracts/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "contracts", shopName: "E2E Contracts Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Zoe Fischer", email: "zoe@example.com", code: `ZOE${e2e.run.toUpperCase()}`, share: "12.5" };
const RATES_CREATOR = { name: "Ravi Mehta", email: "ravi@example.com", code: `RAVI${e2e.run.toUpperCase()}`, share: "10" };
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

  async function openCreator(name = CREATOR.name) {
    await page.getByRole("link", { name: "Creators" }).click();
    await app.getByRole("heading", { name: "Creators" }).waitFor();
    await app.getByRole("link", { name }).click();
    await app.getByRole("heading", { name, level: 1 }).waitFor();
  }

  /** The merchant adds a creator through the real form; answers their id. */
  async function addCreator(creator: typeof RATES_CREATOR): Promise<string> {
    await page.getByRole("link", { name: "Creators" }).click();
    await app.getByRole("heading", { name: "Creators" }).waitFor();
    await app.getByRole("link", { name: "Add creator" }).first().click();
    await app.getByLabel("Name").waitFor();
    await app.getByLabel("Name").fill(creator.name);
    await app.getByLabel("Email").fill(creator.email);
    await app.getByLabel("Discount code").fill(creator.code);
    await app.getByLabel("Revenue share (%)").fill(creator.share);
    await app.getByRole("button", { name: "Save" }).click();
    await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
    await app.getByRole("link", { name: creator.name }).click();
    await app.getByRole("heading", { name: creator.name, level: 1 }).waitFor();
    const id = /\/app\/creators\/([0-9a-f-]{36})/.exec(page.frame({ name: "app-iframe" })!.url())?.[1];
    if (!id) throw new Error("no creator id in the frame's URL");
    return id;
  }

  /** The ledger's rows as the merchant reads them. */
  async function ledgerRows() {
    const rows = app.locator("table tbody tr");
    return rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll("td")].map((td) => td as HTMLElement);
        return {
          reason: cells[2]?.querySelector("p")?.innerText ?? "",
          detail: cells[2]?.querySelector("span")?.innerText ?? "",
          amount: cells[3]?.innerText ?? "",
        };
      }),
    );
  }

  it("pays a tiered contract's first tier per order and tops the month up to the second tier", async () => {
    try {
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      await app.getByRole("heading", { name: "Home" }).waitFor({ timeout: 20_000 });
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
      expect(squash(await previewCard.innerText()), "the preview shows the terms it ran").toContain(`Terms previewed ${tieredLine}`);
      const history = app.getByRole("heading", { name: "Version history" }).locator("xpath=..");
      expect(await history.getByText(tieredLine).count(), "the preview saves no version").toBe(0);
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
      const { orders, deliveries } = await e2e.placeOrders({ code: CREATOR.code, count: 2 });
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

  // Runs after the tiered contract's test, in the same app, for a creator of its own.
  it("picks a collection and a product from Shopify's catalog, and pays an order's lines at their rates", async () => {
    const simulator = e2e.simulator!.url;
    try {
      // The shop's catalog, as the merchant knows it: a collection, two of its products and one outside it.
      const { collections } = (await (await fetch(`${simulator}/collections`)).json()) as {
        collections: { id: string; title: string; products: { id: string; title: string }[] }[];
      };
      const bestSellers = collections.find((collection) => collection.title === "Best Sellers")!;
      const { products } = (await (await fetch(`${simulator}/products`)).json()) as {
        products: { id: string; title: string; collections: string[] }[];
      };
      const [own, member] = bestSellers.products as [{ id: string; title: string }, { id: string; title: string }];
      const outsider = products.find((product) => !product.collections.includes(bestSellers.id))!;
      expect([own, member, outsider].every(Boolean)).toBe(true);

      await e2e.openAdmin();
      const creatorId = await addCreator(RATES_CREATOR);
      await app.getByRole("link", { name: "Contract", exact: true }).click();
      await app.getByRole("heading", { name: "Contract", level: 1 }).waitFor();

      // A row without its collection and rate is refused, with the message at each field.
      await app.getByRole("button", { name: "Add a rate for a product or collection" }).click();
      await app.getByRole("button", { name: "Preview" }).click();
      await app.getByText("Search for the collection this rate applies to and pick it").waitFor({ timeout: 15_000 });
      await app.getByText("Enter a percent, like 10 or 12.5").waitFor();
      await screenshot("09-rate-errors");

      // A rate for the collection: search "best", pick it from Shopify's answer.
      const collectionField = app.getByRole("combobox", { name: "Collection", exact: true });
      await collectionField.click();
      await collectionField.pressSequentially("best");
      // Focusing the field lists the shop's collections; what was typed narrows them to the titles it starts.
      const options = () => app.getByRole("listbox").getByRole("option").allInnerTexts();
      await expect.poll(options, { timeout: 10_000 }).toEqual([`Best Sellers (${bestSellers.products.length} products)`]);
      const bestSellersOption = app.getByRole("option", { name: /^Best Sellers \(\d+ products\)$/ });
      // The list as the merchant sees it, open under the field (the window keeps its size).
      await e2e.screenshot("10-collection-search");
      await bestSellersOption.click();
      await expect.poll(() => collectionField.inputValue()).toBe("Best Sellers");
      const rate = app.getByLabel("Rate (%)", { exact: true });
      await rate.nth(0).fill("20");

      // A rate of its own for one of the collection's products, found by the start of its title's first two words.
      await app.getByRole("button", { name: "Add a rate for a product or collection" }).click();
      await app.getByLabel("Applies to").nth(1).selectOption({ label: "Product" });
      const productField = app.getByRole("combobox", { name: "Product", exact: true });
      await productField.click();
      const typed = own.title.split(" ").slice(0, 2).map((word) => word.slice(0, 4)).join(" ");
      await productField.pressSequentially(typed);
      const wanted = typed.toLowerCase().split(" ");
      const narrowed = (titles: string[]) =>
        titles.length > 0 && titles.every((title) => wanted.every((word) => title.toLowerCase().split(/[^a-z0-9]+/).some((w) => w.startsWith(word))));
      await expect.poll(async () => narrowed(await options()), { timeout: 10_000 }).toBe(true);
      await app.getByRole("option", { name: own.title, exact: true }).click();
      await expect.poll(() => productField.inputValue()).toBe(own.title);
      await rate.nth(1).fill("30");
      await screenshot("11-rates-picked");

      // The preview shows the terms with their rates, and that the collection's products are not read yet.
      const described = `10.00% revenue share of net merchandise (20.00% on collection Best Sellers, 30.00% on product ${own.title})`;
      await app.getByRole("button", { name: "Preview" }).click();
      const previewCard = app.getByRole("heading", { name: /^Preview: / }).locator("xpath=..");
      await previewCard.waitFor({ timeout: 15_000 });
      await expect.poll(async () => squash(await previewCard.innerText())).toContain(described);
      expect(squash(await previewCard.innerText())).toContain("The products of Best Sellers are read from Shopify once you save these terms");
      await screenshot("12-rates-preview");

      // Save: the version in the history; the worker reads the collection from Shopify's Admin API.
      await app.getByRole("button", { name: "Save" }).click();
      await app.locator(".Polaris-Banner").filter({ hasText: "Contract saved" }).waitFor({ timeout: 15_000 });
      const historyCard = app.getByRole("heading", { name: "Version history" }).locator("xpath=..");
      await expect.poll(async () => squash(await historyCard.innerText())).toMatch(new RegExp(`Current Revenue share ${escapeRegExp(described)}`));
      await expect
        .poll(
          async () => {
            const sync = await db().collectionSync.findFirst({ where: { collectionGid: bestSellers.id } });
            return sync && { status: sync.status, pending: sync.changedProductGids.length, products: await db().collectionProduct.count({ where: { syncId: sync.id } }) };
          },
          { timeout: 20_000, interval: 250 },
        )
        .toEqual({ status: "SYNCED", pending: 0, products: bestSellers.products.length });
      await page.reload();
      await e2e.appReady();
      const currentCard = app.getByRole("heading", { name: "Current terms" }).locator("xpath=../..");
      await expect
        .poll(async () => squash(await currentCard.innerText()), { timeout: 15_000 })
        .toMatch(new RegExp(`Best Sellers: ${bestSellers.products.length} products, read from Shopify`));
      await screenshot("13-rates-saved");

      // An order with the creator's code buys the product with its own rate, another of the collection's, and one
      // outside it. Orders are timestamped to the second: a second after the version started, it is placed under it.
      const version = await db().contract.findFirstOrThrow({ where: { creatorId }, orderBy: { effectiveFrom: "desc" } });
      await sleep(Math.max(0, version.effectiveFrom.getTime() + 1_100 - Date.now()));
      const placed = await fetch(`${simulator}/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: RATES_CREATOR.code, products: [own.id, member.id, outsider.id] }),
      });
      expect(placed.status).toBe(201);
      const [order] = ((await placed.json()) as { orders: { name: string; lines: { productGid: string; net: string }[] }[] }).orders;
      const net = (id: string) => money(order!.lines.find((line) => line.productGid === id)!.net);
      const amount = share(net(own.id) * 3_000n + net(member.id) * 2_000n + net(outsider.id) * 1_000n);
      const reason =
        `Revenue share on order ${order!.name}: 10.00% of ${usd(net(outsider.id))} net merchandise, ` +
        `30.00% of ${usd(net(own.id))} on ${own.title}, 20.00% of ${usd(net(member.id))} on Best Sellers`;
      await expect
        .poll(() => db().ledgerEntry.count({ where: { creatorId, kind: "COMMISSION" } }), { timeout: 20_000, interval: 250 })
        .toBe(1);

      await openCreator(RATES_CREATOR.name);
      await app.getByRole("link", { name: "Ledger", exact: true }).click();
      await app.getByRole("heading", { name: "Ledger", level: 1 }).waitFor();
      await expect.poll(async () => (await ledgerRows()).length, { timeout: 10_000 }).toBe(1);
      const [entry] = await ledgerRows();
      expect({ reason: squash(entry!.reason), detail: squash(entry!.detail), amount: squash(entry!.amount) }).toEqual({
        reason,
        detail: `Commission · Order ${order!.name}`,
        amount: usd(amount),
      });
      await screenshot("14-rates-ledger");
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
