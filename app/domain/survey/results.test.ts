import { describe, expect, it } from "vitest";
import {
  mondayOf,
  summarizeSurveyResults,
  surveyAgreement,
  trackingCreatorOf,
  type SurveyResultOrder,
} from "./results";

const MAYA = "11111111-1111-4111-8111-111111111111";
const LEO = "22222222-2222-4222-8222-222222222222";
const range = { from: "2026-11-02", to: "2026-11-15" }; // two weeks, Monday to Sunday

function order(
  processedAt: string,
  answer: [key: string, label: string, creatorId: string | null] | null,
  tracking: string | null = null,
  answeredAt = processedAt,
): SurveyResultOrder {
  return {
    processedAt: new Date(processedAt),
    answer: answer
      ? { optionKey: answer[0], optionLabel: answer[1], creatorId: answer[2], answeredAt: new Date(answeredAt) }
      : null,
    trackingCreatorId: tracking,
  };
}
const maya = (label = "Maya Fit") => [`creator:${MAYA}`, label, MAYA] as [string, string, string];
const tiktok = ["channel:tiktok", "TikTok", null] as [string, string, null];

describe("survey results over a date range", () => {
  it("counts the response rate as answered orders over orders in the range", () => {
    const results = summarizeSurveyResults(
      [
        order("2026-11-03T12:00:00Z", maya()),
        order("2026-11-04T12:00:00Z", null),
        order("2026-11-05T12:00:00Z", tiktok),
      ],
      range,
      "UTC",
    );
    expect(results).toMatchObject({ orders: 3, answered: 2, responseRateBasisPoints: 6667 });
  });

  it("has no rate without orders, and every week of the range with zeros", () => {
    const results = summarizeSurveyResults([], range, "UTC");
    expect(results.responseRateBasisPoints).toBeNull();
    expect(results.weeks).toEqual([
      { weekStart: "2026-11-02", orders: 0, answered: 0, answersByOption: {} },
      { weekStart: "2026-11-09", orders: 0, answered: 0, answersByOption: {} },
    ]);
  });

  it("puts each order in its week and day in the shop's timezone, and leaves out orders outside the range", () => {
    const results = summarizeSurveyResults(
      [
        // Sunday 8 November 23:30 in New York is Monday 9 November in UTC: the first week.
        order("2026-11-09T04:30:00Z", maya()),
        order("2026-11-10T15:00:00Z", maya()),
        order("2026-11-10T16:00:00Z", tiktok),
        // 15 November 23:00 in New York: inside; 16 November: outside.
        order("2026-11-16T04:00:00Z", null),
        order("2026-11-16T06:00:00Z", maya()),
        order("2026-11-02T03:00:00Z", maya()), // 1 November in New York
      ],
      range,
      "America/New_York",
    );
    expect(results.orders).toBe(4);
    expect(results.weeks).toEqual([
      { weekStart: "2026-11-02", orders: 1, answered: 1, answersByOption: { [`creator:${MAYA}`]: 1 } },
      {
        weekStart: "2026-11-09",
        orders: 3,
        answered: 2,
        answersByOption: { [`creator:${MAYA}`]: 1, "channel:tiktok": 1 },
      },
    ]);
  });

  it("lists options most answered first, under the label of their latest answer", () => {
    const results = summarizeSurveyResults(
      [
        order("2026-11-03T12:00:00Z", maya("Maya")),
        order("2026-11-04T12:00:00Z", maya("Maya Fit")),
        order("2026-11-05T12:00:00Z", tiktok),
      ],
      range,
      "UTC",
    );
    expect(results.options).toEqual([
      { key: `creator:${MAYA}`, label: "Maya Fit", kind: "CREATOR", answers: 2 },
      { key: "channel:tiktok", label: "TikTok", kind: "CHANNEL", answers: 1 },
    ]);
  });

  it("compares each answer with the creator the order's tracking names", () => {
    const results = summarizeSurveyResults(
      [
        order("2026-11-03T12:00:00Z", maya(), MAYA), // agree
        order("2026-11-03T13:00:00Z", maya(), LEO), // disagree
        order("2026-11-03T14:00:00Z", maya(), null), // survey only
        order("2026-11-03T15:00:00Z", tiktok, LEO), // a channel, but the tracking names a creator
        order("2026-11-03T16:00:00Z", tiktok, null),
        order("2026-11-03T17:00:00Z", null, LEO), // no answer, tracked
        order("2026-11-03T18:00:00Z", null, null), // no answer
      ],
      range,
      "UTC",
    );
    expect(results.agreement).toEqual({
      rows: [
        { key: `creator:${MAYA}`, label: "Maya Fit", kind: "CREATOR", agree: 1, disagree: 1, surveyOnly: 1 },
        { key: "channel:tiktok", label: "TikTok", kind: "CHANNEL", agree: 0, disagree: 1, surveyOnly: 1 },
      ],
      totals: { AGREE: 1, DISAGREE: 2, SURVEY_ONLY: 2, NO_ANSWER: 2 },
      noAnswerTracked: 1,
    });
  });
});

describe("what the order's tracking names", () => {
  const evidence = [
    { signal: "survey", matched: true, creatorId: MAYA, decisive: true },
    { signal: "utm", matched: false, creatorId: null },
    { signal: "discount_code", matched: true, creatorId: LEO, decisive: false },
  ];

  it("is the credited creator when a tracking signal decided", () => {
    expect(trackingCreatorOf({ method: "DISCOUNT_CODE", creatorId: LEO, evidence: [] })).toBe(LEO);
    expect(trackingCreatorOf({ method: "UTM", creatorId: MAYA, evidence })).toBe(MAYA);
  });

  it("is the first tracking signal pointing at a creator when the survey, a lock or an override decided", () => {
    expect(trackingCreatorOf({ method: "SURVEY", creatorId: MAYA, evidence })).toBe(LEO);
    expect(trackingCreatorOf({ method: "MANUAL_OVERRIDE", creatorId: null, evidence })).toBe(LEO);
    expect(trackingCreatorOf({ method: "SURVEY", creatorId: MAYA, evidence: evidence.slice(0, 2) })).toBeNull();
    expect(trackingCreatorOf({ method: "NONE", creatorId: null, evidence: "not a list" })).toBeNull();
  });

  it("decides agreement", () => {
    expect(surveyAgreement(null, MAYA)).toBe("NO_ANSWER");
    expect(surveyAgreement({ creatorId: MAYA }, null)).toBe("SURVEY_ONLY");
    expect(surveyAgreement({ creatorId: MAYA }, MAYA)).toBe("AGREE");
    expect(surveyAgreement({ creatorId: null }, MAYA)).toBe("DISAGREE");
  });

  it("weeks start on Monday", () => {
    expect(mondayOf("2026-11-08")).toBe("2026-11-02");
    expect(mondayOf("2026-11-09")).toBe("2026-11-09");
    expect(mondayOf("2027-01-01")).toBe("2026-12-28");
  });
});
