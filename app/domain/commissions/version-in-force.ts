/**
 * The position of the contract version in force at `at`, among versions sorted by effectiveFrom (ties: the one
 * saved later last); -1 without versions. A creator's first version also covers the time before it (their code
 * was already circulating); later versions apply from when they start.
 */
export function versionInForceIndex(versions: readonly { effectiveFrom: Date }[], at: Date): number {
  let index = versions.length > 0 ? 0 : -1;
  versions.forEach((version, i) => {
    if (version.effectiveFrom <= at) index = i;
  });
  return index;
}

export function versionInForce<T extends { effectiveFrom: Date }>(versions: readonly T[], at: Date): T | null {
  return versions[versionInForceIndex(versions, at)] ?? null;
}
