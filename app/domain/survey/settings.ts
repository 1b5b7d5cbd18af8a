import { z } from "zod";
import { fieldErrorsOf } from "~/utils/field-errors";

/*
 * The shop's post-purchase survey ("How did you hear about us?"), as Shop.surveySettings stores it: whether it is
 * shown, the question, the channels and creators shoppers choose from, "Other" with its free text, and whether the
 * order of the answers is shuffled for each shopper (so the first answer is not favoured).
 */

export interface SurveyChannel {
  /** Stable, a slug: what stored answers keep (`channel:<key>`), so renaming the label keeps their history. */
  key: string;
  label: string;
}

export interface SurveySettings {
  enabled: boolean;
  /** Null: the extension asks its own default question, in the shopper's language. */
  question: string | null;
  channels: SurveyChannel[];
  /** ALL: the shop's creators, by name (at most SURVEY_LIMITS.creators); CHOSEN: those in creatorIds. */
  creatorSelection: "ALL" | "CHOSEN";
  creatorIds: string[];
  includeOther: boolean;
  /** Null: the extension's own word for "Other", in the shopper's language. */
  otherLabel: string | null;
  /** Shuffle creators and channels for every shopper; "Other" always stays last. */
  randomize: boolean;
}

/** What the admin shows as the default question; the extension asks its localized equivalent. */
export const DEFAULT_SURVEY_QUESTION = "How did you hear about us?";
/** What "Other" is stored as when the merchant kept the default label. */
export const DEFAULT_OTHER_LABEL = "Other";

export const DEFAULT_SURVEY_CHANNELS: readonly SurveyChannel[] = [
  { key: "instagram", label: "Instagram" },
  { key: "tiktok", label: "TikTok" },
  { key: "youtube", label: "YouTube" },
  { key: "podcast", label: "Podcast" },
  { key: "search-engine", label: "Search engine" },
  { key: "friend-or-family", label: "Friend or family" },
];

export const DEFAULT_SURVEY_SETTINGS: SurveySettings = {
  enabled: true,
  question: null,
  channels: DEFAULT_SURVEY_CHANNELS.map((channel) => ({ ...channel })),
  creatorSelection: "ALL",
  creatorIds: [],
  includeOther: true,
  otherLabel: null,
  randomize: true,
};

export const SURVEY_LIMITS = {
  questionLength: 150,
  channels: 12,
  channelLabelLength: 60,
  channelKeyLength: 40,
  /** Creators shoppers choose from: a longer list is unusable on a phone. */
  creators: 25,
  otherLabelLength: 60,
  /** What a shopper may type after choosing "Other". */
  otherTextLength: 200,
} as const;

const limits = SURVEY_LIMITS;
const defaults = DEFAULT_SURVEY_SETTINGS;
const CHANNEL_KEY = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const uniqueKeys = (channels: readonly SurveyChannel[]) => new Set(channels.map((c) => c.key)).size === channels.length;

/*
 * The settings as stored. A field the JSON lacks takes its default, so `{}` is the defaults and settings saved before
 * a field existed keep working; keys it does not know are dropped.
 */
export const surveySettingsSchema = z.object({
  enabled: z.boolean().default(defaults.enabled),
  question: z.string().trim().min(1).max(limits.questionLength).nullable().default(defaults.question),
  channels: z
    .array(
      z.object({
        key: z.string().max(limits.channelKeyLength).regex(CHANNEL_KEY),
        label: z.string().trim().min(1).max(limits.channelLabelLength),
      }),
    )
    .max(limits.channels)
    .refine(uniqueKeys, "each channel key appears once")
    .default(() => defaults.channels.map((channel) => ({ ...channel }))),
  creatorSelection: z.enum(["ALL", "CHOSEN"]).default(defaults.creatorSelection),
  creatorIds: z
    .array(z.guid())
    .max(limits.creators)
    .refine((ids) => new Set(ids).size === ids.length, "each creator appears once")
    .default(() => [...defaults.creatorIds]),
  includeOther: z.boolean().default(defaults.includeOther),
  otherLabel: z.string().trim().min(1).max(limits.otherLabelLength).nullable().default(defaults.otherLabel),
  randomize: z.boolean().default(defaults.randomize),
});

export class InvalidSurveySettingsError extends Error {
  override name = "InvalidSurveySettingsError";
}

