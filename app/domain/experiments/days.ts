/** Calendar days as YYYY-MM-DD strings (shop timezone already applied): the experiments' unit of time. */
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
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOf(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
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
  return dayOf(dayNumber(day) + days);
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
