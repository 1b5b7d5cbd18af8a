import { describe, expect, it } from "vitest";
import { confirmationNumberSchema, otherTextFor, requestErrorOf, surveyAnswerRequestSchema } from "./answer-request";
import type { SurveyOption } from "./options";

const other: SurveyOption = { key: "other", label: null, kind: "OTHER", creatorId: null };
const channel: SurveyOption = { key: "channel:tiktok", label: "TikTok", kind: "CHANNEL", creatorId: null };

describe("what the extension sends", () => {
  it("reads a confirmation number as Shopify gives it, and nothing else", () => {
    expect(confirmationNumberSchema.parse(" XPAV284CT ")).toBe("XPAV284CT");
    for (const bad of ["", "XP AV", "XPAV-284", "x".repeat(65), "1;DROP", 42, null]) {
      expect(confirmationNumberSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it("names the field at fault", () => {
    const missing = surveyAnswerRequestSchema.safeParse({ confirmationNumber: "ABC123" });
    expect(!missing.success && requestErrorOf(missing.error)).toEqual({
      message: "optionKey is required",
      field: "optionKey",
    });
    const notObject = surveyAnswerRequestSchema.safeParse([1, 2]);
    expect(!notObject.success && requestErrorOf(notObject.error)).toEqual({
      message: "The body must be a JSON object",
    });
  });

  it("requires text for Other, at most 200 characters, cleaned of control characters", () => {
    expect(otherTextFor(other, "  A friend's\nstory\u0000 ")).toEqual({ ok: true, value: "A friend's story" });
    expect(otherTextFor(other, "🎙".repeat(200))).toEqual({ ok: true, value: "🎙".repeat(200) });
    expect(otherTextFor(other, "x".repeat(201))).toMatchObject({ ok: false, error: { field: "otherText" } });
    expect(otherTextFor(other, "   ")).toMatchObject({ ok: false, error: { field: "otherText" } });
    expect(otherTextFor(other, undefined)).toMatchObject({ ok: false, error: { field: "otherText" } });
  });

  it("ignores text sent with any other answer", () => {
    expect(otherTextFor(channel, "leftover text")).toEqual({ ok: true, value: null });
  });
});
