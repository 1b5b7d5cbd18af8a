// Calendar days as YYYY-MM-DD strings, the shop's timezone already applied: the unit of reports, experiments and
// survey weeks. Arithmetic runs on UTC midnights, so no daylight-saving change can shift a day.

/** A run of calendar days. */
export interface DayWindow {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const DAY_MS = 86_400_000;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const date = dateOfDay(day);
  return !Number.isNaN(date.getTime()) && dayOfDate(date) === day;
}

/** The calendar day as the UTC midnight a `@db.Date` column stores. */
export function dateOfDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The calendar day a `@db.Date` column (a UTC midnight) holds. */
export function dayOfDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "Nov 2" for 2026-11-02: chart axes and week labels. */
export function shortDayLabel(day: string): string {
  return dateOfDay(day).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOfNumber(number: number): string {
  return dayOfDate(new Date(number * DAY_MS));
}

/** Days in the window (0 when it ends before it starts). */
export function windowLength(window: DayWindow): number {
  return Math.max(0, dayNumber(window.to) - dayNumber(window.from) + 1);
}

export function inWindow(day: string, window: DayWindow): boolean {
  return day >= window.from && day <= window.to;
}

export function windowsOverlap(a: DayWindow, b: DayWindow): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function addDays(day: string, days: number): string {
  return dayOfNumber(dayNumber(day) + days);
}

/** Every day of the window, in order. */
export function daysOf(window: DayWindow): string[] {
  return Array.from({ length: windowLength(window) }, (_, index) => addDays(window.from, index));
}

/** The part of the window before `today` (today's rollup is still filling up); null when none of it has passed. */
export function elapsedPart(window: DayWindow, today: string): DayWindow | null {
  const to = window.to < today ? window.to : addDays(today, -1);
  return to >= window.from ? { from: window.from, to } : null;
}
