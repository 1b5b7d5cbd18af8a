import { describe, expect, test } from "vitest";

import { validateDraft } from "../src/answer";
import { parseSurveyState } from "../src/api";
import { SURVEY, translator } from "./helpers";

describe("parseSurveyState", () => {
  test("keeps the contract's shape, in the server's order", () => {
    const state = {
      survey: {
        question: "Who sent you?",
        options: [
          { key: "b", label: "Ben", kind: "CREATOR" },
          { key: "tiktok", label: "TikTok", kind: "CHANNEL" },
          { key: "other", label: null, kind: "OTHER" },
        ],
        otherMaxLength: 120,
      },
      answer: null,
    };
    // Parsed from a copy, so that what it is compared with is the state as sent whatever parsing does to its input.
    expect(parseSurveyState(structuredClone(state))).toEqual(state);
  });

  test("a survey that is off", () => {
    expect(parseSurveyState({ survey: null })).toEqual({ survey: null });
  });

  test("drops options it cannot show, and falls back to the default length", () => {
    expect(
      parseSurveyState({
        survey: {
          question: "  ",
          options: [
            { key: "a", label: null, kind: "CREATOR" },
            { key: "x", label: "X", kind: "PODCAST" },
            { key: "", label: "Empty", kind: "CHANNEL" },
            { key: "ok", label: "Fine", kind: "CHANNEL" },
          ],
        },
        answer: { optionKey: "ok", optionLabel: "Fine" },
      }),
    ).toEqual({
      survey: { question: null, options: [{ key: "ok", label: "Fine", kind: "CHANNEL" }], otherMaxLength: 200 },
      answer: { optionKey: "ok", optionLabel: "Fine" },
    });
  });

  test("anything else is not a survey", () => {
    expect(parseSurveyState(undefined)).toBeNull();
    expect(parseSurveyState({})).toBeNull();
    expect(parseSurveyState({ survey: { options: [] } })).toBeNull();
    expect(parseSurveyState({ survey: { options: "a,b" } })).toBeNull();
  });
});

describe("validateDraft", () => {
  const t = translator("en");
  const check = (optionKey: string | null, otherText = "") => validateDraft({ optionKey, otherText }, SURVEY, "N1", t);

  test("an option, or Other with a trimmed text", () => {
    expect(check("creator-ana", "ignored")).toEqual({ body: { confirmationNumber: "N1", optionKey: "creator-ana" } });
    expect(check("other", "  a friend ")).toEqual({
      body: { confirmationNumber: "N1", optionKey: "other", otherText: "a friend" },
    });
  });

  test("counts characters as the server does (an emoji is one)", () => {
    expect(check("other", "🎧".repeat(200))).toHaveProperty("body");
    expect(check("other", "🎧".repeat(201))).toEqual({ errors: { otherText: "Use 200 characters or fewer." } });
  });

  test("nothing chosen, or an option that is not offered", () => {
    expect(check(null)).toEqual({ errors: { option: "Choose an answer." } });
    expect(check("creator-gone")).toEqual({ errors: { option: "Choose an answer." } });
  });
});
