import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { conversionRateBasisPoints } from "~/domain/metrics/conversion-rate";
import { METHOD_OF_KIND } from "~/domain/attribution/attribute-order";
import { SIGNAL_KINDS, type AttributionMethod, type SignalKind } from "~/domain/attribution/types";
import { optionKindOf, type SurveyOptionKind } from "./options";
import { addDays, dateOfDay } from "~/domain/calendar-days";
import { safeTimeZone } from "~/domain/time-zone";

/*
 * What the survey tells a merchant over a date range of orders: how many shoppers answered, what they answered week
 * by week, and whether their answer agrees with what the order's own tracking (codes, links, UTM and ref parameters,
 * cart attributes, referrers, journeys) says.
 */

export interface SurveyResultAnswer {
  optionKey: string;
  optionLabel: string;
  /** The creator the answer names (CREATOR answers only). */
  creatorId: string | null;
  answeredAt: Date;
}

/** One order in the range, with its survey answer if any and the creator its tracking names. */
export interface SurveyResultOrder {
  processedAt: Date;
  answer: SurveyResultAnswer | null;
  /** See trackingCreatorOf; null when the order's tracking names no creator. */
  trackingCreatorId: string | null;
}

export type SurveyAgreement = "AGREE" | "DISAGREE" | "SURVEY_ONLY" | "NO_ANSWER";

export interface SurveyOptionTotal {
  key: string;
  /** The label of the latest answer with this key (a renamed channel or creator shows its new name). */
  label: string;
  kind: SurveyOptionKind;
  answers: number;
}

export interface SurveyWeek {
  /** The Monday the week starts on, in the shop's timezone (YYYY-MM-DD); the range's first week may start before it. */
  weekStart: string;
  orders: number;
  answered: number;
  /** Answers per option key; options without answers that week are absent. */
  answersByOption: Record<string, number>;
}

export interface SurveyAgreementRow {
  key: string;
  label: string;
  kind: SurveyOptionKind;
  /** The tracking names the creator the shopper chose. */
  agree: number;
  /** The tracking names a creator the shopper did not choose (another creator, or a creator for a channel answer). */
  disagree: number;
  /** The tracking names no creator: only the survey says where the shopper came from. */
  surveyOnly: number;
}

export interface SurveyResults {
  orders: number;
  answered: number;
  /** answered ÷ orders in basis points, rounded half up; null without orders. */
  responseRateBasisPoints: number | null;
  /** Most answered first, ties by label. */
  options: SurveyOptionTotal[];
  weeks: SurveyWeek[];
  agreement: {
    /** In the order of `options`. */
    rows: SurveyAgreementRow[];
    totals: Record<SurveyAgreement, number>;
    /** Orders without an answer whose tracking names a creator (part of totals.NO_ANSWER). */
    noAnswerTracked: number;
  };
}

/** An order's own tracking: every signal but the survey. */
const trackingKinds: readonly SignalKind[] = SIGNAL_KINDS.filter((kind) => kind !== "survey");
const TRACKING_KINDS: ReadonlySet<string> = new Set<SignalKind>(trackingKinds);
/** The verdict methods those signals decide, by the attribution engine's own mapping. */
const TRACKING_METHODS: ReadonlySet<AttributionMethod> = new Set(trackingKinds.map((kind) => METHOD_OF_KIND[kind]));

/**
 * The creator an order's own tracking names, leaving the survey aside: the credited creator when a tracking signal
 * decided the verdict; otherwise (the survey, the customer lock or an override decided, or nobody was credited) the
 * first tracking signal in the stored evidence that points at a creator, in the shop's precedence.
 */
export function trackingCreatorOf(attribution: {
  method: AttributionMethod;
  creatorId: string | null;
  evidence: unknown;
}): string | null {
  if (TRACKING_METHODS.has(attribution.method)) return attribution.creatorId;
  const entries: unknown[] = Array.isArray(attribution.evidence) ? attribution.evidence : [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const { signal, matched, creatorId } = entry as Record<string, unknown>;
    if (typeof signal === "string" && TRACKING_KINDS.has(signal) && matched === true && typeof creatorId === "string") {
      return creatorId;
    }
  }
  return null;
}

