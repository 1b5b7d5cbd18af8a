// Which rollup rows a range of days is summed from. A creator has a row per active day (CreatorDailyRollup) and one
// per calendar month (CreatorMonthlyRollup, the sum of that month's days): a year read from days is as many rows as
// the creators had active days, from months about 13 per creator. Pure: the model turns the plan into SQL.
import { addDays, type DayWindow } from "~/domain/calendar-days";
import { COHORT_WINDOWS_DAYS, type CohortWindowDays } from "~/domain/metrics/rollup-totals";

/** How many times a read's rows count: added, left out, or taken away. */
export type ReadSign = 1 | 0 | -1;

/** What a read adds of each column group: the flows (clicks, orders, revenue, costs) and each window's cohort. */
export interface ReadSigns {
  flows: ReadSign;
  cohort: Record<CohortWindowDays, ReadSign>;
}

export interface RollupRead {
  /** "months": the monthly rollups of the months from `from` to `to` (their first days); "days": the daily ones. */
  source: "months" | "days";
  /** Both inclusive. */
  from: string;
  to: string;
  signs: ReadSigns;
}

/** The first day of the day's month. */
export function monthOf(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** The first day of the month after the day's. */
export function nextMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${String(year + 1).padStart(4, "0")}-01-01` : `${day.slice(0, 5)}${String(month + 1).padStart(2, "0")}-01`;
}

/** The day a window's cohorts have matured before: only days earlier than `today` minus the window count them. */
export function cohortCutoff(today: string, window: CohortWindowDays): string {
  return addDays(today, -window);
}

type Group = "flows" | CohortWindowDays;
const GROUPS: readonly Group[] = ["flows", ...COHORT_WINDOWS_DAYS];

/**
 * The reads whose signed sum equals the sum of the range's daily rollups (both ends inclusive), each window's cohort
 * counted only for the days before its cutoff. Within each month and column group the plan reads the fewer days:
 * the days wanted, or the month's row less the days not wanted. Days after `today` are counted as free, since
 * nothing has happened on them yet: a range ending today reads its last month's row, less the (empty) rest of it.
 */
export function planRollupRead(range: DayWindow, today: string): RollupRead[] {
  const monthReads: RollupRead[] = [];
  const dayReads: RollupRead[] = [];
  for (let month = monthOf(range.from); month <= range.to; month = nextMonth(month)) {
    // Days of this month by their number (1 to `length`): plain arithmetic, no date parsing per day.
    const monthEnd = addDays(nextMonth(month), -1);
    const length = dayNumber(monthEnd);
    const position = (day: string) => (day < month ? 0 : day > monthEnd ? length + 1 : dayNumber(day));
    const inRange = { from: Math.max(1, position(range.from)), to: Math.min(length, position(range.to)) };
    const todayPosition = position(today);
    const pastDays = (part: DayNumbers) => Math.max(0, Math.min(part.to, todayPosition) - part.from + 1);

    const monthSigns = noSigns();
    const daySigns: (ReadSigns | undefined)[] = [];
    for (const group of GROUPS) {
      const wanted = group === "flows" ? inRange : { from: inRange.from, to: Math.min(inRange.to, position(cohortCutoff(today, group)) - 1) };
      if (wanted.to < wanted.from) continue;
      const unwanted = [{ from: 1, to: wanted.from - 1 }, { from: wanted.to + 1, to: length }];
      const fromMonthRow = pastDays(unwanted[0]!) + pastDays(unwanted[1]!) < pastDays(wanted);
      if (fromMonthRow) setSign(monthSigns, group, 1);
      for (const part of fromMonthRow ? unwanted : [wanted]) {
        for (let day = part.from; day <= part.to; day += 1) setSign((daySigns[day] ??= noSigns()), group, fromMonthRow ? -1 : 1);
      }
    }
    if (counts(monthSigns)) appendRead(monthReads, { source: "months", from: month, to: month, signs: monthSigns }, nextMonth);
    daySigns.forEach((signs, day) => {
      const date = `${month.slice(0, 8)}${String(day).padStart(2, "0")}`;
      if (signs) appendRead(dayReads, { source: "days", from: date, to: date, signs }, (last) => addDays(last, 1));
    });
  }
  return [...monthReads, ...dayReads];
}

/** Days of one month by number, both inclusive; empty when `to` < `from`. */
interface DayNumbers {
  from: number;
  to: number;
}

function dayNumber(day: string): number {
  return Number(day.slice(8, 10));
}

function noSigns(): ReadSigns {
  return { flows: 0, cohort: { 30: 0, 90: 0, 365: 0 } };
}

function setSign(signs: ReadSigns, group: Group, sign: ReadSign) {
  if (group === "flows") signs.flows = sign;
  else signs.cohort[group] = sign;
}

function counts(signs: ReadSigns): boolean {
  return signs.flows !== 0 || COHORT_WINDOWS_DAYS.some((window) => signs.cohort[window] !== 0);
}

function sameSigns(a: ReadSigns, b: ReadSigns): boolean {
  return a.flows === b.flows && COHORT_WINDOWS_DAYS.every((window) => a.cohort[window] === b.cohort[window]);
}

/** Extends the last read when the new one continues it with the same signs, so a run of days or months is one read. */
function appendRead(reads: RollupRead[], read: RollupRead, after: (last: string) => string) {
  const last = reads[reads.length - 1];
  if (last && after(last.to) === read.from && sameSigns(last.signs, read.signs)) last.to = read.to;
  else reads.push(read);
}
