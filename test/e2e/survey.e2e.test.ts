// End to end, through real processes and a real browser: the merchant opens the post-purchase survey's settings from
// the app's navigation, is refused a survey listing the same channel twice, then saves a question, a chosen creator
// and a new channel. Shoppers of orders the simulator placed answer through the app's /api/survey/thank-you endpoint
// (checkout session tokens, CORS from the extension's origin); the results page shows the response rate, the
// answers by week and how the answers compare with the orders' tracking.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/survey/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam } from "../harness/session-token";
import { E2eApp } from "../support/e2e-app";
import { answerSurvey, type SurveyEndpoint, type SurveyOptionJson } from "../simulator/survey-shopper";

const e2e = new E2eApp({ name: "survey", shopName: "E2E Survey Store" });
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
const QUESTION = "Who sent you our way?";

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("post-purchase survey, end to end", () => {
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    await e2e.start();
    ({ page, app } = e2e);
  }, 240_000);

  afterAll(() => e2e.stop());

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  const db = () => e2e.seed!.prisma;
  const banner = (text: string) => app.locator(".Polaris-Banner").filter({ hasText: text });

  async function openSurveyPage() {
    await e2e.openAdmin();
    await page.getByRole("link", { name: "Survey" }).click();
    await app.getByRole("heading", { name: "Post-purchase survey", level: 1 }).waitFor({ timeout: 15_000 });
    await e2e.appReady();
  }

  it("refuses a channel listed twice, then saves the question, a chosen creator and a new channel", async () => {
    try {
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      for (const creator of [MAYA, LEO]) await e2e.addCreator(creator);

      await openSurveyPage();
      const preview = app.getByRole("list", { name: "Survey preview" });
      expect(squash(await preview.innerText())).toMatch(
        /^Leo Runs creator Maya Fit creator Instagram channel .* Other free text$/,
      );
      await screenshot("00-survey-settings");

      // Channel 2 (TikTok) renamed to Instagram: the same channel twice.
      await app.getByLabel("Channel 2", { exact: true }).fill("instagram");
      await app.getByRole("button", { name: "Save", exact: true }).click();
      await banner("One setting needs a change").waitFor({ timeout: 15_000 });
      await app.getByText("List each channel once: “instagram” appears twice").waitFor();
      expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).surveySettings).toEqual({});
      await screenshot("01-survey-invalid");

      await app.getByLabel("Channel 2", { exact: true }).fill("TikTok");
      await app.getByLabel("Question", { exact: true }).fill(QUESTION);
      // Polaris draws its own radio and checkbox over the inputs: the click lands on that drawing, inside the label.
      await app.getByLabel("Only the creators I choose").check({ force: true });
      await app.getByLabel("Maya Fit").check({ force: true });
      await app.getByRole("button", { name: "Add channel" }).click();
      await app.getByLabel("Channel 7", { exact: true }).fill("Newsletter");
      await app.getByLabel("Shuffle the answers for every shopper").uncheck({ force: true });
      await app.getByRole("button", { name: "Save", exact: true }).click();
      await banner("Survey saved").waitFor({ timeout: 15_000 });
      await page.locator("#toasts").getByText("Survey saved").waitFor({ timeout: 15_000 });
      expect(await app.getByText("appears twice").count()).toBe(0);

      const maya = await db().creator.findFirstOrThrow({ where: { shopId: shop.id, name: MAYA.name } });
      const saved = (await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).surveySettings as Record<
        string,
        unknown
      >;
      expect(saved).toMatchObject({
        enabled: true,
        question: QUESTION,
        creatorSelection: "CHOSEN",
        creatorIds: [maya.id],
        randomize: false,
      });
      expect(saved.channels).toEqual(expect.arrayContaining([{ key: "newsletter", label: "Newsletter" }]));
      expect(squash(await preview.innerText())).toMatch(
        /^Maya Fit creator Instagram channel .* Newsletter channel Other free text$/,
      );
      await screenshot("02-survey-saved");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);

  it("shows the response rate, the answers by week and how they compare with the orders' tracking", async () => {
    try {
      const shop = await db().shop.findUniqueOrThrow({ where: { domain: SHOP.domain } });
      const endpoint: SurveyEndpoint = {
        appUrl: e2e.simulator!.simulator.appUrl,
        shop: SHOP.domain,
        apiKey: e2e.apiKey,
        apiSecret: e2e.apiSecret,
      };
      const place = async (body: Record<string, unknown>) => (await e2e.placeOrders(body)).orders[0]!.confirmationNumber;
      // One order with Maya's code, two organic ones.
      const withCode = await place({ code: MAYA.discountCode });
      const organic = await place({});
      const unanswered = await place({});
      await expect
        .poll(() => db().attribution.count({ where: { shopId: shop.id } }), { timeout: 20_000, interval: 250 })
        .toBe(3);

      const choose = (label: string) => (options: readonly SurveyOptionJson[]) => ({
        optionKey: options.find((option) => option.label === label)!.key,
      });
      expect((await answerSurvey(endpoint, withCode, choose(MAYA.name))).status).toBe(201);
      expect((await answerSurvey(endpoint, organic, choose("Newsletter"))).status).toBe(201);
      const organicOrder = await db().order.findFirstOrThrow({
        where: { shopId: shop.id, confirmationNumber: organic },
      });
      expect(await db().attribution.findUniqueOrThrow({ where: { orderId: organicOrder.id } })).toMatchObject({
        method: "NONE",
      });
      expect(unanswered).not.toBe(organic);

      await openSurveyPage();
      await app.getByRole("link", { name: "Results" }).click();
      await app.getByRole("heading", { name: "Survey results", level: 1 }).waitFor({ timeout: 15_000 });
      await e2e.appReady();

      const metrics = squash(await app.locator(".Polaris-InlineGrid").first().innerText());
      expect(metrics).toBe("Orders 3 Answered 2 Response rate 66.7%");
      const byWeek = app.locator("table").first();
      expect(squash(await byWeek.getByRole("row").filter({ hasText: MAYA.name }).innerText())).toMatch(
        /^Maya Fit Creator 1 /,
      );
      expect(squash(await byWeek.getByRole("row").filter({ hasText: "Newsletter" }).innerText())).toMatch(
        /^Newsletter Channel 1 /,
      );
      const agreement = app.locator("table").nth(1);
      expect(squash(await agreement.getByRole("row").filter({ hasText: MAYA.name }).innerText())).toBe(
        "Maya Fit Creator 1 0 0",
      );
      expect(squash(await agreement.getByRole("row").filter({ hasText: "Newsletter" }).innerText())).toBe(
        "Newsletter Channel 0 0 1",
      );
      await app.getByText("No answer: 1 order, 0 of them with tracking that names a creator.").waitFor();
      await screenshot("03-survey-results");

      // A range the page cannot show says so.
      await page
        .frame({ name: "app-iframe" })!
        .goto(
          `${e2e.harness!.url}/app/survey/results?from=2026-02-30&embedded=1&shop=${SHOP.domain}&host=${adminHostParam(
            SHOP.domain,
          )}`,
        );
      await banner("This date range cannot be shown").waitFor({ timeout: 15_000 });
      await screenshot("04-survey-results-bad-range");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 120_000);
});
