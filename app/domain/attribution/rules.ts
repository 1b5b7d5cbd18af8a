import { z } from "zod";
import { normalizeDiscountCode } from "./normalize-discount-code";
import { SIGNAL_KIND_NAMES } from "./signal-kind-names";
import { SIGNAL_KINDS, type AttributionRules, type SignalKind } from "./types";

export const DEFAULT_ATTRIBUTION_RULES: AttributionRules = {
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
};

/** The bounds the admin form enforces and shows (min/max on its number fields). */
export const LIMITS = {
  windowDays: { min: 1, max: 365 },
  customerLockDays: { min: 1, max: 3650 },
  excludedCodes: { count: 200, length: 255 },
  surveyConfidence: { min: 0, max: 100 },
  burstMinOrders: { min: 1, max: 10_000 },
  burstMultiplier: { min: 1, max: 100 },
} as const;

const defaults = DEFAULT_ATTRIBUTION_RULES;
const limits = LIMITS;

/*
 * The rules as Shop.attributionRules stores them. A field the JSON lacks takes its default, so `{}` is the defaults
 * and rules saved before a field existed keep working; keys it does not know are dropped.
 */
export const attributionRulesSchema = z.object({
  precedence: z
    .array(z.enum(SIGNAL_KINDS))
    .refine((kinds) => new Set(kinds).size === kinds.length, "each signal kind appears at most once")
    .default(() => [...defaults.precedence]),
  windowDays: z.number().int().min(limits.windowDays.min).max(limits.windowDays.max).default(defaults.windowDays),
  touchModel: z.enum(["FIRST", "LAST"]).default(defaults.touchModel),
  newCustomersOnly: z.boolean().default(defaults.newCustomersOnly),
  customerLock: z
    .object({
      enabled: z.boolean().default(defaults.customerLock.enabled),
      days: z
        .number()
        .int()
        .min(limits.customerLockDays.min)
        .max(limits.customerLockDays.max)
        .nullable()
        .default(defaults.customerLock.days),
    })
    .default(() => ({ ...defaults.customerLock })),
  excludedCodes: z
    .array(z.string().max(limits.excludedCodes.length))
    .max(limits.excludedCodes.count)
    .default(() => [...defaults.excludedCodes]),
  surveyConfidence: z
    .number()
    .int()
    .min(limits.surveyConfidence.min)
    .max(limits.surveyConfidence.max)
    .default(defaults.surveyConfidence),
  burstMinOrders: z
    .number()
    .int()
    .min(limits.burstMinOrders.min)
    .max(limits.burstMinOrders.max)
    .default(defaults.burstMinOrders),
  burstMultiplier: z
    .number()
    .min(limits.burstMultiplier.min)
    .max(limits.burstMultiplier.max)
    .default(defaults.burstMultiplier),
});

export class InvalidAttributionRulesError extends Error {
  override name = "InvalidAttributionRulesError";
}

