/**
 * Splits `total` in proportion to non-negative `weights`, exactly: the parts sum to `total`, and the units left
 * by rounding down go to the largest remainders (ties to the earlier part). No weight at all: nothing to split by.
 */
export function allocateProportionally(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum <= 0n) return weights.map(() => 0n);
  const parts = weights.map((weight) => (total * weight) / weightSum);
  let left = total - parts.reduce((sum, part) => sum + part, 0n);
  const byRemainder = weights
    .map((weight, index) => ({ index, remainder: (total * weight) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return parts;
}
