// End to end, through real processes and a real browser: a merchant downloads the creators template, uploads a CSV
// with good rows, wrong values and a code another creator has, reads each problem by row and column in the preview,
// uploads the fixed file, imports it, and finds the creators in the list under the "N creators imported" banner.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/creators-import/. Set SKIP_E2E=1 to skip.
import { readFile } from "node:fs/promises";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creatorsCsvTemplate } from "~/domain/creators/creators-csv-columns";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "creators-import", shopName: "E2E Creators Import Store" });
const RUN = e2e.run.toUpperCase();
const TAKEN_CODE = `TAKEN${RUN}`;

const HEADER = "Name;Email;Handle;Discount code;Revenue share (%);Sites and profiles;Platform;Funnel stage;Niche";
const rows = {
  ada: `Ada Lovelace;ada@example.com;;ADA${RUN};10;adalove.com, instagram.com/ada;Instagram;Awareness;maths`,
  // A quoted name with the delimiter and a quote in it.
  bo: `"Bo ""The Runner""; Jr";;bo-runner-${e2e.run};BO${RUN};12,5 %;;TikTok;;trail running`,
  cy: `Cy Twombly;cy@example.com;cy-twombly-${e2e.run};CY${RUN};15;;;Conversion;`,
};
const BAD_FILE = [
  HEADER,
  rows.ada,
  `Bo Wrong;not-an-email;;BO${RUN};150;;MySpace;;`,
  `=HYPERLINK("http://evil");;;EVIL${RUN};10;;;;`,
  `Cy Taken;;cy-${e2e.run};${TAKEN_CODE.toLowerCase()};15;;;;`,
].join("\r\n");
const GOOD_FILE = [HEADER, rows.ada, rows.bo, rows.cy].join("\r\n");

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("creators CSV import, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;

  async function upload(name: string, text: string) {
    await app.locator('input[type="file"]').setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${text}`, "utf8") });
    await app.getByRole("heading", { name, exact: true }).waitFor({ timeout: 15_000 });
  }

  /** The rows of the preview's table `title` ("Rows with errors", "Duplicates", "Creators to import"), as read. */
  async function tableRows(title: string): Promise<string[]> {
    return (await app.getByRole("region", { name: title }).locator("tbody tr").allInnerTexts()).map(squash);
  }

  it("previews a file's problems by row and column, then imports the fixed file all at once", async () => {
    try {
      await e2e.addCreator({ name: "Cy Original", handle: `cy-${e2e.run}`, discountCode: TAKEN_CODE, revenueSharePercent: "10" });
      await e2e.openAdmin();
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("heading", { name: "Creators" }).waitFor();
      await app.getByRole("button", { name: "Import" }).or(app.getByRole("link", { name: "Import" })).first().click();
      await app.getByRole("heading", { name: "Import creators" }).waitFor();
      await app.getByText("Up to 10,000 creators and 5 MB per file").waitFor();

      // The template is the columns the import reads.
      const [download] = await Promise.all([page.waitForEvent("download"), app.getByRole("link", { name: "Download the template" }).click()]);
      expect(download.suggestedFilename()).toBe("creators-import-template.csv");
      expect(await readFile((await download.path())!, "utf8")).toBe(creatorsCsvTemplate());
      await screenshot("01-import-page");

      // A file with one good row and three that stop the import: nothing is written, each problem is named.
      await upload("creators-with-problems.csv", BAD_FILE);
      await app.getByText("1 creator to import").waitFor();
      await app.getByText("3 rows with problems").waitFor();
      expect(await tableRows("Rows with errors")).toEqual([
        "3 Email Enter a valid email address, like name@example.com",
        "3 Revenue share (%) Revenue share cannot exceed 100%",
        "3 Platform “MySpace” is not a platform: use Instagram, TikTok, YouTube, Podcast, Blog, Newsletter or Other platform, or leave it blank",
        "4 Name Starts with “=”, which spreadsheets run as a formula: remove it",
      ]);
      expect(await tableRows("Duplicates")).toEqual([
        `5 Discount code ${TAKEN_CODE} already belongs to Cy Original`,
        `5 Handle cy-${e2e.run} is already the handle of Cy Original: choose another`,
      ]);
      expect(await app.getByRole("button", { name: /^Import \d/ }).count()).toBe(0);
      await app.getByText("The import creates every creator or none").waitFor();
      await screenshot("02-preview-with-problems");
      expect(await db().creator.count()).toBe(1);

      // The merchant fixes the spreadsheet and drops it again.
      await upload("creators-fixed.csv", GOOD_FILE);
      await app.getByText("3 creators to import").waitFor();
      expect(await app.getByText("rows with problems").count()).toBe(0);
      expect(await tableRows("Creators to import")).toEqual([
        `2 Ada Lovelace ada-lovelace (from the name) ada@example.com ADA${RUN} 10% Instagram · Awareness · maths`,
        `3 Bo "The Runner"; Jr bo-runner-${e2e.run} — BO${RUN} 12.5% TikTok · trail running`,
        `4 Cy Twombly cy-twombly-${e2e.run} cy@example.com CY${RUN} 15% Conversion`,
      ]);
      await screenshot("03-preview-ready");

      await app.getByRole("button", { name: "Import 3 creators" }).click();
      await page.locator("#toasts").getByText("3 creators imported").waitFor({ timeout: 15_000 });
      await app.getByRole("heading", { name: "Creators", exact: true, level: 1 }).waitFor();
      await app.getByRole("heading", { name: "3 creators imported" }).waitFor();
      for (const name of ["Ada Lovelace", 'Bo "The Runner"; Jr', "Cy Twombly", "Cy Original"]) {
        await app.getByRole("link", { name, exact: true }).waitFor();
      }
      expect(squash(await app.locator("tr", { hasText: "Ada Lovelace" }).innerText())).toContain(`Instagram Awareness stage maths ada@example.com ADA${RUN} 10%`);
      const bo = await db().creator.findFirstOrThrow({ where: { handle: `bo-runner-${e2e.run}` }, include: { discountCodes: true, contracts: true } });
      expect({ name: bo.name, platform: bo.platform, niche: bo.niche, codes: bo.discountCodes.map((code) => code.code), contracts: bo.contracts.length }).toEqual({
        name: 'Bo "The Runner"; Jr',
        platform: "TIKTOK",
        niche: "trail running",
        codes: [`BO${RUN}`],
        contracts: 1,
      });
      await screenshot("04-list-after-import");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 240_000);
});
