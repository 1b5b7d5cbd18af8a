// The chaos run (test/chaos/chaos.ts) at its default size, in the test suite: real web and worker processes on a
// private PostgreSQL and Redis, with duplicates, reordering, forged signatures, worker SIGKILLs, Redis restarted
// empty and PostgreSQL stopped. `npm run chaos` runs the same with a table of counts and larger sizes.
// Needs redis-server and PostgreSQL's initdb/pg_ctl; SKIP_CHAOS=1 leaves it out.
import { describe, expect, it } from "vitest";
import { chaosArtifacts, DEFAULT_CHAOS_OPTIONS, runChaos } from "./chaos/chaos";
import { formatChaosReport } from "./chaos/report";

describe.skipIf(process.env.SKIP_CHAOS)("chaos: every event processed exactly once, the ledger exact to the cent", () => {
  it("survives worker SIGKILLs, Redis restarted empty and PostgreSQL stopped", async () => {
    const report = await runChaos({
      ...DEFAULT_CHAOS_OPTIONS,
      build: (process.env.E2E_BUILD as "auto" | "always" | "never" | undefined) ?? "auto",
      artifacts: chaosArtifacts("test"),
      log: () => undefined,
    });
    const table = formatChaosReport(report);
    expect(report.problems, table).toEqual([]);
    expect(report.leaks, table).toEqual([]);
    expect(report, table).toMatchObject({
      lost: 0,
      duplicated: 0,
      ledgerMismatches: 0,
      ordersInWrongState: 0,
      unacknowledged: 0,
      acknowledgedWhilePostgresDown: 0,
      forgedStored: 0,
      forgedRejected401: report.forged,
      // One more kill during the outage, so that a worker boots while PostgreSQL is down.
      workerKills: DEFAULT_CHAOS_OPTIONS.kills + 1,
      redisRestarts: DEFAULT_CHAOS_OPTIONS.redisRestarts,
      postgresStops: 1,
    });
    expect(report.drainSeconds, table).not.toBeNull();
    // The faults really happened to deliveries: the outage answered 5xx, which Shopify-style retries got past.
    expect(report.serverErrorsWhilePostgresDown, table).toBeGreaterThan(0);
    expect(report.retriedToSuccess, table).toBeGreaterThan(0);
    expect(Math.min(report.duplicates, report.reordered, report.forged), table).toBeGreaterThan(0);
    expect(BigInt(report.ledgerTotalMinor), table).toBeGreaterThan(0n);
  }, 420_000);
});
