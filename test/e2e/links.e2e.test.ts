// End to end, through real processes and a real browser: a merchant adds a creator (their handle suggested from the
// name), creates a tracking link on the creator's "Codes and links" page (a bad destination first, answered next to
// the field), a shopper follows the link in a desktop browser and lands on the storefront with the UTMs, the ref and
// the click id, and the page counts the click. Archiving keeps the link listed, marked Archived. The storefront is a
// local stand-in (the shop's storefront URL points at it), so the browser really follows the redirect, offline.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/links/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "links", shopName: "E2E Links Store" });
const SHOP = e2e.shop;
const CREATOR = { name: "Maya Fit", handle: "maya-fit", email: "maya@example.com", code: `MAYA${e2e.run.toUpperCase()}`, share: "10" };
const LINK = { label: "Instagram bio", platform: "Instagram", destination: "/products/serum?variant=42" };

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("tracking links, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  let storefront: { server: Server; url: string; visits: string[] };

  beforeAll(async () => {
    storefront = await startStandInStorefront();
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(async () => {
    await e2e.stop();
    await new Promise((resolve) => storefront?.server.close(resolve));
  });

  // The whole of the app's page, below the fold too.
  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;

  /** From the admin's navigation, through the creator's page (checked by `onCreatorPage` on the way, if given). */
  async function openLinksPage(onCreatorPage?: () => Promise<void>) {
    await page.getByRole("link", { name: "Creators" }).click();
    await app.getByRole("heading", { name: "Creators" }).waitFor();
    await app.getByRole("link", { name: CREATOR.name }).click();
    await app.getByRole("heading", { name: CREATOR.name, level: 1 }).waitFor();
    await onCreatorPage?.();
    await app.getByRole("link", { name: "Codes and links", exact: true }).click();
    await app.getByRole("heading", { name: "Codes and links", level: 1 }).waitFor();
  }

  it("creates a link, follows it as a shopper and counts the click", async () => {
    try {
      await page.goto(`${e2e.harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      await app.getByRole("heading", { name: "Home" }).waitFor({ timeout: 20_000 });
      await e2e.appReady();

      // The merchant adds the creator; the handle follows the name as they type.
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("heading", { name: "Creators" }).waitFor();
      await app.getByRole("link", { name: "Add creator" }).first().click();
      await app.getByLabel("Name").waitFor();
      await app.getByLabel("Name").fill(CREATOR.name);
      await expect.poll(() => app.getByLabel("Handle").inputValue()).toBe(CREATOR.handle);
      await app.getByLabel("Email").fill(CREATOR.email);
      await app.getByLabel("Discount code").fill(CREATOR.code);
      await app.getByLabel("Revenue share (%)").fill(CREATOR.share);
      await app.getByLabel("Sites and profiles").fill("https://www.instagram.com/MayaFit/\nmayafit.com");
      await app.getByLabel("Customer account").fill("7421983321");
      await screenshot("01-add-creator");
      await app.getByRole("button", { name: "Save" }).click();
      await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
      const creator = await db().creator.findFirstOrThrow({ where: { shop: { domain: SHOP.domain }, name: CREATOR.name } });
      expect(creator).toMatchObject({
        handle: CREATOR.handle,
        referrerDomains: ["instagram.com/mayafit", "mayafit.com"],
        customerGid: "gid://shopify/Customer/7421983321",
      });

      // Their links page, from the creator's page: nothing yet, and the code they were added with.
      await openLinksPage(async () => {
        // The edit form (from the creator's page) shows what was saved (the customer's number, as in Shopify admin,
        // rather than its gid); its page links on to Codes and links as the creator's page does.
        await app.getByRole("link", { name: "Edit", exact: true }).click();
        await app.getByRole("heading", { name: `Edit ${CREATOR.name}`, level: 1 }).waitFor();
        expect(await app.getByLabel("Handle").inputValue()).toBe(CREATOR.handle);
        expect(await app.getByLabel("Sites and profiles").inputValue()).toBe("instagram.com/mayafit\nmayafit.com");
        expect(await app.getByLabel("Customer account").inputValue()).toBe("7421983321");
        await screenshot("02-creator-page");
      });
      await app.getByText("No links yet").waitFor();
      await app.getByRole("heading", { name: "Discount codes", level: 2 }).waitFor();
      await app.locator("table tbody tr").filter({ hasText: CREATOR.code }).filter({ hasText: "Existing Shopify code" }).waitFor();
      await screenshot("03-links-empty");

      // A destination that is not a page of the store is answered next to the field, and nothing is saved.
      await app.getByLabel("Label").fill(LINK.label);
      await app.getByLabel("Platform").selectOption({ label: LINK.platform });
      await app.getByLabel("Destination").fill("products/serum");
      await app.getByRole("button", { name: "Create link" }).click();
      await app.getByText("The link was not created").waitFor({ timeout: 15_000 });
      await app.getByText("Enter a page of your store starting with /").waitFor();
      expect(await db().trackingLink.count({ where: { creatorId: creator.id } })).toBe(0);
      await screenshot("04-link-field-error");

      // Corrected, the link is created and listed with its full address.
      await app.getByLabel("Destination").fill(LINK.destination);
      await app.getByRole("button", { name: "Create link" }).click();
      await app.getByText(`Link created: ${LINK.label}`).waitFor({ timeout: 15_000 });
      await page.locator("#toasts").getByText("Link created").waitFor({ timeout: 15_000 });
      const link = await db().trackingLink.findFirstOrThrow({ where: { creatorId: creator.id } });
      const url = `${e2e.harness!.url}/r/${link.slug}`;
      const row = app.locator("table tbody tr").filter({ hasText: LINK.label });
      await row.waitFor();
      expect(squash(await row.innerText())).toMatch(
        new RegExp(`^${LINK.label} ${escapeRegExp(url)} Copy Instagram ${escapeRegExp(LINK.destination)} Campaign ${CREATOR.handle} 0 0 Archive$`),
      );
      await screenshot("05-link-created");

      // A shopper follows the link in a desktop browser (the admin's context: a desktop Chrome user agent) and lands on
      // the shop's storefront.
      await db().shop.update({ where: { domain: SHOP.domain }, data: { storefrontUrl: storefront.url } });
      // Through the real server: a crawler and a HEAD request are redirected too, but counted by neither.
      const desktop = await page.evaluate(() => navigator.userAgent);
      for (const probe of [
        { method: "GET", headers: { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } },
        { method: "HEAD", headers: { "User-Agent": desktop } },
      ]) {
        const response = await fetch(url, { ...probe, redirect: "manual" });
        expect(response.status, probe.method).toBe(302);
        expect(response.headers.get("location")).toMatch(new RegExp(`^${escapeRegExp(storefront.url)}/products/serum\\?variant=42&utm_source=instagram&.*&ref=${CREATOR.handle}$`));
      }
      expect(await db().linkClick.count({ where: { linkId: link.id } })).toBe(0);
      const shopper = await page.context().newPage();
      await shopper.goto(url);
      await shopper.getByRole("heading", { name: "Storefront" }).waitFor();
      const click = await db().linkClick.findFirstOrThrow({ where: { linkId: link.id } });
      const landing =
        `${storefront.url}/products/serum?variant=42&utm_source=instagram&utm_medium=influencer&utm_campaign=${CREATOR.handle}` +
        `&utm_content=${link.slug}&ref=${CREATOR.handle}&cl_click=${click.id}`;
      expect(shopper.url()).toBe(landing);
      expect(storefront.visits).toContain(landing.slice(storefront.url.length));
      await shopper.close();
      expect(await db().linkClick.count({ where: { linkId: link.id } })).toBe(1);

      // Back in the admin, the link shows the click, in the last 30 days and all time.
      await openLinksPage();
      await expect.poll(async () => squash(await row.innerText())).toMatch(/ 1 1 Archive$/);

      // Archived, it stays listed (old posts keep working), marked as such.
      await row.getByRole("button", { name: `Archive ${LINK.label}` }).click();
      await expect.poll(async () => squash(await row.innerText()), { timeout: 15_000 }).toMatch(new RegExp(`^${LINK.label} Archived .* 1 1 Unarchive$`));
      expect((await db().trackingLink.findUniqueOrThrow({ where: { id: link.id } })).archivedAt).not.toBeNull();
      await screenshot("06-link-archived");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);
});

/** The shop's storefront, standing in for Shopify's: answers every page with a heading and notes what was asked. */
async function startStandInStorefront(): Promise<{ server: Server; url: string; visits: string[] }> {
  const visits: string[] = [];
  const server = createServer((request, response) => {
    visits.push(request.url ?? "");
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>Storefront</title><h1>Storefront</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, visits };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
