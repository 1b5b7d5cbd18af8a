import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attributionRulesFormValues,
  attributionRulesSchema,
  DEFAULT_ATTRIBUTION_RULES,
  InvalidAttributionRulesError,
  parseAttributionRules,
  validateAttributionRulesForm,
} from "./rules";
import { SIGNAL_KINDS, type AttributionRules } from "./types";

describe("parseAttributionRules", () => {
  it("reads {} and JSON null as the defaults", () => {
    expect(parseAttributionRules({})).toEqual(DEFAULT_ATTRIBUTION_RULES);
    expect(parseAttributionRules(null)).toEqual(DEFAULT_ATTRIBUTION_RULES);
  });

  it("has the agreed defaults", () => {
    expect(DEFAULT_ATTRIBUTION_RULES).toEqual({
      precedence: [
        "discount_code",
        "tracking_link",
        "ref_param",
        "utm",
        "cart_attribute",
        "customer_journey",
        "referring_site",
        "survey",
      ],
      windowDays: 30,
      touchModel: "LAST",
      newCustomersOnly: false,
      customerLock: { enabled: false, days: null },
      excludedCodes: [],
      surveyConfidence: 50,
      burstMinOrders: 20,
      burstMultiplier: 5,
    });
  });

  it("fills the fields a stored value lacks with defaults", () => {
    expect(parseAttributionRules({ windowDays: 7, customerLock: { enabled: true } })).toEqual({
      ...DEFAULT_ATTRIBUTION_RULES,
      windowDays: 7,
      customerLock: { enabled: true, days: null },
    });
  });

  it("ignores keys it does not know", () => {
    expect(parseAttributionRules({ retiredSetting: true })).toEqual(DEFAULT_ATTRIBUTION_RULES);
  });

  it("never hands out the defaults' own arrays", () => {
    const rules = parseAttributionRules({});
    rules.precedence.pop();
    rules.excludedCodes.push("X");
    expect(parseAttributionRules({})).toEqual(DEFAULT_ATTRIBUTION_RULES);
    expect(DEFAULT_ATTRIBUTION_RULES.precedence).toHaveLength(8);
  });

  it.each([
    ["a string", "nope"],
    ["an unknown kind", { precedence: ["discount_code", "tiktok_pixel"] }],
    ["a repeated kind", { precedence: ["utm", "utm"] }],
    ["a window of 0 days", { windowDays: 0 }],
    ["a fractional window", { windowDays: 1.5 }],
    ["an unknown touch model", { touchModel: "LINEAR" }],
    ["a lock of 0 days", { customerLock: { enabled: true, days: 0 } }],
    ["a confidence above 100", { surveyConfidence: 101 }],
    ["a multiplier below 1", { burstMultiplier: 0.5 }],
    ["too many excluded codes", { excludedCodes: Array.from({ length: 201 }, (_, i) => `CODE${i}`) }],
  ])("rejects %s with a clear error", (_name, stored) => {
    expect(() => parseAttributionRules(stored)).toThrow(InvalidAttributionRulesError);
    expect(() => parseAttributionRules(stored)).toThrow(/^Stored attribution rules are invalid: /);
  });

  it("names the field at fault", () => {
    expect(() => parseAttributionRules({ windowDays: 400 })).toThrow(/windowDays/);
  });

  it("accepts what the form produces", () => {
    const form = validateAttributionRulesForm({
      ...attributionRulesFormValues(DEFAULT_ATTRIBUTION_RULES),
      precedence: "survey, discount_code",
      excludedCodes: "summer sale\nBFCM",
    });
    if (!form.ok) throw new Error(JSON.stringify(form.fieldErrors));
    expect(parseAttributionRules(JSON.parse(JSON.stringify(form.rules)))).toEqual(form.rules);
    expect(attributionRulesSchema.parse(form.rules)).toEqual(form.rules);
  });
});

