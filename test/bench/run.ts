// `npm run bench`: measures the webhook acknowledgement, the pipeline end to end, the leaderboard and the statement
// run against their limits on this machine, in a throwaway database next to BENCH_DATABASE_URL's. Prints a table and
// writes test/bench/results/<date>-<size>.json. See README.md, "Benchmarks". Run it alone: it uses every core.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureProductionBuild } from "../support/build";
import { createMigratedDatabase, dropDatabase } from "../support/database";
import { appEnv, deleteQueueKeys, ROOT, terminateRunningApps } from "./bench-env";
import type { BenchContext } from "./context";
import { machineDetails } from "./machine";
import { BenchUsageError, parseBenchArgs, SIZES, USAGE, type BenchName } from "./options";
import { formatMarkdownTable, formatTable, reportJson, type BenchReport, type Measurement } from "./report";

let options;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const startedAt = new Date();
const runId = randomBytes(3).toString("hex");
const log = (line: string) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(6)}s] ${line}`);
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

log(`bench ${options.size}: ${options.only.join(", ")} (run ${runId})`);
const databaseUrl = await createMigratedDatabase(baseUrl, `creator_ledger_bench_${runId}`, ROOT);
// This process calls the app's models too (seeding, the leaderboard): the same environment as web and worker.
Object.assign(process.env, appEnv(databaseUrl, `bench-${runId}`), { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn" });

// Ctrl-C (or a SIGTERM) mid-run: the detached web and worker would outlive this process and the database stay behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping web and worker, dropping the run's database`);
    terminateRunningApps();
    const cleanUp = [process.env.BENCH_KEEP_DATABASE ? null : dropDatabase(databaseUrl), deleteQueueKeys(`bench-${runId}`)];
    void Promise.allSettled(cleanUp).finally(() => process.exit(130));
  });
}

const measurements: Measurement[] = [];
const failures: BenchReport["failures"] = [];
let machine: BenchReport["machine"] | undefined;
try {
  if (options.only.some((name) => name === "ack" || name === "e2e")) {
    log(`build/: ${await ensureProductionBuild(ROOT, options.build ? "auto" : "never")}`);
  }
  machine = await machineDetails({ databaseUrl, redisUrl, root: ROOT });
  log(`${machine.cpuModel} × ${machine.cores}, ${machine.memoryMb} MB, Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}`);
  const context: BenchContext = { runId, databaseUrl, sizes: SIZES[options.size], log };
  // Imported only now: the app's modules read the environment (and connect) on import.
  const benches: Record<BenchName, () => Promise<Measurement[]>> = {
    ack: async () => (await import("./ack.bench")).benchAck(context),
    e2e: async () => (await import("./e2e.bench")).benchEndToEnd(context),
    leaderboard: async () => (await import("./leaderboard.bench")).benchLeaderboard(context),
    statements: async () => (await import("./statements.bench")).benchStatements(context),
  };
  for (const name of options.only) {
    log(`── ${name}`);
    try {
      measurements.push(...(await benches[name]()));
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack ?? error}`);
      failures.push({ bench: name, error: (error as Error).message });
    }
  }
} finally {
  const { prisma } = await import("~/db.server");
  await prisma.$disconnect();
  if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(databaseUrl);
  await deleteQueueKeys(`bench-${runId}`);
}

const report: BenchReport = { size: options.size, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: machine!, measurements, failures };
const out = options.out ?? join(ROOT, "test", "bench", "results", `${startedAt.toISOString().slice(0, 19).replace(/:/g, "-")}-${options.size}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, reportJson(report));
writeFileSync(out.replace(/\.json$/, ".md"), `${formatMarkdownTable(measurements)}\n`);
console.log(`\n${formatTable(measurements)}\n`);
for (const failure of failures) console.log(`FAILED ${failure.bench}: ${failure.error}`);
log(`results: ${out} (and .md); took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`);
process.exit(failures.length ? 1 : 0);
