import { z } from "zod";
import type { SurveyOption } from "./options";
import { SURVEY_LIMITS } from "./settings";

/*
 * What the survey extension sends: the order's confirmation number (the thank-you page's orderConfirmation.number,
 * equal to the order webhook's confirmation_number) and the chosen answer, with free text for "Other".
 */

/** Shopify's confirmation numbers are letters and digits ("XPAV284CT"); stored and matched exactly as given. */
export const confirmationNumberSchema = z
  .string({ error: "confirmationNumber is required" })
  .trim()
  .min(1, "confirmationNumber is required")
  .max(64, "confirmationNumber is at most 64 characters")
  .regex(/^[A-Za-z0-9]+$/, "confirmationNumber must be letters and digits, as Shopify gives it");

export const surveyAnswerRequestSchema = z.object(
  {
    confirmationNumber: confirmationNumberSchema,
    optionKey: z
      .string({ error: "optionKey is required" })
      .min(1, "optionKey is required")
      .max(100, "optionKey is not one of this survey's answers"),
    otherText: z.string({ error: "otherText must be text" }).nullish(),
  },
  { error: "The body must be a JSON object" },
);

export type SurveyAnswerRequest = z.infer<typeof surveyAnswerRequestSchema>;

export interface RequestError {
  message: string;
  field?: string;
}

/** The first problem zod found, for the extension: a message and the field it is about. */
export function requestErrorOf(error: z.ZodError): RequestError {
  const issue = error.issues[0];
  const field = issue?.path[0];
  return {
    message: issue?.message ?? "The request is invalid",
    ...(typeof field === "string" ? { field } : {}),
  };
}

/**
 * The free text stored with the answer: required for "Other" (at most SURVEY_LIMITS.otherTextLength characters,
 * control characters turned into spaces, trimmed); ignored for every other answer.
 */
export function otherTextFor(
  option: SurveyOption,
  text: string | null | undefined,
): { ok: true; value: string | null } | { ok: false; error: RequestError } {
  if (option.kind !== "OTHER") return { ok: true, value: null };
  const cleaned = (text ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned === "") return { ok: false, error: { message: "Tell us where you heard about us", field: "otherText" } };
  if ([...cleaned].length > SURVEY_LIMITS.otherTextLength) {
    return {
      ok: false,
      error: { message: `Keep it to ${SURVEY_LIMITS.otherTextLength} characters or fewer`, field: "otherText" },
    };
  }
  return { ok: true, value: cleaned };
}
