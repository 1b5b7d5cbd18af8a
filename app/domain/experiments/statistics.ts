// The statistics behind an experiment's lift (docs/experiments.md). Floats live only in here; callers get integers
// (basis points) rounded once.

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** A ratio (1 = no change) and its 95% interval. */
export interface RatioInterval {
  ratio: number;
  lower: number;
  upper: number;
}

/**
 * A ratio of Poisson counts with its Wald interval on the log scale: ln R ± z·√(Σ 1/count), each count being one
 * independent Poisson total. `ratio` is the point estimate the caller formed from the same counts (and the days
 * they cover, which have no variance). Null when a count is zero: the log ratio and its variance are undefined.
 */
export function poissonLogRatioInterval(ratio: number, counts: readonly number[]): RatioInterval | null {
  if (counts.some((count) => !(count > 0)) || !(ratio > 0) || !Number.isFinite(ratio)) return null;
  const standardError = Math.sqrt(counts.reduce((sum, count) => sum + 1 / count, 0));
  const log = Math.log(ratio);
  return { ratio, lower: Math.exp(log - Z_95 * standardError), upper: Math.exp(log + Z_95 * standardError) };
}

/** Days whose values are resampled together (e.g. a day's exposed and control revenue). */
export type DayValues = readonly number[];

export interface BootstrapOptions {
  replicates?: number;
  seed?: number;
}

export const BOOTSTRAP_REPLICATES = 2_000;
export const BOOTSTRAP_SEED = 0x5eed_2026;

/**
 * A percentile bootstrap interval over days. Each window's days are drawn with replacement (a day keeps all its
 * values together, so exposed and control keep whatever the day did to both), `statistic` is recomputed from the
 * windows' column sums, and the 2.5th and 97.5th percentiles bound the interval. A replicate whose statistic is
 * undefined (a zero sum) is dropped; more than 5% dropped and there is no interval. Seeded, so one experiment's
 * interval is the same every time it is shown.
 */
export function bootstrapInterval(
  windows: readonly (readonly DayValues[])[],
  statistic: (sums: number[][]) => number | null,
  options: BootstrapOptions = {},
): RatioInterval | null {
  const replicates = options.replicates ?? BOOTSTRAP_REPLICATES;
  const observed = statistic(windows.map(columnSums));
  if (observed === null || windows.some((days) => days.length === 0)) return null;
  const random = mulberry32(options.seed ?? BOOTSTRAP_SEED);
  const values: number[] = [];
  for (let replicate = 0; replicate < replicates; replicate++) {
    const sums = windows.map((days) => {
      const width = days[0]!.length;
      const sum = new Array<number>(width).fill(0);
      for (let draw = 0; draw < days.length; draw++) {
        const day = days[Math.floor(random() * days.length)]!;
        for (let column = 0; column < width; column++) sum[column]! += day[column]!;
      }
      return sum;
    });
    const value = statistic(sums);
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  if (values.length < replicates * 0.95) return null;
  values.sort((a, b) => a - b);
  return { ratio: observed, lower: percentile(values, 0.025), upper: percentile(values, 0.975) };
}

function columnSums(days: readonly DayValues[]): number[] {
  const width = days[0]?.length ?? 0;
  const sums = new Array<number>(width).fill(0);
  for (const day of days) for (let column = 0; column < width; column++) sums[column]! += day[column]!;
  return sums;
}

/** Linear interpolation between the closest ranks (the usual "type 7" percentile). */
function percentile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** A small seeded PRNG (uniform in [0, 1)): enough for resampling, and the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A ratio as a lift in basis points: 1.2 → 2000 (+20%), 0.9 → −1000. */
export function liftBasisPoints(ratio: number): number {
  return Math.round((ratio - 1) * 10_000);
}
