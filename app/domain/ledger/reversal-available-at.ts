/**
 * When a reversal becomes payable. Reversing entries still in their hold keeps the reversal in the same hold, so
 * pending pay nets out within Pending; reversing entries already payable (or paid) claws back at once, from
 * the next payout.
 */
export function reversalAvailableAt(
  reversed: readonly { sourceKey: string; availableAt: Date }[],
  sourceKey: string,
  now: Date,
): Date {
  let latest = now;
  for (const entry of reversed) {
    if (entry.sourceKey === sourceKey && entry.availableAt > latest) latest = entry.availableAt;
  }
  return latest;
}
