import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  latestClosedPeriod,
  previousStatementPeriod,
  recentClosedPeriods,
  STATEMENT_CADENCES,
  statementCutoff,
  statementPeriodByKey,
  statementPeriodLabel,
  statementPeriodOf,
} from "./statement-periods";

const NY = "America/New_York";
const at = (iso: string) => new Date(iso);

describe("statement periods", () => {
  it("are calendar months in the shop's timezone by default", () => {
    // 03:00 UTC on Dec 1 is still November 30 in New York.
    const november = statementPeriodOf(at("2026-12-01T03:00:00Z"), "MONTHLY", NY);
    expect(november).toEqual({
      cadence: "MONTHLY",
      key: "2026-11",
      start: at("2026-11-01T04:00:00Z"), // EDT until Nov 1, 02:00
      end: at("2026-12-01T05:00:00Z"), // EST
    });
    expect(statementPeriodLabel(november, NY)).toBe("November 2026");
  });

  it("are ISO weeks from Monday for a weekly shop", () => {
    const week = statementPeriodOf(at("2026-11-22T23:30:00Z"), "WEEKLY", "UTC"); // a Sunday
    expect(week).toMatchObject({ key: "2026-W47", start: at("2026-11-16T00:00:00Z"), end: at("2026-11-23T00:00:00Z") });
    expect(statementPeriodLabel(week, "UTC")).toBe("Nov 16 – 22, 2026");
    // ISO week-years: Jan 1, 2027 is a Friday of 2026's week 53.
    expect(statementPeriodOf(at("2027-01-01T12:00:00Z"), "WEEKLY", "UTC").key).toBe("2026-W53");
  });

  it("are fortnights on every other Monday for a biweekly shop, the same for every shop", () => {
    // Monday 1970-01-05 starts a fortnight, and so does every Monday 14·n days later: Nov 9 and Nov 23, 2026.
    const first = statementPeriodOf(at("2026-11-10T12:00:00Z"), "BIWEEKLY", "UTC");
    expect(statementPeriodOf(at("2026-11-22T23:59:59Z"), "BIWEEKLY", "UTC")).toEqual(first);
    expect(first).toEqual({ cadence: "BIWEEKLY", key: "2026-W46-2W", start: at("2026-11-09T00:00:00Z"), end: at("2026-11-23T00:00:00Z") });
    expect(statementPeriodOf(at("2026-11-23T00:00:00Z"), "BIWEEKLY", "UTC").key).toBe("2026-W48-2W");
    expect(statementPeriodByKey("2026-W47-2W", "UTC"), "a fortnight cannot start on the off week").toBeNull();
    expect(statementPeriodLabel(first, "UTC")).toBe("Nov 9 – 22, 2026");
    expect(statementPeriodLabel(statementPeriodOf(at("2026-12-30T12:00:00Z"), "BIWEEKLY", "UTC"), "UTC")).toMatch(/, 2026 – .*, 2027$/);
  });

  it("close for statements at 06:00 shop time on the day after", () => {
    const november = statementPeriodByKey("2026-11", NY)!;
    expect(statementCutoff(november, NY)).toEqual(at("2026-12-01T11:00:00Z"));
    expect(latestClosedPeriod("MONTHLY", NY, at("2026-12-01T10:59:59Z")).key).toBe("2026-10");
    expect(latestClosedPeriod("MONTHLY", NY, at("2026-12-01T11:00:00Z")).key).toBe("2026-11");
    expect(recentClosedPeriods("MONTHLY", NY, at("2026-12-15T00:00:00Z"), 3).map((p) => p.key)).toEqual(["2026-11", "2026-10", "2026-09"]);
  });

  it("reads keys back, and refuses keys that name no period", () => {
    expect(statementPeriodByKey("2026-13", "UTC")).toBeNull();
    expect(statementPeriodByKey("2026-W54", "UTC")).toBeNull();
    expect(statementPeriodByKey("2026-W00", "UTC")).toBeNull();
    expect(statementPeriodByKey("november", "UTC")).toBeNull();
  });

  it("tile time: each period starts where the previous one ended, and its key names it", () => {
    const timezone = fc.constantFrom("UTC", NY, "Asia/Tokyo", "Pacific/Chatham", "Australia/Lord_Howe");
    fc.assert(
      fc.property(
        fc.date({ min: at("2000-01-01T00:00:00Z"), max: at("2060-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.constantFrom(...STATEMENT_CADENCES),
        timezone,
        (instant, cadence, zone) => {
          const current = statementPeriodOf(instant, cadence, zone);
          expect(current.start <= instant && instant < current.end).toBe(true);
          expect(statementPeriodByKey(current.key, zone)).toEqual(current);
          const previous = previousStatementPeriod(current, zone);
          expect(previous.end).toEqual(current.start);
          expect(previous.key < current.key || cadence === "WEEKLY" || cadence === "BIWEEKLY").toBe(true);
          const cutoff = statementCutoff(current, zone);
          expect(cutoff > current.end).toBe(true);
          expect(cutoff.getTime() - current.end.getTime()).toBeLessThanOrEqual(8 * 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
