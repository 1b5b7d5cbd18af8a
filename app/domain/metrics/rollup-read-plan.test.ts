import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysOf, type DayWindow } from "~/domain/calendar-days";
import { cohortCutoff, monthOf, nextMonth, planRollupRead, type RollupRead } from "./rollup-read-plan";
import { COHORT_WINDOWS_DAYS } from "./rollup-totals";

/** How many times the plan counts the day in its flows and in each window's cohort (a month read covers its days). */
function timesCounted(reads: RollupRead[], day: string) {
  const covering = reads.filter((read) =>
    read.source === "days" ? day >= read.from && day <= read.to : monthOf(day) >= read.from && monthOf(day) <= read.to,
  );
  const sum = (sign: (read: RollupRead) => number) => covering.reduce((total, read) => total + sign(read), 0);
  return {
    flows: sum((read) => read.signs.flows),
    ...Object.fromEntries(COHORT_WINDOWS_DAYS.map((window) => [window, sum((read) => read.signs.cohort[window])])),
  };
}

const dayArbitrary = (from: string, spanDays: number) => fc.integer({ min: 0, max: spanDays }).map((offset) => addDays(from, offset));

/** The plan as readable lines: "months 2025-12-01..2026-08-01 flows+ 30+ 90+". */
function describePlan(reads: RollupRead[]): string[] {
  const sign = (value: number) => (value > 0 ? "+" : "-");
  return reads.map((read) =>
    [
      `${read.source} ${read.from}..${read.to}`,
      ...(read.signs.flows ? [`flows${sign(read.signs.flows)}`] : []),
      ...COHORT_WINDOWS_DAYS.filter((window) => read.signs.cohort[window]).map((window) => `${window}${sign(read.signs.cohort[window])}`),
    ].join(" "),
  );
}

describe("planRollupRead", () => {
  it("counts every day of the range once, each window's cohort only before its cutoff, and no day outside the range", () => {
    fc.assert(
      fc.property(dayArbitrary("2023-01-01", 1_500), fc.integer({ min: 1, max: 800 }), dayArbitrary("2023-01-01", 2_500), (from, length, today) => {
        const range: DayWindow = { from, to: addDays(from, length - 1) };
        const reads = planRollupRead(range, today);
        for (const day of daysOf({ from: monthOf(range.from), to: addDays(nextMonth(range.to), -1) })) {
          const inRange = day >= range.from && day <= range.to ? 1 : 0;
          expect(timesCounted(reads, day), day).toEqual({
            flows: inRange,
            ...Object.fromEntries(COHORT_WINDOWS_DAYS.map((window) => [window, inRange && day < cohortCutoff(today, window) ? 1 : 0])),
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("reads a year ending today from whole months, the days at its start, and single days around the cohort cutoffs", () => {
    // 30 days before Nov 24 is Oct 25 and 90 days is Aug 26: those months' cohorts are their rows less the days
    // from the cutoff on. November 2026 is its row less the days after today, which have no rollups yet.
    expect(describePlan(planRollupRead({ from: "2025-11-25", to: "2026-11-24" }, "2026-11-24"))).toEqual([
      "months 2025-12-01..2026-08-01 flows+ 30+ 90+",
      "months 2026-09-01..2026-10-01 flows+ 30+",
      "months 2026-11-01..2026-11-01 flows+",
      "days 2025-11-25..2025-11-30 flows+ 30+ 90+",
      "days 2026-08-26..2026-08-31 90-",
      "days 2026-10-25..2026-10-31 30-",
      "days 2026-11-25..2026-11-30 flows-",
    ]);
  });

  it("reads days when they are fewer than the rest of their month, and whole months as their rows", () => {
    // 365 days before 2027-06-01 is 2026-06-01: the year's cohorts have matured up to May.
    expect(describePlan(planRollupRead({ from: "2026-01-01", to: "2026-12-31" }, "2027-06-01"))).toEqual([
      "months 2026-01-01..2026-05-01 flows+ 30+ 90+ 365+",
      "months 2026-06-01..2026-12-01 flows+ 30+ 90+",
    ]);
    expect(describePlan(planRollupRead({ from: "2026-03-03", to: "2026-03-09" }, "2026-04-01"))).toEqual(["days 2026-03-03..2026-03-09 flows+"]);
  });

  it("steps months across the year end", () => {
    expect(nextMonth("2026-12-15")).toBe("2027-01-01");
    expect(nextMonth("2024-01-31")).toBe("2024-02-01");
    expect(monthOf("2024-02-29")).toBe("2024-02-01");
  });
});
