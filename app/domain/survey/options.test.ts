import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  channelOptionKey,
  creatorOptionKey,
  findSurveyOption,
  OTHER_OPTION_KEY,
  optionKindOf,
  storedOptionLabel,
  surveyCreators,
  surveyOptions,
} from "./options";
import { DEFAULT_SURVEY_SETTINGS, SURVEY_LIMITS, type SurveySettings } from "./settings";

const creators = [
  { id: "33333333-3333-4333-8333-333333333333", name: "zoe" },
  { id: "11111111-1111-4111-8111-111111111111", name: "Maya Fit" },
  { id: "22222222-2222-4222-8222-222222222222", name: "Leo Runs" },
];
const settings = (change: Partial<SurveySettings> = {}): SurveySettings => ({
  ...DEFAULT_SURVEY_SETTINGS,
  randomize: false,
  ...change,
});

describe("the survey's answers", () => {
  it("are the creators by name, then the channels as listed, then Other with the merchant's label or null", () => {
    const options = surveyOptions(settings({ channels: [{ key: "podcast", label: "Podcast" }] }), creators);
    expect(options).toEqual([
      { key: creatorOptionKey(creators[2]!.id), label: "Leo Runs", kind: "CREATOR", creatorId: creators[2]!.id },
      { key: creatorOptionKey(creators[1]!.id), label: "Maya Fit", kind: "CREATOR", creatorId: creators[1]!.id },
      { key: creatorOptionKey(creators[0]!.id), label: "zoe", kind: "CREATOR", creatorId: creators[0]!.id },
      { key: "channel:podcast", label: "Podcast", kind: "CHANNEL", creatorId: null },
      { key: "other", label: null, kind: "OTHER", creatorId: null },
    ]);
    expect(surveyOptions(settings({ otherLabel: "Something else" }), []).at(-1)).toMatchObject({
      label: "Something else",
    });
    expect(surveyOptions(settings({ includeOther: false }), []).map((o) => o.kind)).not.toContain("OTHER");
  });

  it("are none while the survey is off", () => {
    expect(surveyOptions(settings({ enabled: false }), creators)).toEqual([]);
  });

  it("show only the chosen creators that still exist", () => {
    const chosen = settings({
      creatorSelection: "CHOSEN",
      creatorIds: [creators[0]!.id, "44444444-4444-4444-8444-444444444444"],
    });
    expect(surveyCreators(chosen, creators)).toEqual([creators[0]]);
  });

  it("offer at most SURVEY_LIMITS.creators creators, the first by name", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      id: `id-${i}`,
      name: `Creator ${String(i).padStart(2, "0")}`,
    }));
    const shown = surveyCreators(settings(), many);
    expect(shown).toHaveLength(SURVEY_LIMITS.creators);
    expect(shown[0]!.name).toBe("Creator 00");
  });

  it("shuffled, are the same answers in another order, with Other always last", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (draws) => {
          let i = 0;
          const random = () => draws[i++ % draws.length]!;
          const shuffled = surveyOptions(settings({ randomize: true }), creators, random);
          const plain = surveyOptions(settings(), creators);
          expect(shuffled.at(-1)!.key).toBe(OTHER_OPTION_KEY);
          expect([...shuffled].sort((a, b) => a.key.localeCompare(b.key))).toEqual(
            [...plain].sort((a, b) => a.key.localeCompare(b.key)),
          );
        },
      ),
    );
  });

  it("shuffled, differ from one shopper to the next", () => {
    const orders = new Set(
      Array.from({ length: 20 }, () =>
        surveyOptions(settings({ randomize: true }), creators)
          .map((o) => o.key)
          .join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe("finding the answer a shopper chose", () => {
  it("knows the options the survey offers and nothing else", () => {
    const maya = creatorOptionKey(creators[1]!.id);
    expect(findSurveyOption(settings(), creators, maya)).toMatchObject({ kind: "CREATOR", creatorId: creators[1]!.id });
    expect(findSurveyOption(settings(), creators, channelOptionKey("tiktok"))).toMatchObject({ label: "TikTok" });
    expect(findSurveyOption(settings(), creators, channelOptionKey("myspace"))).toBeNull();
    expect(
      findSurveyOption(settings({ creatorSelection: "CHOSEN", creatorIds: [creators[0]!.id] }), creators, maya),
    ).toBeNull();
    expect(findSurveyOption(settings({ includeOther: false }), creators, OTHER_OPTION_KEY)).toBeNull();
    expect(findSurveyOption(settings({ enabled: false }), creators, maya)).toBeNull();
  });

  it("stores Other under the merchant's label, or 'Other'", () => {
    expect(storedOptionLabel(findSurveyOption(settings(), [], "other")!)).toBe("Other");
    expect(storedOptionLabel(findSurveyOption(settings({ otherLabel: "Else" }), [], "other")!)).toBe("Else");
  });

  it("tells an answer's kind by its key", () => {
    expect(optionKindOf("creator:abc")).toBe("CREATOR");
    expect(optionKindOf("channel:tiktok")).toBe("CHANNEL");
    expect(optionKindOf("other")).toBe("OTHER");
    expect(optionKindOf("creator:")).toBeNull();
    expect(optionKindOf("Other")).toBeNull();
  });
});
