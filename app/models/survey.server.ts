import { Prisma, type AttributionMethod, type SurveyResponse } from "@prisma/client";
import { prisma } from "~/db.server";
import { type SurveyCreator } from "~/domain/survey/options";
import {
  parseSurveySettings,
  SURVEY_LIMITS,
  surveySettingsFormValues,
  validateSurveySettingsForm,
  type SurveySettings,
  type SurveySettingsFieldErrors,
  type SurveySettingsFormInput,
  type SurveySettingsFormValues,
} from "~/domain/survey/settings";
import { summarizeSurveyResults, trackingCreatorOf, type SurveyResults } from "~/domain/survey/results";
import { rangeBounds, type LeaderboardRange } from "./leaderboard.server";

/*
 * The shop's post-purchase survey: its settings (Shop.surveySettings), the creators it offers, the answers stored for
 * an order, and the results over a date range of orders.
 */

export async function getSurveySettings(shopId: string): Promise<SurveySettings> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { surveySettings: true } });
  return parseSurveySettings(shop.surveySettings);
}

export interface SurveySettingsPage {
  formValues: SurveySettingsFormValues;
  /** Every creator of the shop, by name: the ones the merchant can choose from. */
  creators: SurveyCreator[];
}

export async function getSurveySettingsPage(shopId: string): Promise<SurveySettingsPage> {
  const [settings, creators] = await Promise.all([
    getSurveySettings(shopId),
    prisma.creator.findMany({
      where: { shopId },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true },
    }),
  ]);
  return { formValues: surveySettingsFormValues(settings), creators };
}

export type SaveSurveySettingsResult =
  | { ok: true; settings: SurveySettings }
  | { ok: false; fieldErrors: SurveySettingsFieldErrors };

/** The settings form as FormData gives it: repeated fields (channels, chosen creators) as lists. */
export function surveySettingsFormInput(form: FormData): SurveySettingsFormInput {
  return {
    enabled: form.get("enabled"),
    question: form.get("question"),
    channelKey: form.getAll("channelKey"),
    channelLabel: form.getAll("channelLabel"),
    creatorSelection: form.get("creatorSelection"),
    creatorIds: form.getAll("creatorIds"),
    includeOther: form.get("includeOther"),
    otherLabel: form.get("otherLabel"),
    randomize: form.get("randomize"),
  };
}

/** Validates the settings form and saves the whole set; nothing is saved when a field is wrong. */
export async function saveSurveySettings(
  shopId: string,
  input: SurveySettingsFormInput,
): Promise<SaveSurveySettingsResult> {
  const creators = await prisma.creator.findMany({ where: { shopId }, select: { id: true } });
  const result = validateSurveySettingsForm(
    input,
    creators.map((creator) => creator.id),
  );
  if (!result.ok) return result;
  await prisma.shop.update({
    where: { id: shopId },
    data: { surveySettings: result.settings as unknown as Prisma.InputJsonObject },
  });
  return result;
}

/**
 * The creators the survey can offer under these settings (surveyCreators picks and orders the ones shown): the
 * shop's first SURVEY_LIMITS.creators by name, or the chosen ones.
 */
export async function surveyCreatorCandidates(shopId: string, settings: SurveySettings): Promise<SurveyCreator[]> {
  if (settings.creatorSelection === "CHOSEN") {
    if (settings.creatorIds.length === 0) return [];
    return prisma.creator.findMany({
      where: { shopId, id: { in: settings.creatorIds } },
      select: { id: true, name: true },
    });
  }
  return prisma.creator.findMany({
    where: { shopId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: SURVEY_LIMITS.creators,
    select: { id: true, name: true },
  });
}

/** The answer stored for an order of the shop, if the shopper answered. */
export async function findSurveyAnswer(shopId: string, confirmationNumber: string): Promise<SurveyResponse | null> {
  return prisma.surveyResponse.findUnique({ where: { shopId_confirmationNumber: { shopId, confirmationNumber } } });
}

export interface SurveyResultsData extends SurveyResults {
  /** Answers in the range (by when they were given) whose order has not arrived: they join it when it does. */
  answersWaitingForOrder: number;
}

interface ResultRow {
  processedAt: string;
  method: AttributionMethod | null;
  creatorId: string | null;
  evidence: unknown;
  optionKey: string | null;
  optionLabel: string | null;
  answerCreatorId: string | null;
  answeredAt: string | null;
}

/**
 * The orders processed in the range (calendar days in the shop's timezone) with their survey answer and their
 * verdict, summarized by summarizeSurveyResults. Evidence is read only for orders whose verdict the tracking did not
 * decide (trackingCreatorOf needs it only then).
 */
export async function loadSurveyResults(
  shop: { id: string; timezone: string },
  range: LeaderboardRange,
): Promise<SurveyResultsData> {
  const { start, endExclusive } = rangeBounds(range, shop.timezone);
  // Timestamps are UTC `timestamp without time zone`: bounds go in as ISO text, converted explicitly (as the
  // leaderboard does), and come back as ISO text, so no driver or server time zone can shift them.
  const startUtc = Prisma.sql`(${start.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const endUtc = Prisma.sql`(${endExclusive.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const shopId = Prisma.sql`${shop.id}::uuid`;
  const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

  const [rows, waiting] = await Promise.all([
    prisma.$queryRaw<ResultRow[]>(Prisma.sql`
      SELECT ${iso(Prisma.sql`o."processedAt"`)} AS "processedAt",
             a."method",
             a."creatorId"::text AS "creatorId",
             CASE WHEN a."method" IN ('SURVEY', 'NONE', 'CUSTOMER_LOCK', 'MANUAL_OVERRIDE') THEN a."evidence" END AS "evidence",
             s."optionKey",
             s."optionLabel",
             s."creatorId"::text AS "answerCreatorId",
             ${iso(Prisma.sql`s."answeredAt"`)} AS "answeredAt"
      FROM "Order" o
      LEFT JOIN "Attribution" a ON a."orderId" = o."id" AND a."shopId" = o."shopId"
      LEFT JOIN "SurveyResponse" s ON s."shopId" = o."shopId" AND s."confirmationNumber" = o."confirmationNumber"
      WHERE o."shopId" = ${shopId}
        AND o."processedAt" >= ${startUtc}
        AND o."processedAt" < ${endUtc}`),
    prisma.$queryRaw<{ count: number }[]>(Prisma.sql`
      SELECT COUNT(*)::int AS count
      FROM "SurveyResponse" s
      WHERE s."shopId" = ${shopId}
        AND s."answeredAt" >= ${startUtc}
        AND s."answeredAt" < ${endUtc}
        AND NOT EXISTS (
          SELECT 1 FROM "Order" o WHERE o."shopId" = s."shopId" AND o."confirmationNumber" = s."confirmationNumber"
        )`),
  ]);

  const orders = rows.map((row) => ({
    processedAt: new Date(row.processedAt),
    answer:
      row.optionKey !== null && row.answeredAt !== null
        ? {
            optionKey: row.optionKey,
            optionLabel: row.optionLabel ?? row.optionKey,
            creatorId: row.answerCreatorId,
            answeredAt: new Date(row.answeredAt),
          }
        : null,
    trackingCreatorId: row.method
      ? trackingCreatorOf({ method: row.method, creatorId: row.creatorId, evidence: row.evidence })
      : null,
  }));
  return {
    ...summarizeSurveyResults(orders, range, shop.timezone),
    answersWaitingForOrder: Number(waiting[0]?.count ?? 0),
  };
}
