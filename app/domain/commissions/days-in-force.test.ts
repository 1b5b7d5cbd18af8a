import { describe, expect, it } from "vitest";
import { MERCHANDISE_ONLY, NO_EXTRAS, type ContractTerms } from "./contract-terms";
import { daysInForce } from "./days-in-force";

const terms = (monthlyMinor: bigint): ContractTerms => ({
  components: [{ kind: "RETAINER", monthlyMinor }],
  revenueBasis: MERCHANDISE_ONLY,
  ...NO_EXTRAS,
});
const a = terms(100n);
const b = terms(200n);
const c = terms(300n);
const at = (iso: string) => new Date(iso);

describe("daysInForce", () => {
  it("gives a version that started before the period every day of it", () => {
    expect(daysInForce([{ effectiveFrom: at("2025-01-01T00:00:00Z"), terms: a }], "2026-11", "UTC")).toEqual({
      daysInPeriod: 30,
      spans: [{ terms: a, firstDay: 1, days: 30 }],
    });
  });

  it("splits the period at a switch: the new version covers the whole day it starts on", () => {
    const result = daysInForce(
      [
        { effectiveFrom: at("2026-10-01T00:00:00Z"), terms: a },
        { effectiveFrom: at("2026-11-11T15:30:00Z"), terms: b },
      ],
      "2026-11",
      "UTC",
    );
    expect(result.spans).toEqual([
      { terms: a, firstDay: 1, days: 10 },
      { terms: b, firstDay: 11, days: 20 },
    ]);
  });

  it("gives a creator's first version its whole first month, and no month before it", () => {
    const first = [{ effectiveFrom: at("2026-02-20T09:00:00Z"), terms: a }];
    expect(daysInForce(first, "2026-02", "UTC")).toEqual({ daysInPeriod: 28, spans: [{ terms: a, firstDay: 1, days: 28 }] });
    expect(daysInForce(first, "2026-01", "UTC").spans).toEqual([]);
  });

  it("counts days in the shop's timezone", () => {
    // 2026-11-11T03:00Z is still the 10th in New York; New York's November starts at 04:00Z on the 1st.
    const result = daysInForce(
      [
        { effectiveFrom: at("2026-10-01T00:00:00Z"), terms: a },
        { effectiveFrom: at("2026-11-11T03:00:00Z"), terms: b },
      ],
      "2026-11",
      "America/New_York",
    );
    expect(result.spans).toEqual([
      { terms: a, firstDay: 1, days: 9 },
      { terms: b, firstDay: 10, days: 21 },
    ]);
  });

  it("leaves out versions replaced the same day, and versions that start after the period", () => {
    const result = daysInForce(
      [
        { effectiveFrom: at("2026-10-01T00:00:00Z"), terms: a },
        { effectiveFrom: at("2026-11-05T08:00:00Z"), terms: b },
        { effectiveFrom: at("2026-11-05T17:00:00Z"), terms: c },
        { effectiveFrom: at("2026-12-01T00:00:00Z"), terms: a },
      ],
      "2026-11",
      "UTC",
    );
    expect(result.spans).toEqual([
      { terms: a, firstDay: 1, days: 4 },
      { terms: c, firstDay: 5, days: 26 },
    ]);
  });

  it("covers each day of the period once when a contract is in force from its start", () => {
    const versions = [
      { effectiveFrom: at("2026-01-01T00:00:00Z"), terms: a },
      { effectiveFrom: at("2026-03-03T00:00:00Z"), terms: b },
      { effectiveFrom: at("2026-03-17T12:00:00Z"), terms: c },
    ];
    const { daysInPeriod, spans } = daysInForce(versions, "2026-03", "Europe/Paris");
    expect(spans.reduce((total, span) => total + span.days, 0)).toBe(daysInPeriod);
    expect(daysInPeriod).toBe(31);
  });

  it("has nothing without versions", () => {
    expect(daysInForce([], "2026-11", "UTC").spans).toEqual([]);
  });
});
