// `npm run chaos [-- --orders N --seed S --kills K --redis-restarts R --postgres-down-ms MS]`: the chaos run (see
// chaos.ts), its counts as a table; exit code 1 when anything was lost, duplicated, mismatched or leaked.
import { parseArgs } from "node:util";
import { chaosArtifacts, DEFAULT_CHAOS_OPTIONS, runChaos } from "./chaos";
import { chaosPassed, formatChaosReport } from "./report";

const USAGE = `npm run chaos -- [--orders N] [--seed S] [--kills K] [--redis-restarts R] [--postgres-down-ms MS]
                     [--stream-ms MS] [--settle-timeout-ms MS] [--build auto|always|never]

  --orders N            orders in the store history (default ${DEFAULT_CHAOS_OPTIONS.orders}); each brings 1–5 events
  --seed S              same seed, same history and stream (default ${DEFAULT_CHAOS_OPTIONS.seed})
  --kills K             worker SIGKILLs, each followed by a restart (default ${DEFAULT_CHAOS_OPTIONS.kills})
  --redis-restarts R    Redis restarts with nothing kept (default ${DEFAULT_CHAOS_OPTIONS.redisRestarts})
  --postgres-down-ms MS how long PostgreSQL is stopped, 0 for never (default ${DEFAULT_CHAOS_OPTIONS.postgresDownMs})
  --stream-ms MS        the delivery stream lasts at least this long (default ${DEFAULT_CHAOS_OPTIONS.streamMs})
  --settle-timeout-ms   how long to wait for the pipeline to drain (default ${DEFAULT_CHAOS_OPTIONS.settleTimeoutMs})
  --build MODE          build/ when stale (auto, default), always, or never
Logs: test/artifacts/chaos/cli/. Needs redis-server and PostgreSQL's initdb/pg_ctl (CHAOS_PG_BIN to point elsewhere).`;

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    console.error(`--${name} must be a whole number ≥ ${min}, got "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      orders: { type: "string" },
      seed: { type: "string" },
      kills: { type: "string" },
      "redis-restarts": { type: "string" },
      "postgres-down-ms": { type: "string" },
      "stream-ms": { type: "string" },
      "settle-timeout-ms": { type: "string" },
      build: { type: "string", default: "auto" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!["auto", "always", "never"].includes(values.build!)) {
  console.error(`--build must be auto, always or never\n\n${USAGE}`);
  process.exit(2);
}

const defaults = DEFAULT_CHAOS_OPTIONS;
const startedAt = Date.now();
const report = await runChaos({
  orders: integer("orders", values.orders, defaults.orders, 1),
  seed: integer("seed", values.seed, defaults.seed, 0),
  kills: integer("kills", values.kills, defaults.kills, 0),
  redisRestarts: integer("redis-restarts", values["redis-restarts"], defaults.redisRestarts, 0),
  postgresDownMs: integer("postgres-down-ms", values["postgres-down-ms"], defaults.postgresDownMs, 0),
  streamMs: integer("stream-ms", values["stream-ms"], defaults.streamMs, 0),
  settleTimeoutMs: integer("settle-timeout-ms", values["settle-timeout-ms"], defaults.settleTimeoutMs, 1_000),
  build: values.build as "auto" | "always" | "never",
  artifacts: chaosArtifacts("cli"),
  log: (line) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}`),
});
console.log(`\n${formatChaosReport(report)}`);
process.exit(chaosPassed(report) ? 0 : 1);
