import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentToBasisPoints, revenueShareCommission, roundedQuotient, roundedShare } from "./revenue-share";

describe("revenue share", () => {
  it.each([
    ["10", 1000n],
    ["12.5", 1250n],
    ["0.01", 1n],
    ["100", 10000n],
    ["0", 0n],
  ])("%s%% is %s basis points", (percent, bps) => expect(percentToBasisPoints(percent)).toBe(bps));

  it.each(["100.01", "-1", "12.345", "abc"])("refuses %s", (percent) => {
    expect(() => percentToBasisPoints(percent)).toThrow();
  });

  it("rounds each entry once, halves away from zero", () => {
    expect(revenueShareCommission(5555n, "10")).toBe(556n); // 555.5 → 556
    expect(revenueShareCommission(5554n, "10")).toBe(555n); // 555.4 → 555
    expect(revenueShareCommission(1n, "50")).toBe(1n); // 0.5 → 1
    expect(roundedShare(-5555n, 1000n)).toBe(-556n);
  });

  it("matches an exact rational oracle for any amount and rate", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 10_000 }), (net, bps) => {
        const share = roundedShare(net, BigInt(bps));
        // Oracle: the exact share is net*bps/10000; the result is within half a unit and ties go up.
        const exactTimes10000 = net * BigInt(bps);
        const diff = share * 10000n - exactTimes10000;
        expect(diff > -5000n && diff <= 5000n).toBe(true);
      }),
    );
  });

  it("is symmetric: a reversal of an amount is the negation of its share", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 10_000 }), (net, bps) => {
        expect(roundedShare(-net, BigInt(bps))).toBe(-roundedShare(net, BigInt(bps)));
      }),
    );
  });

  it("divides by any positive denominator with the same rule: nearest unit, halves away from zero", () => {
    expect(roundedQuotient(100_000n * 20n, 30n)).toBe(66_667n); // 66 666.67
    expect(roundedQuotient(15n, 10n)).toBe(2n);
    expect(roundedQuotient(-15n, 10n)).toBe(-2n);
    expect(roundedQuotient(14n, 10n)).toBe(1n);
    expect(() => roundedQuotient(1n, 0n)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const q = roundedQuotient(n, d);
        const twiceError = 2n * (q * d - n); // within half a unit; a tie rounds away from zero
        expect(twiceError >= -d && twiceError <= d).toBe(true);
        if (twiceError === d) expect(n > 0n).toBe(true);
        if (twiceError === -d) expect(n < 0n).toBe(true);
      }),
    );
  });
});