export function surveyAgreement(
  answer: Pick<SurveyResultAnswer, "creatorId"> | null,
  trackingCreatorId: string | null,
): SurveyAgreement {
  if (answer === null) return "NO_ANSWER";
  if (trackingCreatorId === null) return "SURVEY_ONLY";
  return answer.creatorId === trackingCreatorId ? "AGREE" : "DISAGREE";
}

/** The orders of `range` (YYYY-MM-DD, inclusive, in `timezone`) summarized; orders outside the range are ignored. */
export function summarizeSurveyResults(
  orders: readonly SurveyResultOrder[],
  range: { from: string; to: string },
  timezone: string,
): SurveyResults {
  const zone = { in: tz(safeTimeZone(timezone)) };
  const inRange = orders
    .map((order) => ({ order, day: format(order.processedAt, "yyyy-MM-dd", zone) }))
    .filter(({ day }) => day >= range.from && day <= range.to);

  const weeks = new Map<string, SurveyWeek>();
  for (let week = mondayOf(range.from); week <= range.to; week = addDays(week, 7)) {
    weeks.set(week, { weekStart: week, orders: 0, answered: 0, answersByOption: {} });
  }

  const options = new Map<string, SurveyOptionTotal & { latest: number }>();
  const rows = new Map<string, SurveyAgreementRow>();
  const totals: Record<SurveyAgreement, number> = { AGREE: 0, DISAGREE: 0, SURVEY_ONLY: 0, NO_ANSWER: 0 };
  let answered = 0;
  let noAnswerTracked = 0;

  for (const { order, day } of inRange) {
    const week = weeks.get(mondayOf(day))!;
    week.orders += 1;
    const agreement = surveyAgreement(order.answer, order.trackingCreatorId);
    totals[agreement] += 1;
    const answer = order.answer;
    if (answer === null) {
      if (order.trackingCreatorId !== null) noAnswerTracked += 1;
      continue;
    }
    answered += 1;
    week.answered += 1;
    week.answersByOption[answer.optionKey] = (week.answersByOption[answer.optionKey] ?? 0) + 1;

    const kind = optionKindOf(answer.optionKey) ?? (answer.creatorId ? "CREATOR" : "OTHER");
    const at = answer.answeredAt.getTime();
    const total = options.get(answer.optionKey);
    if (!total) {
      options.set(answer.optionKey, { key: answer.optionKey, label: answer.optionLabel, kind, answers: 1, latest: at });
    } else {
      total.answers += 1;
      if (at >= total.latest) Object.assign(total, { label: answer.optionLabel, latest: at });
    }
    const row = rows.get(answer.optionKey) ?? {
      key: answer.optionKey,
      label: "",
      kind,
      agree: 0,
      disagree: 0,
      surveyOnly: 0,
    };
    if (agreement === "AGREE") row.agree += 1;
    if (agreement === "DISAGREE") row.disagree += 1;
    if (agreement === "SURVEY_ONLY") row.surveyOnly += 1;
    rows.set(answer.optionKey, row);
  }

  const sortedOptions = [...options.values()]
    .sort((a, b) => b.answers - a.answers || a.label.localeCompare(b.label, "en") || (a.key < b.key ? -1 : 1))
    .map(({ latest: _latest, ...option }) => option);
  return {
    orders: inRange.length,
    answered,
    responseRateBasisPoints: conversionRateBasisPoints(answered, inRange.length),
    options: sortedOptions,
    weeks: [...weeks.values()],
    agreement: {
      rows: sortedOptions.map((option) => ({ ...rows.get(option.key)!, label: option.label })),
      totals,
      noAnswerTracked,
    },
  };
}

/** The Monday on or before a calendar day (YYYY-MM-DD). */
export function mondayOf(day: string): string {
  const daysSinceMonday = (dateOfDay(day).getUTCDay() + 6) % 7;
  return addDays(day, -daysSinceMonday);
}