/** Shop.surveySettings as stored; a JSON null (nothing saved) is the defaults like `{}`. */
export function parseSurveySettings(stored: unknown): SurveySettings {
  const parsed = surveySettingsSchema.safeParse(stored ?? {});
  if (!parsed.success) {
    throw new InvalidSurveySettingsError(`Stored survey settings are invalid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

// ---------- The admin form ----------

export type SurveySettingsField =
  | "enabled"
  | "question"
  | "channels"
  | "creatorSelection"
  | "creatorIds"
  | "includeOther"
  | "otherLabel"
  | "randomize";

export type SurveySettingsFieldErrors = Partial<Record<SurveySettingsField, string>>;

/** The form as submitted: checkboxes absent when unticked, the channel and creator lists as repeated fields. */
export interface SurveySettingsFormInput {
  enabled?: unknown;
  question?: unknown;
  /** One entry per channel row, in the order shown; a new row's key is empty (it is made from the label). */
  channelKey?: unknown[];
  channelLabel?: unknown[];
  creatorSelection?: unknown;
  creatorIds?: unknown[];
  includeOther?: unknown;
  otherLabel?: unknown;
  randomize?: unknown;
}

export type SurveySettingsFormResult =
  | { ok: true; settings: SurveySettings }
  | { ok: false; fieldErrors: SurveySettingsFieldErrors };

/** The form's initial values for saved settings: what validateSurveySettingsForm reads back into the same settings. */
export interface SurveySettingsFormValues {
  enabled: boolean;
  question: string;
  channels: SurveyChannel[];
  creatorSelection: "ALL" | "CHOSEN";
  creatorIds: string[];
  includeOther: boolean;
  otherLabel: string;
  randomize: boolean;
}

export function surveySettingsFormValues(settings: SurveySettings): SurveySettingsFormValues {
  return {
    ...settings,
    channels: settings.channels.map((channel) => ({ ...channel })),
    creatorIds: [...settings.creatorIds],
    question: settings.question ?? "",
    otherLabel: settings.otherLabel ?? "",
  };
}

const checkbox = z
  .unknown()
  .transform((value) => (typeof value === "string" ? value.trim().toLowerCase() : value ?? ""))
  .pipe(z.enum(["", "true", "on", "false", "off"], { error: "Tick the box or leave it empty" }))
  .transform((value) => value === "true" || value === "on");

/** Empty means "the default" (null). */
function optionalText(max: number, tooLong: string) {
  return z
    .unknown()
    .transform((value) => value ?? "")
    .pipe(z.string({ error: "Enter text, or leave it empty" }).trim().max(max, tooLong))
    .transform((value) => (value === "" ? null : value));
}

/** The form's fields; `shopCreatorIds` are the creators a merchant may choose. */
function formSchemaFor(shopCreatorIds: ReadonlySet<string>) {
  return z.object({
    enabled: checkbox,
    question: optionalText(limits.questionLength, `Keep the question to ${limits.questionLength} characters or fewer`),
    channels: z
      .array(z.object({ key: z.string(), label: z.string() }), {
        error: "The channel list could not be read: reload the page and try again",
      })
      .transform((rows, ctx) => {
        const channels = channelsField(rows);
        if (channels.ok) return channels.value;
        ctx.addIssue({ code: "custom", message: channels.message });
        return z.NEVER;
      }),
    creatorSelection: z.enum(["ALL", "CHOSEN"], { error: "Choose all creators or the creators to show" }),
    creatorIds: z
      .array(z.string({ error: "Choose creators from your list" }))
      .transform((ids) => [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))])
      .refine((ids) => ids.every((id) => shopCreatorIds.has(id)), {
        error: "Choose creators from your list: one of them no longer exists",
        abort: true,
      })
      .refine((ids) => ids.length <= limits.creators, {
        error: (issue) => `Choose at most ${limits.creators} creators (${(issue.input as string[]).length} are ticked)`,
      }),
    includeOther: checkbox,
    otherLabel: optionalText(
      limits.otherLabelLength,
      `Keep the label to ${limits.otherLabelLength} characters or fewer`,
    ),
    randomize: checkbox,
  });
}

/**
 * The settings form as submitted. `shopCreatorIds`: the shop's creators, so that a chosen creator must be one of
 * them and the survey is never left without answers. Each message is written for the merchant and shown next to its
 * field; every field is checked at once, then the rules between fields; nothing is saved unless all is right.
 */
export function validateSurveySettingsForm(
  raw: SurveySettingsFormInput,
  shopCreatorIds: readonly string[],
): SurveySettingsFormResult {
  const known = new Set(shopCreatorIds);
  const parsed = formSchemaFor(known).safeParse({
    enabled: raw.enabled,
    question: raw.question,
    channels: channelRowsOf(raw.channelKey, raw.channelLabel),
    creatorSelection: raw.creatorSelection ?? "ALL",
    creatorIds: raw.creatorIds ?? [],
    includeOther: raw.includeOther,
    otherLabel: raw.otherLabel,
    randomize: raw.randomize,
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };

  const form = parsed.data;
  if (form.creatorSelection === "CHOSEN" && form.creatorIds.length === 0) {
    return { ok: false, fieldErrors: { creatorIds: "Choose at least one creator, or show all creators" } };
  }
  const creatorCount = form.creatorSelection === "ALL" ? known.size : form.creatorIds.length;
  if (form.channels.length + creatorCount === 0 && !form.includeOther) {
    return {
      ok: false,
      fieldErrors: { channels: "Shoppers need something to choose: add a channel, show creators or include “Other”" },
    };
  }
  // Ticked creators are kept with "all creators" too, so switching back finds them ticked.
  return { ok: true, settings: form };
}

/** Pairs the repeated key and label fields; null when they do not pair up (a tampered form). */
function channelRowsOf(
  keys: unknown[] | undefined,
  labels: unknown[] | undefined,
): { key: string; label: string }[] | null {
  const keyList = keys ?? [];
  const labelList = labels ?? [];
  if (keyList.length !== labelList.length) return null;
  if (![...keyList, ...labelList].every((value) => typeof value === "string")) return null;
  return labelList.map((label, index) => ({ key: keyList[index] as string, label: label as string }));
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

function channelsField(rows: readonly { key: string; label: string }[]): FieldResult<SurveyChannel[]> {
  const filled = rows
    .map((row) => ({ key: row.key.trim(), label: row.label.trim().replace(/\s+/g, " ") }))
    // A row left completely empty is a row the merchant added and did not fill: dropped.
    .filter((row) => row.key !== "" || row.label !== "");
  if (filled.length > limits.channels) {
    return { ok: false, message: `Offer at most ${limits.channels} channels (there are ${filled.length})` };
  }
  for (const [index, row] of filled.entries()) {
    if (row.label === "") return { ok: false, message: `Channel ${index + 1} needs a label` };
    if (row.label.length > limits.channelLabelLength) {
      return {
        ok: false,
        message: `Channel ${index + 1}: keep labels to ${limits.channelLabelLength} characters or fewer`,
      };
    }
    if (row.key !== "" && (!CHANNEL_KEY.test(row.key) || row.key.length > limits.channelKeyLength)) {
      return { ok: false, message: `Channel ${index + 1} has an unknown key: reload the page and try again` };
    }
  }
  const seenLabels = new Map<string, number>();
  for (const row of filled) {
    const label = row.label.toLowerCase();
    if (seenLabels.has(label)) return { ok: false, message: `List each channel once: “${row.label}” appears twice` };
    seenLabels.set(label, 1);
  }
  const keptKeys = filled.map((row) => row.key).filter((key) => key !== "");
  if (new Set(keptKeys).size !== keptKeys.length) {
    return { ok: false, message: "Each channel appears once: reload the page and try again" };
  }
  // New rows get a key made from their label, unique among the list's keys.
  const taken = new Set(keptKeys);
  const channels = filled.map((row) => {
    if (row.key !== "") return { key: row.key, label: row.label };
    const key = uniqueKey(channelKeyFromLabel(row.label), taken);
    taken.add(key);
    return { key, label: row.label };
  });
  return { ok: true, value: channels };
}

/** "Friend or family" → "friend-or-family"; a label with no Latin letters or digits becomes "channel". */
export function channelKeyFromLabel(label: string): string {
  const slug = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, limits.channelKeyLength - 4)
    .replace(/-+$/g, "");
  return slug === "" ? "channel" : slug;
}

function uniqueKey(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
