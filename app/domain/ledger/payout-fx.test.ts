import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent } from "../money";
import { convertToPayoutCurrency, parseFxRate } from "./payout-fx";

describe("FX rate input", () => {
  it.each([
    ["0.92", "0.92"],
    [" 151.25 ", "151.25"],
    ["1.10000000", "1.1"],
    ["1", "1"],
    ["9999999999.99999999", "9999999999.99999999"],
  ])("reads %j exactly as %s", (input, rate) => {
    expect(parseFxRate(input)).toEqual({ ok: true, rate });
  });

  it.each([
    ["", "Enter the exchange rate"],
    ["0", "greater than 0"],
    ["0.000000000", "at most 8 decimals"],
    ["-1.2", "Enter a rate like"],
    ["1,2", "Enter a rate like"],
    ["1e3", "Enter a rate like"],
    ["12345678901", "Enter a rate like"],
  ])("refuses %j", (input, message) => {
    const parsed = parseFxRate(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});

describe("conversion into the payout currency", () => {
  it.each([
    // amount (shop minor), from, to, rate, expected (payout minor)
    [10_000n, "USD", "USD", "1", 10_000n],
    [10_000n, "USD", "EUR", "0.92", 9_200n],
    [1n, "USD", "EUR", "0.5", 1n], // 0.5 cent rounds away from zero
    [3n, "USD", "EUR", "0.5", 2n], // 1.5 → 2
    [-3n, "USD", "EUR", "0.5", -2n], // ties away from zero on the negative side too
    [12_345n, "USD", "JPY", "151.25", 18_672n], // $123.45 × 151.25 = ¥18,671.8125
    [1_851n, "JPY", "USD", "0.0066", 1_222n], // ¥1,851 × 0.0066 = $12.2166
    [10_000n, "USD", "KWD", "0.30712", 30_712n], // $100.00 → 30.712 KWD (3 decimals)
    [9_223_372_036_854_775_807n, "USD", "EUR", "1.23456789", 11_386_878_954_224_802_804n], // no 20-digit rounding on the way
  ])("%s %s → %s at %s = %s", (amount, from, to, rate, expected) => {
    expect(convertToPayoutCurrency(amount, from, to, rate)).toBe(expected);
  });

  // Oracle: integer arithmetic only. rate = rateUnits / 10^8.
  function oracle(amount: bigint, from: string, to: string, rateUnits: bigint): bigint {
    const shift = currencyExponent(to) - currencyExponent(from);
    let numerator = amount * rateUnits;
    let denominator = 10n ** 8n;
    if (shift >= 0) numerator *= 10n ** BigInt(shift);
    else denominator *= 10n ** BigInt(-shift);
    const magnitude = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
    return numerator < 0n ? -magnitude : magnitude;
  }

  it("rounds once, half away from zero, exactly like integer arithmetic", () => {
    const currency = fc.constantFrom("USD", "EUR", "JPY", "KWD", "GBP");
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        currency,
        currency,
        fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }),
        (amount, from, to, rateUnits) => {
          const whole = rateUnits / 10n ** 8n;
          const fraction = (rateUnits % 10n ** 8n).toString().padStart(8, "0");
          const parsed = parseFxRate(`${whole}.${fraction}`);
          expect(parsed.ok).toBe(true);
          const rate = parsed.ok ? parsed.rate : "";
          expect(convertToPayoutCurrency(amount, from, to, rate)).toBe(oracle(amount, from, to, rateUnits));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