describe("validateAttributionRulesForm", () => {
  const formOf = (changes: Record<string, unknown> = {}) => ({
    ...attributionRulesFormValues(DEFAULT_ATTRIBUTION_RULES),
    ...changes,
  });
  const errorsOf = (changes: Record<string, unknown>) => {
    const result = validateAttributionRulesForm(formOf(changes));
    return result.ok ? {} : result.fieldErrors;
  };
  const rulesOf = (changes: Record<string, unknown>) => {
    const result = validateAttributionRulesForm(formOf(changes));
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    return result.rules;
  };

  it("reads the defaults back from their own form values", () => {
    expect(validateAttributionRulesForm(formOf())).toEqual({ ok: true, rules: DEFAULT_ATTRIBUTION_RULES });
  });

  describe("precedence", () => {
    it("reads a comma-separated list, in any case and spacing", () => {
      expect(rulesOf({ precedence: " Tracking_Link , discount_code,, survey " }).precedence).toEqual([
        "tracking_link",
        "discount_code",
        "survey",
      ]);
    });

    it("lets kinds be left out, down to none at all", () => {
      expect(rulesOf({ precedence: "discount_code" }).precedence).toEqual(["discount_code"]);
      expect(rulesOf({ precedence: "" }).precedence).toEqual([]);
    });

    it("names unknown kinds", () => {
      expect(errorsOf({ precedence: "discount_code, tiktok, pixel, tiktok" }).precedence).toBe(
        `Unknown signal kinds: "tiktok", "pixel". Use ${SIGNAL_KINDS.join(", ")}`,
      );
      expect(errorsOf({ precedence: "coupon" }).precedence).toMatch(/^Unknown signal kind: "coupon"\./);
    });

    it("takes each kind once", () => {
      expect(errorsOf({ precedence: "utm, discount_code, UTM" }).precedence).toBe(
        "List each signal once: UTM parameter appears more than once",
      );
    });
  });

  it.each([
    ["windowDays", "0", "Enter a window between 1 and 365 days"],
    ["windowDays", "366", "Enter a window between 1 and 365 days"],
    ["windowDays", "7.5", "Enter a window between 1 and 365 days"],
    ["windowDays", "", "Enter a window between 1 and 365 days"],
    ["windowDays", undefined, "Enter a window between 1 and 365 days"],
    ["windowDays", "thirty", "Enter a window between 1 and 365 days"],
    ["touchModel", "LINEAR", "Choose first touch or last touch"],
    ["touchModel", undefined, "Choose first touch or last touch"],
    ["newCustomersOnly", "maybe", "Tick the box or leave it empty"],
    ["surveyConfidence", "101", "Enter a confidence between 0 and 100"],
    ["surveyConfidence", "-1", "Enter a confidence between 0 and 100"],
    ["burstMinOrders", "0", "Enter a number of orders between 1 and 10,000"],
    ["burstMinOrders", "10001", "Enter a number of orders between 1 and 10,000"],
    ["burstMultiplier", "0.5", "Enter a multiplier between 1 and 100, like 5 or 2.5"],
    ["burstMultiplier", "101", "Enter a multiplier between 1 and 100, like 5 or 2.5"],
    ["burstMultiplier", "5x", "Enter a multiplier between 1 and 100, like 5 or 2.5"],
  ])("%s = %j: %s", (field, value, message) => {
    expect(errorsOf({ [field]: value })).toEqual({ [field]: message });
  });

  it.each([
    ["windowDays", "1", 1],
    ["windowDays", " 365 ", 365],
    ["touchModel", "first", "FIRST"],
    ["surveyConfidence", "0", 0],
    ["surveyConfidence", "100", 100],
    ["burstMinOrders", "10000", 10_000],
    ["burstMultiplier", "2.5", 2.5],
    ["burstMultiplier", "100", 100],
  ])("%s = %j reads as %j", (field, value, expected) => {
    expect(rulesOf({ [field]: value })[field as keyof AttributionRules]).toEqual(expected);
  });

  it.each([
    ["true", true],
    ["on", true],
    ["", false],
    [undefined, false],
    ["false", false],
  ])("newCustomersOnly = %j reads as %s", (value, expected) => {
    expect(rulesOf({ newCustomersOnly: value }).newCustomersOnly).toBe(expected);
  });

  describe("customer lock", () => {
    it("locks for life when the days are left blank", () => {
      expect(rulesOf({ customerLockEnabled: "on", customerLockDays: "" }).customerLock).toEqual({
        enabled: true,
        days: null,
      });
      expect(rulesOf({ customerLockEnabled: "on", customerLockDays: undefined }).customerLock).toEqual({
        enabled: true,
        days: null,
      });
    });

    it("reads the days, 1 to 3650", () => {
      expect(rulesOf({ customerLockEnabled: "true", customerLockDays: "180" }).customerLock).toEqual({
        enabled: true,
        days: 180,
      });
      expect(rulesOf({ customerLockEnabled: "true", customerLockDays: "3650" }).customerLock.days).toBe(3650);
      expect(rulesOf({ customerLockEnabled: "", customerLockDays: "90" }).customerLock).toEqual({
        enabled: false,
        days: 90,
      });
    });

    it.each(["0", "3651", "six months", "1.5"])("reports %j under customerLock", (days) => {
      expect(errorsOf({ customerLockEnabled: "on", customerLockDays: days })).toEqual({
        customerLock: "Enter how many days the lock lasts, between 1 and 3650, or leave it empty to lock for life",
      });
    });
  });

  describe("excluded codes", () => {
    it("reads codes one per line or comma-separated, normalized and deduplicated", () => {
      expect(rulesOf({ excludedCodes: "welcome10\r\nBFCM, summer sale ,\n\nWELCOME10\nbfcm" }).excludedCodes).toEqual([
        "WELCOME10",
        "BFCM",
        "SUMMERSALE",
      ]);
      expect(rulesOf({ excludedCodes: "" }).excludedCodes).toEqual([]);
      expect(rulesOf({ excludedCodes: undefined }).excludedCodes).toEqual([]);
    });

    it("takes at most 200 codes, counted after deduplication", () => {
      const codes = (n: number) => Array.from({ length: n }, (_, i) => `CODE${i}`).join("\n");
      expect(rulesOf({ excludedCodes: `${codes(200)}\ncode0` }).excludedCodes).toHaveLength(200);
      expect(errorsOf({ excludedCodes: codes(201) })).toEqual({
        excludedCodes: "Enter at most 200 excluded codes (there are 201)",
      });
    });

    it("takes codes of at most 255 characters", () => {
      expect(rulesOf({ excludedCodes: "A".repeat(255) }).excludedCodes).toEqual(["A".repeat(255)]);
      expect(errorsOf({ excludedCodes: `OK\n${"B".repeat(256)}` })).toEqual({
        excludedCodes: `Codes are at most 255 characters; ${"B".repeat(20)}… is longer`,
      });
    });
  });

  it("reports every field at fault at once", () => {
    expect(Object.keys(errorsOf({ windowDays: "0", touchModel: "x", precedence: "nope" })).sort()).toEqual([
      "precedence",
      "touchModel",
      "windowDays",
    ]);
  });

  it("rejects values a form cannot send", () => {
    expect(errorsOf({ windowDays: { days: 30 }, precedence: ["utm"] })).toEqual({
      windowDays: "Enter a window between 1 and 365 days",
      precedence: "Choose the signals that credit creators, highest first",
    });
  });

  it("reads back any valid rules from their form values", () => {
    const rules = fc.record({
      precedence: fc.shuffledSubarray([...SIGNAL_KINDS]),
      windowDays: fc.integer({ min: 1, max: 365 }),
      touchModel: fc.constantFrom("FIRST" as const, "LAST" as const),
      newCustomersOnly: fc.boolean(),
      customerLock: fc.record({ enabled: fc.boolean(), days: fc.option(fc.integer({ min: 1, max: 3650 })) }),
      excludedCodes: fc.uniqueArray(fc.stringMatching(/^[A-Z0-9-]{1,20}$/), { maxLength: 20 }),
      surveyConfidence: fc.integer({ min: 0, max: 100 }),
      burstMinOrders: fc.integer({ min: 1, max: 10_000 }),
      burstMultiplier: fc.integer({ min: 100, max: 10_000 }).map((hundredths) => hundredths / 100),
    });
    fc.assert(
      fc.property(rules, (original) => {
        expect(validateAttributionRulesForm(attributionRulesFormValues(original))).toEqual({
          ok: true,
          rules: original,
        });
        expect(parseAttributionRules(original)).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
