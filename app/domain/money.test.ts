import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, fromMinorUnits, toMinorUnits } from "./money";

describe("money", () => {
  it.each([
    ["USD", 2],
    ["JPY", 0],
    ["KWD", 3],
    ["EUR", 2],
  ])("knows %s has %i decimals", (code, digits) => {
    expect(currencyExponent(code)).toBe(digits);
  });

  it.each([
    ["414.95", "USD", 41495n],
    ["0.00", "USD", 0n],
    ["1200", "JPY", 1200n],
    ["1.234", "KWD", 1234n],
    ["-10.50", "EUR", -1050n],
    ["99999999999.99", "USD", 9999999999999n],
  ])("reads %s %s as %s minor units", (amount, code, minor) => {
    expect(toMinorUnits(amount, code)).toBe(minor);
  });

  it("refuses more decimals than the currency has rather than rounding silently", () => {
    expect(() => toMinorUnits("1.005", "USD")).toThrow(/more decimals/);
    expect(() => toMinorUnits("10.5", "JPY")).toThrow(/more decimals/);
  });

  it("round-trips every minor amount exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom("USD", "JPY", "KWD"), (minor, code) => {
        expect(toMinorUnits(fromMinorUnits(minor, code), code)).toBe(minor);
      }),
    );
  });

  it("formats for people", () => {
    expect(formatMoney(123456n, "USD")).toBe("$1,234.56");
    expect(formatMoney(1200n, "JPY")).toBe("¥1,200");
  });
});
