import Decimal from "decimal.js";

const BASIS_POINTS_PER_UNIT = 10_000n;

/** "12.5" percent → 1250 basis points; finer rates than a hundredth of a percent are refused. */
export function percentToBasisPoints(percent: string): bigint {
  const basisPoints = new Decimal(percent).times(100);
  if (!basisPoints.isInteger() || basisPoints.isNegative() || basisPoints.greaterThan(10_000)) {
    throw new RangeError(`Revenue share must be between 0 and 100 with at most two decimals, got ${percent}`);
  }
  return BigInt(basisPoints.toFixed(0));
}

/**
 * Rounding rule, used for every ledger entry: each entry is rounded once, to the nearest minor unit,
 * halves away from zero (half-up on positive amounts).
 */
export function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError(`Cannot divide by ${denominator}`);
  const magnitude = ((numerator < 0n ? -numerator : numerator) * 2n + denominator) / (2n * denominator);
  return numerator < 0n ? -magnitude : magnitude;
}

/** amountMinor × basisPoints / 10 000, rounded by the one rule. */
export function roundedShare(amountMinor: bigint, basisPoints: bigint): bigint {
  return roundedQuotient(amountMinor * basisPoints, BASIS_POINTS_PER_UNIT);
}

export function revenueShareCommission(netMerchandiseMinor: bigint, revenueSharePercent: string): bigint {
  return roundedShare(netMerchandiseMinor, percentToBasisPoints(revenueSharePercent));
}
