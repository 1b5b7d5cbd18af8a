// What `npm run bench` was asked to run, and how big. Pure: no I/O, so the runner's help and errors stay cheap.
import { parseArgs } from "node:util";

export const BENCH_NAMES = ["ack", "e2e", "leaderboard", "statements"] as const;
export type BenchName = (typeof BENCH_NAMES)[number];
export const SIZE_NAMES = ["small", "full"] as const;
export type SizeName = (typeof SIZE_NAMES)[number];

export interface BenchSizes {
  /** Concurrency levels of the acknowledgement bench, and how long each level runs. */
  ackConnections: number[];
  ackSecondsPerLevel: number;
  /** Orders sent through webhook → worker → ledger → rollups, one run per entry. */
  e2eOrders: number[];
  /** Creators that share the e2e orders (each has a discount code and a revenue share). */
  e2eCreators: number;
  leaderboardOrders: number;
  leaderboardCreators: number;
  leaderboardDays: number;
  /** Leaderboard loader calls timed (after warm-up). */
  leaderboardSamples: number;
  statementCreators: number;
}

export const SIZES: Record<SizeName, BenchSizes> = {
  small: {
    ackConnections: [1, 8, 32],
    ackSecondsPerLevel: 5,
    e2eOrders: [2_000],
    e2eCreators: 100,
    leaderboardOrders: 100_000,
    leaderboardCreators: 1_000,
    leaderboardDays: 365,
    leaderboardSamples: 30,
    statementCreators: 1_000,
  },
  full: {
    ackConnections: [1, 8, 32, 64, 128],
    ackSecondsPerLevel: 10,
    e2eOrders: [10_000, 100_000],
    e2eCreators: 1_000,
    leaderboardOrders: 1_000_000,
    leaderboardCreators: 10_000,
    leaderboardDays: 365,
    leaderboardSamples: 50,
    statementCreators: 10_000,
  },
};

export interface BenchOptions {
  size: SizeName;
  only: BenchName[];
  /** Write results here (default test/bench/results/<date>-<size>.json). */
  out: string | null;
  /** Reuse build/ as it is (no `npm run build` when sources are newer). */
  build: boolean;
  help: boolean;
}

export const USAGE = `npm run bench -- [--size small|full] [--only ack,e2e,leaderboard,statements] [--out file.json] [--no-build]

  --size small   minutes: ack at 1/8/32 connections, 2k orders end to end, leaderboard over 100k orders, 1k statements (default)
  --size full    ack up to 128 connections, 10k + 100k orders end to end, leaderboard over 1M orders / 10k creators, 10k statements
  --only LIST    run only these benchmarks (comma-separated)
  --out FILE     where the JSON results go (default test/bench/results/<date>-<size>.json)
  --no-build     use build/ as it is
Env: BENCH_DATABASE_URL (a database on the server to bench; the runner creates and drops its own next to it), REDIS_URL.`;

export class BenchUsageError extends Error {
  name = "BenchUsageError";
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowNegative: true,
      options: {
        size: { type: "string", default: "small" },
        only: { type: "string" },
        out: { type: "string" },
        build: { type: "boolean", default: true },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const size = values.size as SizeName;
  if (!SIZE_NAMES.includes(size)) throw new BenchUsageError(`--size must be one of ${SIZE_NAMES.join(", ")}, got "${values.size}"`);
  const only = values.only === undefined ? [...BENCH_NAMES] : values.only.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = only.filter((name) => !BENCH_NAMES.includes(name as BenchName));
  if (unknown.length || only.length === 0) {
    throw new BenchUsageError(`--only takes a comma-separated list of ${BENCH_NAMES.join(", ")}; unknown: ${unknown.join(", ") || "(empty)"}`);
  }
  return { size, only: BENCH_NAMES.filter((name) => only.includes(name)), out: values.out ?? null, build: values.build!, help: values.help! };
}
