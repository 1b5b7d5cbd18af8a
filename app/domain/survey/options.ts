import { DEFAULT_OTHER_LABEL, SURVEY_LIMITS, type SurveySettings } from "./settings";

/*
 * The answers a shopper chooses from, and the keys stored answers keep: `creator:<creator id>`, `channel:<channel
 * key>` and `other`. A key names the same answer for as long as the creator or channel exists, whatever its label.
 */

export type SurveyOptionKind = "CREATOR" | "CHANNEL" | "OTHER";

export interface SurveyOption {
  key: string;
  /** Null only for "Other" when the merchant kept the default: the extension shows its own localized word. */
  label: string | null;
  kind: SurveyOptionKind;
  /** The creator a CREATOR option stands for. */
  creatorId: string | null;
}

/** A creator as the survey shows it. */
export interface SurveyCreator {
  id: string;
  name: string;
}

export const OTHER_OPTION_KEY = "other";
const CREATOR_PREFIX = "creator:";
const CHANNEL_PREFIX = "channel:";

export const creatorOptionKey = (creatorId: string) => `${CREATOR_PREFIX}${creatorId}`;
export const channelOptionKey = (channelKey: string) => `${CHANNEL_PREFIX}${channelKey}`;

/** What kind of answer a stored key is; null for a key the survey never issues. */
export function optionKindOf(key: string): SurveyOptionKind | null {
  if (key === OTHER_OPTION_KEY) return "OTHER";
  if (key.startsWith(CREATOR_PREFIX) && key.length > CREATOR_PREFIX.length) return "CREATOR";
  if (key.startsWith(CHANNEL_PREFIX) && key.length > CHANNEL_PREFIX.length) return "CHANNEL";
  return null;
}

/**
 * The creators the survey offers, by name (ties by id): with "all creators", the first SURVEY_LIMITS.creators of
 * the shop's; with chosen creators, those chosen that still exist. `creators` may hold more than are shown.
 */
export function surveyCreators(settings: SurveySettings, creators: readonly SurveyCreator[]): SurveyCreator[] {
  const chosen = new Set(settings.creatorIds);
  return creators
    .filter((creator) => settings.creatorSelection === "ALL" || chosen.has(creator.id))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || compareText(a.id, b.id))
    .slice(0, SURVEY_LIMITS.creators);
}

/**
 * The survey's answers in the order a shopper sees them: creators by name, then channels as listed, then "Other";
 * shuffled with `random` (creators and channels together) when the merchant asked. "Other" is always last. Empty when
 * the survey is off.
 */
export function surveyOptions(
  settings: SurveySettings,
  creators: readonly SurveyCreator[],
  random: () => number = Math.random,
): SurveyOption[] {
  if (!settings.enabled) return [];
  const choices: SurveyOption[] = [
    ...surveyCreators(settings, creators).map((creator) => ({
      key: creatorOptionKey(creator.id),
      label: creator.name,
      kind: "CREATOR" as const,
      creatorId: creator.id,
    })),
    ...settings.channels.map((channel) => ({
      key: channelOptionKey(channel.key),
      label: channel.label,
      kind: "CHANNEL" as const,
      creatorId: null,
    })),
  ];
  const ordered = settings.randomize ? shuffle(choices, random) : choices;
  const other: SurveyOption[] = settings.includeOther
    ? [{ key: OTHER_OPTION_KEY, label: settings.otherLabel, kind: "OTHER", creatorId: null }]
    : [];
  return [...ordered, ...other];
}

/** The option a shopper chose, if the survey offers it. */
export function findSurveyOption(
  settings: SurveySettings,
  creators: readonly SurveyCreator[],
  key: string,
): SurveyOption | null {
  return surveyOptions({ ...settings, randomize: false }, creators).find((option) => option.key === key) ?? null;
}

/** The label an answer is stored with: the option's, or "Other" for the default-labelled "Other". */
export function storedOptionLabel(option: SurveyOption): string {
  return option.label ?? DEFAULT_OTHER_LABEL;
}

/** Fisher–Yates with the given source of randomness in [0, 1). */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
