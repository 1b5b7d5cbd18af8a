import { TZDate } from "@date-fns/tz";
import { addMonths, format } from "date-fns";

/** Creators are paid by calendar month in the shop's timezone; a period is named "2026-11". */
export function payPeriodOf(instant: Date, timezone: string): string {
  return format(new TZDate(instant.getTime(), timezone), "yyyy-MM");
}

export function payPeriodBounds(periodKey: string, timezone: string): { start: Date; endExclusive: Date } {
  const match = /^(\d{4})-(\d{2})$/.exec(periodKey);
  if (!match) throw new RangeError(`Not a pay period: ${periodKey}`);
  const start = new TZDate(Number(match[1]), Number(match[2]) - 1, 1, timezone);
  return { start: new Date(start.getTime()), endExclusive: new Date(addMonths(start, 1).getTime()) };
}

/** The pay period before the one `instant` falls in. */
export function previousPayPeriod(instant: Date, timezone: string): string {
  const { start } = payPeriodBounds(payPeriodOf(instant, timezone), timezone);
  return payPeriodOf(new Date(start.getTime() - 1), timezone);
}
