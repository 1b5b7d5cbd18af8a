import { describe, expect, it } from "vitest";
import { payPeriodBounds, payPeriodOf, previousPayPeriod } from "./pay-period";

describe("pay periods", () => {
  it("names the month in the shop's timezone", () => {
    // 03:00 UTC on Dec 1 is still November in New York.
    expect(payPeriodOf(new Date("2026-12-01T03:00:00Z"), "America/New_York")).toBe("2026-11");
    expect(payPeriodOf(new Date("2026-12-01T03:00:00Z"), "Europe/Paris")).toBe("2026-12");
  });

  it("bounds a month by the shop's midnights, DST included", () => {
    expect(payPeriodBounds("2026-11", "America/New_York")).toEqual({
      start: new Date("2026-11-01T04:00:00Z"),
      endExclusive: new Date("2026-12-01T05:00:00Z"),
    });
  });

  it("refuses what is not a period", () => {
    expect(() => payPeriodBounds("2026-1", "UTC")).toThrow(/Not a pay period/);
  });
});

describe("previousPayPeriod", () => {
  it("is the month before, in the shop's timezone", () => {
    expect(previousPayPeriod(new Date("2026-12-01T03:00:00Z"), "America/New_York")).toBe("2026-10");
    expect(previousPayPeriod(new Date("2026-01-15T12:00:00Z"), "UTC")).toBe("2025-12");
  });
});
