import { describe, expect, it } from "vitest";
import {
  channelKeyFromLabel,
  DEFAULT_SURVEY_SETTINGS,
  InvalidSurveySettingsError,
  parseSurveySettings,
  surveySettingsFormValues,
  validateSurveySettingsForm,
  type SurveySettingsFormInput,
} from "./settings";

const MAYA = "0b0c4f7e-8f2a-4c1e-9d35-1a2b3c4d5e6f";
const LEO = "7d2e9a10-3b4c-4d5e-8f60-718293a4b5c6";

/** What the form submits for these settings, as FormData would give it. */
function formOf(values: ReturnType<typeof surveySettingsFormValues>): SurveySettingsFormInput {
  return {
    enabled: values.enabled ? "true" : undefined,
    question: values.question,
    channelKey: values.channels.map((c) => c.key),
    channelLabel: values.channels.map((c) => c.label),
    creatorSelection: values.creatorSelection,
    creatorIds: values.creatorIds,
    includeOther: values.includeOther ? "on" : undefined,
    otherLabel: values.otherLabel,
    randomize: values.randomize ? "true" : undefined,
  };
}

const defaultsForm = () => formOf(surveySettingsFormValues(DEFAULT_SURVEY_SETTINGS));

describe("stored survey settings", () => {
  it("{} and null are the defaults: the survey is on, with six channels, every creator and Other, shuffled", () => {
    expect(parseSurveySettings({})).toEqual(DEFAULT_SURVEY_SETTINGS);
    expect(parseSurveySettings(null)).toEqual(DEFAULT_SURVEY_SETTINGS);
    expect(DEFAULT_SURVEY_SETTINGS.channels.map((c) => c.label)).toEqual([
      "Instagram",
      "TikTok",
      "YouTube",
      "Podcast",
      "Search engine",
      "Friend or family",
    ]);
    expect(DEFAULT_SURVEY_SETTINGS).toMatchObject({
      enabled: true,
      question: null,
      creatorSelection: "ALL",
      includeOther: true,
      otherLabel: null,
      randomize: true,
    });
  });

  it("keeps what was saved and fills fields saved before they existed", () => {
    expect(parseSurveySettings({ enabled: false, question: "Who sent you?" })).toEqual({
      ...DEFAULT_SURVEY_SETTINGS,
      enabled: false,
      question: "Who sent you?",
    });
  });

  it("refuses stored settings that break the rules instead of guessing", () => {
    expect(() =>
      parseSurveySettings({
        channels: [
          { key: "a", label: "A" },
          { key: "a", label: "B" },
        ],
      }),
    ).toThrow(InvalidSurveySettingsError);
    expect(() => parseSurveySettings({ creatorIds: ["not-a-uuid"] })).toThrow(InvalidSurveySettingsError);
  });
});

describe("the settings form", () => {
  it("reads the defaults' form back into the defaults", () => {
    expect(validateSurveySettingsForm(defaultsForm(), [])).toEqual({ ok: true, settings: DEFAULT_SURVEY_SETTINGS });
  });

  it("saves a renamed question and Other label, chosen creators and a new channel with a key made from its label", () => {
    const result = validateSurveySettingsForm(
      {
        ...defaultsForm(),
        question: "  Who told you about us?  ",
        otherLabel: "Something else",
        creatorSelection: "CHOSEN",
        creatorIds: [LEO, MAYA, LEO],
        channelKey: ["instagram", ""],
        channelLabel: ["Insta", "Crème de la crème newsletter"],
        randomize: undefined,
      },
      [MAYA, LEO],
    );
    expect(result).toEqual({
      ok: true,
      settings: {
        enabled: true,
        question: "Who told you about us?",
        channels: [
          { key: "instagram", label: "Insta" },
          { key: "creme-de-la-creme-newsletter", label: "Crème de la crème newsletter" },
        ],
        creatorSelection: "CHOSEN",
        creatorIds: [LEO, MAYA],
        includeOther: true,
        otherLabel: "Something else",
        randomize: false,
      },
    });
  });

  it("gives a new channel a key no other channel has, and drops rows left empty", () => {
    const result = validateSurveySettingsForm(
      { ...defaultsForm(), channelKey: ["podcast", "", "", ""], channelLabel: ["Podcasts", "Podcast", "", "抖音"] },
      [],
    );
    expect(result.ok && result.settings.channels).toEqual([
      { key: "podcast", label: "Podcasts" },
      { key: "podcast-2", label: "Podcast" },
      { key: "channel", label: "抖音" },
    ]);
  });

  it.each([
    [{ question: "x".repeat(151) }, "question", /150 characters/],
    [{ otherLabel: "x".repeat(61) }, "otherLabel", /60 characters/],
    [{ channelKey: ["", ""], channelLabel: ["TikTok", "tiktok"] }, "channels", /“tiktok” appears twice/],
    [{ channelKey: ["instagram"], channelLabel: [""] }, "channels", /Channel 1 needs a label/],
    [{ channelKey: ["x"], channelLabel: ["a", "b"] }, "channels", /could not be read/],
    [{ channelKey: ["Not A Key"], channelLabel: ["A"] }, "channels", /unknown key/],
    [
      { channelKey: Array(13).fill(""), channelLabel: Array.from({ length: 13 }, (_, i) => `C${i}`) },
      "channels",
      /at most 12/,
    ],
    [{ creatorSelection: "SOME" }, "creatorSelection", /all creators or the creators/],
    [{ creatorSelection: "CHOSEN", creatorIds: [] }, "creatorIds", /at least one creator/],
    [{ creatorIds: ["9e1f0000-0000-4000-8000-000000000000"] }, "creatorIds", /no longer exists/],
    [{ enabled: "maybe" }, "enabled", /Tick the box/],
  ] as const)("refuses %j with a message on %s", (change, field, message) => {
    const result = validateSurveySettingsForm({ ...defaultsForm(), ...change } as SurveySettingsFormInput, [MAYA]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors[field]).toMatch(message);
  });

  it("refuses a survey with nothing to choose, and accepts creators alone", () => {
    const empty = { ...defaultsForm(), channelKey: [], channelLabel: [], includeOther: undefined };
    expect(validateSurveySettingsForm(empty, [])).toEqual({
      ok: false,
      fieldErrors: { channels: expect.stringMatching(/something to choose/) },
    });
    expect(validateSurveySettingsForm(empty, [MAYA]).ok).toBe(true);
  });

  it("reports every wrong field at once, then the rules between fields", () => {
    const result = validateSurveySettingsForm(
      {
        ...defaultsForm(),
        question: "x".repeat(200),
        channelKey: ["", ""],
        channelLabel: ["A", "a"],
        creatorIds: ["9e1f0000-0000-4000-8000-000000000000"],
      },
      [MAYA],
    );
    expect(!result.ok && Object.keys(result.fieldErrors).sort()).toEqual(["channels", "creatorIds", "question"]);
  });
});

describe("channel keys", () => {
  it("are slugs of the label", () => {
    expect(channelKeyFromLabel("Friend or family")).toBe("friend-or-family");
    expect(channelKeyFromLabel("  YouTube!!  ")).toBe("youtube");
    expect(channelKeyFromLabel("Ñandú & Co.")).toBe("nandu-co");
    expect(channelKeyFromLabel("🎙️")).toBe("channel");
    expect(channelKeyFromLabel("a".repeat(80)).length).toBeLessThanOrEqual(36);
  });
});
