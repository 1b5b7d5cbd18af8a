// The chaos run's counts as a table for the terminal, and whether the run passed.
import type { ChaosReport } from "./chaos";

/** Zero lost, duplicated, mismatched, leaked; every forgery refused; nothing acknowledged without a durable write. */
export function chaosPassed(report: ChaosReport): boolean {
  return (
    report.lost === 0 &&
    report.duplicated === 0 &&
    report.ledgerMismatches === 0 &&
    report.ordersInWrongState === 0 &&
    report.unacknowledged === 0 &&
    report.acknowledgedWhilePostgresDown === 0 &&
    report.forgedRejected401 === report.forged &&
    report.forgedStored === 0 &&
    report.leaks.length === 0 &&
    report.problems.length === 0
  );
}

export function formatChaosReport(report: ChaosReport): string {
  const rows: [string, string | number][] = [
    ["seed", report.seed],
    ["orders", report.orders],
    ["events generated", report.events],
    ["deliveries planned", report.deliveries],
    ["  duplicates (same event id again)", report.duplicates],
    ["  reordered (before an earlier event of the order)", report.reordered],
    ["  bad signatures sent", report.forged],
    ["  bad signatures rejected (401)", report.forgedRejected401],
    ["HTTP attempts (retries included)", report.attempts],
    ["5xx while PostgreSQL was down (retried)", report.serverErrorsWhilePostgresDown],
    ["5xx at other times", report.serverErrorsOtherwise],
    ["deliveries acknowledged on a retry", report.retriedToSuccess],
    ["2xx while PostgreSQL was down", report.acknowledgedWhilePostgresDown],
    ["deliveries never acknowledged", report.unacknowledged],
    ["worker SIGKILLs", report.workerKills],
    ["Redis restarts (empty)", report.redisRestarts],
    ["PostgreSQL stops", report.postgresStops],
    ["drain after last delivery", report.drainSeconds === null ? "did not drain" : `${report.drainSeconds.toFixed(1)} s`],
    ["lost", report.lost],
    ["duplicated", report.duplicated],
    ["ledger mismatches", report.ledgerMismatches],
    ["orders in a wrong final state", report.ordersInWrongState],
    ["forged events stored", report.forgedStored],
    ["leaks", report.leaks.length],
    ["ledger total (minor units)", report.ledgerTotalMinor],
    ["run time", `${report.seconds} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  for (const leak of report.leaks) lines.push(`leak: ${leak}`);
  for (const problem of report.problems.slice(0, 40)) lines.push(`problem: ${problem}`);
  if (report.problems.length > 40) lines.push(`… and ${report.problems.length - 40} more problems`);
  lines.push(chaosPassed(report) ? "PASSED" : "FAILED");
  return lines.join("\n");
}