/** Shop.attributionRules as stored; a JSON null (nothing saved) is the defaults like `{}`. */
export function parseAttributionRules(stored: unknown): AttributionRules {
  const parsed = attributionRulesSchema.safeParse(stored ?? {});
  if (!parsed.success) {
    throw new InvalidAttributionRulesError(`Stored attribution rules are invalid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

// ---------- The admin form ----------

export type AttributionRulesFieldErrors = Partial<Record<keyof AttributionRules, string>>;

export type AttributionRulesFormResult =
  | { ok: true; rules: AttributionRules }
  | { ok: false; fieldErrors: AttributionRulesFieldErrors };

/** The form's field names; customerLock is two fields, customerLockEnabled and customerLockDays. */
export type AttributionRulesFormField =
  | "precedence"
  | "windowDays"
  | "touchModel"
  | "newCustomersOnly"
  | "customerLockEnabled"
  | "customerLockDays"
  | "excludedCodes"
  | "surveyConfidence"
  | "burstMinOrders"
  | "burstMultiplier";

/** The form's initial values for saved rules: what validateAttributionRulesForm reads back into the same rules. */
export function attributionRulesFormValues(rules: AttributionRules): Record<AttributionRulesFormField, string> {
  return {
    precedence: rules.precedence.join(","),
    windowDays: String(rules.windowDays),
    touchModel: rules.touchModel,
    newCustomersOnly: rules.newCustomersOnly ? "true" : "",
    customerLockEnabled: rules.customerLock.enabled ? "true" : "",
    customerLockDays: rules.customerLock.days === null ? "" : String(rules.customerLock.days),
    excludedCodes: rules.excludedCodes.join("\n"),
    surveyConfidence: String(rules.surveyConfidence),
    burstMinOrders: String(rules.burstMinOrders),
    burstMultiplier: String(rules.burstMultiplier),
  };
}

/**
 * The settings form as submitted (every value a string, an unticked checkbox absent). Each field's message is
 * written for the merchant and shown next to the field; customerLockDays reports under customerLock.
 */
export function validateAttributionRulesForm(raw: Record<string, unknown>): AttributionRulesFormResult {
  const fieldErrors: AttributionRulesFieldErrors = {};
  const field = <K extends keyof AttributionRules>(key: K, result: FieldResult<AttributionRules[K]>) => {
    if (result.ok) return result.value;
    fieldErrors[key] = result.message;
    return defaults[key];
  };

  const rules: AttributionRules = {
    precedence: field("precedence", precedenceField(raw.precedence)),
    windowDays: field(
      "windowDays",
      wholeNumberField(raw.windowDays, limits.windowDays, "Enter a window between 1 and 365 days"),
    ),
    touchModel: field("touchModel", touchModelField(raw.touchModel)),
    newCustomersOnly: field("newCustomersOnly", checkboxField(raw.newCustomersOnly)),
    customerLock: field("customerLock", customerLockFields(raw.customerLockEnabled, raw.customerLockDays)),
    excludedCodes: field("excludedCodes", excludedCodesField(raw.excludedCodes)),
    surveyConfidence: field(
      "surveyConfidence",
      wholeNumberField(raw.surveyConfidence, limits.surveyConfidence, "Enter a confidence between 0 and 100"),
    ),
    burstMinOrders: field(
      "burstMinOrders",
      wholeNumberField(raw.burstMinOrders, limits.burstMinOrders, "Enter a number of orders between 1 and 10,000"),
    ),
    burstMultiplier: field(
      "burstMultiplier",
      decimalField(raw.burstMultiplier, limits.burstMultiplier, "Enter a multiplier between 1 and 100, like 5 or 2.5"),
    ),
  };
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, rules };
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

const valid = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const invalid = <T>(message: string): FieldResult<T> => ({ ok: false, message });

function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return null;
}

function precedenceField(value: unknown): FieldResult<SignalKind[]> {
  const text = textOf(value ?? "");
  if (text === null) return invalid("Choose the signals that credit creators, highest first");
  const names = text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(SIGNAL_KINDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const listed = [...new Set(unknown)].map((name) => `"${name}"`).join(", ");
    return invalid(
      `Unknown signal ${unknown.length === 1 ? "kind" : "kinds"}: ${listed}. Use ${SIGNAL_KINDS.join(", ")}`,
    );
  }
  const kinds = names as SignalKind[];
  const repeated = [...new Set(kinds.filter((kind, index) => kinds.indexOf(kind) !== index))];
  if (repeated.length > 0) {
    return invalid(
      `List each signal once: ${repeated.map((kind) => SIGNAL_KIND_NAMES[kind].one).join(", ")} appears more than once`,
    );
  }
  return valid(kinds);
}

function wholeNumberField(value: unknown, range: { min: number; max: number }, message: string): FieldResult<number> {
  const text = textOf(value);
  if (text === null || !/^\d{1,6}$/.test(text)) return invalid(message);
  const number = Number(text);
  return number >= range.min && number <= range.max ? valid(number) : invalid(message);
}

function decimalField(value: unknown, range: { min: number; max: number }, message: string): FieldResult<number> {
  const text = textOf(value);
  if (text === null || !/^\d{1,6}(\.\d{1,4})?$/.test(text)) return invalid(message);
  const number = Number(text);
  return number >= range.min && number <= range.max ? valid(number) : invalid(message);
}

function touchModelField(value: unknown): FieldResult<AttributionRules["touchModel"]> {
  const text = textOf(value)?.toUpperCase();
  return text === "FIRST" || text === "LAST" ? valid(text) : invalid("Choose first touch or last touch");
}

function checkboxField(value: unknown): FieldResult<boolean> {
  const text = textOf(value ?? "")?.toLowerCase();
  if (text === "true" || text === "on") return valid(true);
  if (text === "" || text === "false" || text === "off") return valid(false);
  return invalid("Tick the box or leave it empty");
}

function customerLockFields(enabled: unknown, days: unknown): FieldResult<AttributionRules["customerLock"]> {
  const lockEnabled = checkboxField(enabled);
  if (!lockEnabled.ok) return lockEnabled;
  const daysText = textOf(days ?? "");
  if (daysText === "") return valid({ enabled: lockEnabled.value, days: null });
  const lockDays = wholeNumberField(
    daysText,
    limits.customerLockDays,
    "Enter how many days the lock lasts, between 1 and 3650, or leave it empty to lock for life",
  );
  return lockDays.ok ? valid({ enabled: lockEnabled.value, days: lockDays.value }) : lockDays;
}

function excludedCodesField(value: unknown): FieldResult<string[]> {
  const text = textOf(value ?? "");
  if (text === null) return invalid("Enter codes one per line or separated by commas");
  const codes = [
    ...new Set(
      text
        .split(/[\n\r,]+/)
        .map(normalizeDiscountCode)
        .filter((code) => code !== ""),
    ),
  ];
  const { count, length } = limits.excludedCodes;
  if (codes.length > count) return invalid(`Enter at most ${count} excluded codes (there are ${codes.length})`);
  const tooLong = codes.find((code) => code.length > length);
  if (tooLong) return invalid(`Codes are at most ${length} characters; ${tooLong.slice(0, 20)}… is longer`);
  return valid(codes);
}
