import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { DEFAULT_SURVEY_SETTINGS } from "~/domain/survey/settings";
import { ingestOrder } from "~/services/ingest-order.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { sampleOrder } from "../../test/helpers/shopify-samples";
import {
  getSurveySettings,
  getSurveySettingsPage,
  loadSurveyResults,
  saveSurveySettings,
  surveyCreatorCandidates,
  surveySettingsFormInput,
} from "./survey.server";

type Shop = Awaited<ReturnType<typeof createTestShop>>;

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

describe("survey settings", () => {
  it("are the defaults until saved, then what the form said, with the channel lists and chosen creators", async () => {
    const shop = await createTestShop();
    const maya = await createTestCreator(shop.id, { name: "Maya Fit" });
    expect(await getSurveySettings(shop.id)).toEqual(DEFAULT_SURVEY_SETTINGS);

    const saved = await saveSurveySettings(
      shop.id,
      surveySettingsFormInput(
        form([
          ["enabled", "true"],
          ["question", "Who sent you?"],
          ["channelKey", "instagram"],
          ["channelLabel", "Instagram"],
          ["channelKey", ""],
          ["channelLabel", "Newsletter"],
          ["creatorSelection", "CHOSEN"],
          ["creatorIds", maya.id],
          ["includeOther", ""],
          ["otherLabel", ""],
          ["randomize", "true"],
        ]),
      ),
    );
    expect(saved.ok).toBe(true);
    expect(await getSurveySettings(shop.id)).toEqual({
      enabled: true,
      question: "Who sent you?",
      channels: [
        { key: "instagram", label: "Instagram" },
        { key: "newsletter", label: "Newsletter" },
      ],
      creatorSelection: "CHOSEN",
      creatorIds: [maya.id],
      includeOther: false,
      otherLabel: null,
      randomize: true,
    });
    const page = await getSurveySettingsPage(shop.id);
    expect(page.creators).toEqual([{ id: maya.id, name: "Maya Fit" }]);
    expect(page.formValues).toMatchObject({ question: "Who sent you?", otherLabel: "" });
  });

  it("saves nothing when a field is wrong, and never takes another shop's creator", async () => {
    const [shop, other] = [await createTestShop(), await createTestShop()];
    const stranger = await createTestCreator(other.id);
    const result = await saveSurveySettings(
      shop.id,
      surveySettingsFormInput(
        form([
          ["enabled", "true"],
          ["creatorSelection", "CHOSEN"],
          ["creatorIds", stranger.id],
          ["question", "x".repeat(151)],
        ]),
      ),
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: { creatorIds: expect.any(String), question: expect.any(String) },
    });
    expect(await getSurveySettings(shop.id)).toEqual(DEFAULT_SURVEY_SETTINGS);
  });

  it("offer all creators up to the limit, or the chosen ones of this shop only", async () => {
    const [shop, other] = [await createTestShop(), await createTestShop()];
    const [a, b] = [await createTestCreator(shop.id, { name: "A" }), await createTestCreator(shop.id, { name: "B" })];
    const stranger = await createTestCreator(other.id);
    expect((await surveyCreatorCandidates(shop.id, DEFAULT_SURVEY_SETTINGS)).map((c) => c.name)).toEqual(["A", "B"]);
    const chosen = { ...DEFAULT_SURVEY_SETTINGS, creatorSelection: "CHOSEN" as const, creatorIds: [b.id, stranger.id] };
    expect(await surveyCreatorCandidates(shop.id, chosen)).toEqual([{ id: b.id, name: "B" }]);
    expect(a.id).not.toBe(b.id);
  });
});

