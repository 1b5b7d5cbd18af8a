import type { AnswerBody, SurveyConfig, SurveyOption } from "./api";

export type Translate = (key: string, options?: Record<string, string | number>) => string;

/** What the shopper has picked and typed so far. */
export interface Draft {
  optionKey: string | null;
  otherText: string;
}

export interface DraftErrors {
  option?: string;
  otherText?: string;
}

export function optionLabel(option: SurveyOption, t: Translate): string {
  return option.label ?? t("survey.otherOption");
}

export function findOption(survey: SurveyConfig, key: string | null): SurveyOption | undefined {
  return key === null ? undefined : survey.options.find((option) => option.key === key);
}

/**
 * The request body for a draft, or the translated errors to show on the fields. The server checks the
 * same rules; "Other" needs a text of at most `otherMaxLength` characters (code points, after trimming).
 */
export function validateDraft(
  draft: Draft,
  survey: SurveyConfig,
  confirmationNumber: string,
  t: Translate,
): { body: AnswerBody } | { errors: DraftErrors } {
  const option = findOption(survey, draft.optionKey);
  if (!option) return { errors: { option: t("errors.chooseOption") } };
  if (option.kind !== "OTHER") return { body: { confirmationNumber, optionKey: option.key } };
  const otherText = draft.otherText.trim();
  if (!otherText) return { errors: { otherText: t("errors.otherRequired") } };
  if ([...otherText].length > survey.otherMaxLength) {
    return { errors: { otherText: t("errors.otherTooLong", { count: survey.otherMaxLength }) } };
  }
  return { body: { confirmationNumber, optionKey: option.key, otherText } };
}
