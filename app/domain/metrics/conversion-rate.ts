/**
 * Orders per tracking-link click, in basis points (1 bp = 0.01%), rounded half up; null without clicks, where a
 * rate means nothing. Integers, so sorting and comparing creators never meets floating-point noise.
 */
export function conversionRateBasisPoints(orders: number, clicks: number): number | null {
  if (!Number.isInteger(orders) || !Number.isInteger(clicks) || orders < 0 || clicks < 0) {
    throw new RangeError(`orders and clicks must be non-negative integers, got ${orders} and ${clicks}`);
  }
  if (clicks === 0) return null;
  return Math.floor((orders * 10_000 * 2 + clicks) / (clicks * 2));
}

/** "3.4%" (one decimal), or "—" when there were no clicks. */
export function formatConversionRate(basisPoints: number | null): string {
  if (basisPoints === null) return "—";
  const tenths = Math.floor((basisPoints + 5) / 10);
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}
