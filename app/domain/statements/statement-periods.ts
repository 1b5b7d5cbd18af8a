import { TZDate } from "@date-fns/tz";
import { addMonths, addWeeks, differenceInCalendarDays, format, getISOWeek, getISOWeekYear, startOfISOWeek } from "date-fns";

/**
 * Statement periods, in the shop's timezone. A shop sends statements monthly (the default: the same calendar months
 * as its pay periods), every two weeks or weekly; weeks start on Monday.
 *
 * Keys name a period without its shop: "2026-11" (a month), "2026-W47" (ISO week 47 of 2026), "2026-W47-2W"
 * (the two weeks starting with ISO week 47). Two-week periods are anchored: they start on every other Monday
 * counted from Monday 1970-01-05, so every shop's fortnights line up and a key means one thing.
 */

export const STATEMENT_CADENCES = ["MONTHLY", "BIWEEKLY", "WEEKLY"] as const;
export type StatementCadence = (typeof STATEMENT_CADENCES)[number];

export interface StatementPeriod {
  cadence: StatementCadence;
  key: string;
  /** The first instant of the period. */
  start: Date;
  /** The first instant after it (exclusive). */
  end: Date;
}

/** Statements are generated from 06:00 on the day after a period, shop time: late ledger entries get that long. */
export const STATEMENT_CUTOFF_HOUR = 6;

const ANCHOR_MONDAY = new Date(Date.UTC(1970, 0, 5));

function localDay(date: Date, timezone: string): TZDate {
  const local = new TZDate(date.getTime(), timezone);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), timezone);
}

function weeksSinceAnchor(monday: TZDate): number {
  const plain = new Date(Date.UTC(monday.getFullYear(), monday.getMonth(), monday.getDate()));
  return Math.round(differenceInCalendarDays(plain, ANCHOR_MONDAY) / 7);
}

function period(cadence: StatementCadence, start: TZDate): StatementPeriod {
  const end = cadence === "MONTHLY" ? addMonths(start, 1) : addWeeks(start, cadence === "WEEKLY" ? 1 : 2);
  const week = `${getISOWeekYear(start)}-W${String(getISOWeek(start)).padStart(2, "0")}`;
  const key = cadence === "MONTHLY" ? format(start, "yyyy-MM") : cadence === "WEEKLY" ? week : `${week}-2W`;
  return { cadence, key, start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** The period `instant` falls in. */
export function statementPeriodOf(instant: Date, cadence: StatementCadence, timezone: string): StatementPeriod {
  const day = localDay(instant, timezone);
  if (cadence === "MONTHLY") return period(cadence, new TZDate(day.getFullYear(), day.getMonth(), 1, timezone));
  const monday = startOfISOWeek(day);
  if (cadence === "WEEKLY") return period(cadence, monday);
  return period(cadence, weeksSinceAnchor(monday) % 2 === 0 ? monday : addWeeks(monday, -1));
}

/** The period a key names, or null when the key names none (two-week keys must start an anchored fortnight). */
export function statementPeriodByKey(key: string, timezone: string): StatementPeriod | null {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) {
    const monthIndex = Number(month[2]) - 1;
    if (monthIndex < 0 || monthIndex > 11) return null;
    return period("MONTHLY", new TZDate(Number(month[1]), monthIndex, 1, timezone));
  }
  const week = /^(\d{4})-W(\d{2})(-2W)?$/.exec(key);
  if (!week) return null;
  const weekNumber = Number(week[2]);
  // ISO week 1 is the week with January 4th in it.
  const monday = addWeeks(startOfISOWeek<TZDate>(new TZDate(Number(week[1]), 0, 4, timezone)), weekNumber - 1);
  if (weekNumber < 1 || getISOWeekYear(monday) !== Number(week[1]) || getISOWeek(monday) !== weekNumber) return null;
  if (!week[3]) return period("WEEKLY", monday);
  return weeksSinceAnchor(monday) % 2 === 0 ? period("BIWEEKLY", monday) : null;
}

export function previousStatementPeriod(current: StatementPeriod, timezone: string): StatementPeriod {
  return statementPeriodOf(new Date(current.start.getTime() - 1), current.cadence, timezone);
}

/** When the period's statements may be generated: 06:00 shop time on the day after it ends. */
export function statementCutoff(statementPeriod: StatementPeriod, timezone: string): Date {
  const day = localDay(statementPeriod.end, timezone);
  return new Date(new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), STATEMENT_CUTOFF_HOUR, 0, timezone).getTime());
}

/** The latest period whose statements may be generated at `now`. */
export function latestClosedPeriod(cadence: StatementCadence, timezone: string, now: Date): StatementPeriod {
  let candidate = previousStatementPeriod(statementPeriodOf(now, cadence, timezone), timezone);
  while (statementCutoff(candidate, timezone) > now) candidate = previousStatementPeriod(candidate, timezone);
  return candidate;
}

/** The `count` latest periods whose statements may be generated at `now`, newest first. */
export function recentClosedPeriods(cadence: StatementCadence, timezone: string, now: Date, count: number): StatementPeriod[] {
  const periods: StatementPeriod[] = [];
  let current = latestClosedPeriod(cadence, timezone, now);
  while (periods.length < count) {
    periods.push(current);
    current = previousStatementPeriod(current, timezone);
  }
  return periods;
}

/** "November 2026", "Nov 16 – 22, 2026", "Dec 28, 2026 – Jan 10, 2027". */
export function statementPeriodLabel(statementPeriod: StatementPeriod, timezone: string): string {
  const first = new TZDate(statementPeriod.start.getTime(), timezone);
  if (statementPeriod.cadence === "MONTHLY") return format(first, "MMMM yyyy");
  const last = new TZDate(statementPeriod.end.getTime() - 1, timezone);
  if (first.getFullYear() !== last.getFullYear()) return `${format(first, "MMM d, yyyy")} – ${format(last, "MMM d, yyyy")}`;
  if (first.getMonth() !== last.getMonth()) return `${format(first, "MMM d")} – ${format(last, "MMM d, yyyy")}`;
  return `${format(first, "MMM d")} – ${format(last, "d, yyyy")}`;
}
