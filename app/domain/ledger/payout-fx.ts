import Decimal from "decimal.js";
import { currencyExponent } from "../money";

// Exact for any BIGINT amount times any DECIMAL(18, 8) rate: decimal.js rounds to 20 significant digits by default.
const Exact = Decimal.clone({ precision: 64 });

/** Payout.fxRate is DECIMAL(18, 8): at most 10 digits before the point and 8 after. */
const FX_RATE_PATTERN = /^\d{1,10}(\.\d{1,8})?$/;

export type FxRateParse = { ok: true; rate: string } | { ok: false; message: string };

/**
 * A rate the merchant typed: how many units of the payout currency one unit of the shop currency buys.
 * Exact decimal text, never a float; returned normalised ("1.10" → "1.1").
 */
export function parseFxRate(input: string): FxRateParse {
  const text = input.trim();
  if (text === "") return { ok: false, message: "Enter the exchange rate" };
  if (!FX_RATE_PATTERN.test(text)) {
    return { ok: false, message: "Enter a rate like 0.92 or 151.25 (at most 8 decimals)" };
  }
  const rate = new Exact(text);
  if (rate.isZero()) return { ok: false, message: "The exchange rate must be greater than 0" };
  return { ok: true, rate: rate.toFixed() };
}

/**
 * Converts shop-currency minor units into the payout currency's minor units at `rate` (shop → payout), rounding
 * half away from zero once, at the end. Minor units differ between currencies (USD 2 decimals, JPY 0, KWD 3).
 */
export function convertToPayoutCurrency(amountMinor: bigint, fromCurrency: string, toCurrency: string, rate: string): bigint {
  const scale = new Exact(10).pow(currencyExponent(toCurrency) - currencyExponent(fromCurrency));
  const converted = new Exact(amountMinor.toString()).times(new Exact(rate)).times(scale);
  // ROUND_HALF_UP in decimal.js: to the nearest, ties away from zero.
  return BigInt(converted.toDecimalPlaces(0, Exact.ROUND_HALF_UP).toFixed(0));
}
