import { TZDate } from "@date-fns/tz";
import { getDaysInMonth } from "date-fns";
import type { ContractTerms } from "./contract-terms";
import { payPeriodBounds } from "./pay-period";

export interface TermsVersion {
  effectiveFrom: Date;
  terms: ContractTerms;
}

export interface DaysInForce {
  terms: ContractTerms;
  /** Day of the month (1-based, in the shop's timezone) the version starts covering. */
  firstDay: number;
  days: number;
}

/**
 * Which contract version covered which days of a pay period, so that monthly fixed pay (retainer, base fee)
 * follows the contract day by day when it changes mid-month. A version covers the whole day it starts on. A
 * creator's first version covers its whole first month, as it covers orders placed before it: a merchant who sets
 * up a creator mid-month cannot date the contract back, and the month's fixed pay is owed in full. Versions are
 * sorted by effectiveFrom (ties: the one saved later last); versions covering no day of the period are left out.
 */
export function daysInForce(
  versions: readonly TermsVersion[],
  periodKey: string,
  timezone: string,
): { daysInPeriod: number; spans: DaysInForce[] } {
  const { start, endExclusive } = payPeriodBounds(periodKey, timezone);
  const daysInPeriod = getDaysInMonth(new TZDate(start.getTime(), timezone));
  const dayOf = (instant: Date) =>
    instant <= start ? 1 : instant >= endExclusive ? daysInPeriod + 1 : new TZDate(instant.getTime(), timezone).getDate();

  const spans: DaysInForce[] = [];
  versions.forEach((version, i) => {
    const firstDay = i === 0 && version.effectiveFrom < endExclusive ? 1 : dayOf(version.effectiveFrom);
    const next = versions[i + 1];
    const endDay = next ? dayOf(next.effectiveFrom) : daysInPeriod + 1;
    if (endDay > firstDay) spans.push({ terms: version.terms, firstDay, days: endDay - firstDay });
  });
  return { daysInPeriod, spans };
}
