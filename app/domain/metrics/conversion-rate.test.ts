import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conversionRateBasisPoints, formatConversionRate } from "./conversion-rate";

describe("conversionRateBasisPoints", () => {
  it.each([
    [0, 0, null],
    [0, 10, 0],
    [1, 3, 3333],
    [2, 3, 6667],
    [5, 200, 250],
    [10, 10, 10_000],
    [12, 10, 12_000],
  ])("%i orders over %i clicks → %s bp", (orders, clicks, expected) => {
    expect(conversionRateBasisPoints(orders, clicks)).toBe(expected);
  });

  it("rejects counts that are not counts", () => {
    expect(() => conversionRateBasisPoints(-1, 3)).toThrow(RangeError);
    expect(() => conversionRateBasisPoints(1.5, 3)).toThrow(RangeError);
  });

  it("is the exact ratio rounded half up, for any counts", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 1_000_000 }), (orders, clicks) => {
        const bp = conversionRateBasisPoints(orders, clicks)!;
        // bp - 0.5 <= orders/clicks*10000 < bp + 0.5, in integers: 2*bp*clicks - clicks <= 20000*orders < 2*bp*clicks + clicks
        const exact = BigInt(orders) * 20_000n;
        expect(exact >= BigInt(2 * bp - 1) * BigInt(clicks)).toBe(true);
        expect(exact < BigInt(2 * bp + 1) * BigInt(clicks)).toBe(true);
      }),
    );
  });
});

describe("formatConversionRate", () => {
  it.each([
    [null, "—"],
    [0, "0.0%"],
    [250, "2.5%"],
    [3333, "33.3%"],
    [6667, "66.7%"],
    [10_000, "100.0%"],
    [44, "0.4%"],
    [45, "0.5%"],
  ])("%s → %s", (bp, text) => expect(formatConversionRate(bp)).toBe(text));
});