describe("survey results", () => {
  let nextCustomer = 6_000_000 + Math.floor(Math.random() * 1_000_000);

  async function order(shop: Shop, options: { codes?: string[]; processedAt: string }) {
    const payload = sampleOrder({ codes: options.codes, processedAt: options.processedAt, customerId: nextCustomer++ });
    Object.assign(payload, { landing_site: null, referring_site: null, note_attributes: [] });
    const fresh = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
    await prisma.$transaction((tx) => ingestOrder(tx, fresh, parseOrderPayload(payload)));
    return payload.confirmation_number as string;
  }

  const answer = (
    shop: Shop,
    confirmationNumber: string,
    creator: { id: string; name: string } | null,
    answeredAt: string,
  ) =>
    recordSurveyAnswer(prisma, shop.id, {
      confirmationNumber,
      optionKey: creator ? `creator:${creator.id}` : "channel:tiktok",
      optionLabel: creator ? creator.name : "TikTok",
      creatorId: creator?.id ?? null,
      otherText: null,
      surface: "THANK_YOU",
      answeredAt: new Date(answeredAt),
    });

  it("count the range's orders in the shop's timezone and compare answers with each order's tracking", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const maya = await createTestCreator(shop.id, {
      name: "Maya Fit",
      discountCode: `MAYA${randomUUID().slice(0, 4)}`,
    });
    const leo = await createTestCreator(shop.id, { name: "Leo Runs", discountCode: `LEO${randomUUID().slice(0, 4)}` });
    const mayaCode = maya.discountCodes[0]!.code;
    const leoCode = leo.discountCodes[0]!.code;

    const agree = await order(shop, { codes: [mayaCode], processedAt: "2026-11-03T15:00:00Z" });
    await answer(shop, agree, maya, "2026-11-03T15:05:00Z");
    const disagree = await order(shop, { codes: [leoCode], processedAt: "2026-11-04T15:00:00Z" });
    await answer(shop, disagree, maya, "2026-11-04T15:05:00Z");
    const surveyOnly = await order(shop, { processedAt: "2026-11-10T15:00:00Z" });
    await answer(shop, surveyOnly, maya, "2026-11-10T15:05:00Z");
    const channel = await order(shop, { processedAt: "2026-11-11T15:00:00Z" });
    await answer(shop, channel, null, "2026-11-11T15:05:00Z");
    await order(shop, { codes: [leoCode], processedAt: "2026-11-12T15:00:00Z" }); // no answer, tracked
    await order(shop, { processedAt: "2026-11-13T15:00:00Z" }); // no answer
    // 2 November 03:00 UTC is 1 November in New York: outside the range.
    const outside = await order(shop, { processedAt: "2026-11-02T03:00:00Z" });
    await answer(shop, outside, maya, "2026-11-02T03:05:00Z");
    // An answer whose order Shopify has not delivered yet.
    await answer(shop, "WAITING1", leo, "2026-11-12T10:00:00Z");

    const results = await loadSurveyResults(shop, { from: "2026-11-02", to: "2026-11-15" });
    expect(results).toMatchObject({ orders: 6, answered: 4, responseRateBasisPoints: 6667, answersWaitingForOrder: 1 });
    expect(results.options).toEqual([
      { key: `creator:${maya.id}`, label: "Maya Fit", kind: "CREATOR", answers: 3 },
      { key: "channel:tiktok", label: "TikTok", kind: "CHANNEL", answers: 1 },
    ]);
    expect(results.weeks).toEqual([
      { weekStart: "2026-11-02", orders: 2, answered: 2, answersByOption: { [`creator:${maya.id}`]: 2 } },
      {
        weekStart: "2026-11-09",
        orders: 4,
        answered: 2,
        answersByOption: { [`creator:${maya.id}`]: 1, "channel:tiktok": 1 },
      },
    ]);
    expect(results.agreement).toEqual({
      rows: [
        { key: `creator:${maya.id}`, label: "Maya Fit", kind: "CREATOR", agree: 1, disagree: 1, surveyOnly: 1 },
        { key: "channel:tiktok", label: "TikTok", kind: "CHANNEL", agree: 0, disagree: 0, surveyOnly: 1 },
      ],
      totals: { AGREE: 1, DISAGREE: 1, SURVEY_ONLY: 2, NO_ANSWER: 2 },
      noAnswerTracked: 1,
    });
  });

  it("are empty for a range without orders", async () => {
    const shop = await createTestShop();
    const results = await loadSurveyResults(shop, { from: "2026-01-01", to: "2026-01-07" });
    expect(results).toMatchObject({ orders: 0, answered: 0, responseRateBasisPoints: null, answersWaitingForOrder: 0 });
    expect(results.weeks).toHaveLength(2);
  });
});
