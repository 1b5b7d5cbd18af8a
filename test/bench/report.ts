// What a benchmark measured, the table `npm run bench` prints and the README shows, and the JSON file it writes.
import type { BenchName, SizeName } from "./options";
import type { MachineDetails } from "./machine";

export interface Target {
  /** ">=": at least (throughput); "<=": at most (latency, memory, time). */
  op: ">=" | "<=";
  value: number;
}

export interface Measurement {
  bench: BenchName;
  /** What was measured, e.g. "ack throughput, 32 connections". */
  name: string;
  value: number;
  unit: string;
  /** The same work without the app around it, measured on this machine in the same run (the ceiling). */
  limit?: { name: string; value: number };
  target?: Target;
  /** Counts and settings that make the number reproducible (orders, connections, errors…). */
  details?: Record<string, number | string>;
}

export interface BenchReport {
  size: SizeName;
  startedAt: string;
  finishedAt: string;
  machine: MachineDetails;
  measurements: Measurement[];
  /** Benchmarks that could not run, and why. */
  failures: { bench: BenchName; error: string }[];
}

/** app ÷ limit: for throughput the share of the ceiling reached, for latency how many times slower than the bare work. */
export function ratio(measurement: Measurement): number | null {
  if (!measurement.limit || measurement.limit.value === 0) return null;
  return measurement.value / measurement.limit.value;
}

export function targetMet(measurement: Measurement): boolean | null {
  const { target } = measurement;
  if (!target) return null;
  return target.op === ">=" ? measurement.value >= target.value : measurement.value <= target.value;
}

/** Three significant digits at most, thousands grouped: 1,234 / 56.7 / 0.123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

const HEADERS = ["Bench", "Measure", "Result", "Limit (same work, no app)", "App ÷ limit", "Target", "Met"];

export function tableRows(measurements: readonly Measurement[]): string[][] {
  return measurements.map((measurement) => {
    const share = ratio(measurement);
    const met = targetMet(measurement);
    return [
      measurement.bench,
      measurement.name,
      `${formatNumber(measurement.value)} ${measurement.unit}`,
      measurement.limit ? `${formatNumber(measurement.limit.value)} ${measurement.unit} (${measurement.limit.name})` : "",
      share === null ? "" : `${formatNumber(share)}×`,
      measurement.target ? `${measurement.target.op === ">=" ? "≥" : "≤"} ${formatNumber(measurement.target.value)} ${measurement.unit}` : "",
      met === null ? "" : met ? "yes" : "no",
    ];
  });
}

/** A plain-text table for the terminal, columns padded to their widest cell. */
export function formatTable(measurements: readonly Measurement[]): string {
  const rows = [HEADERS, ...tableRows(measurements)];
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  const line = (row: string[]) => row.map((cell, column) => cell + " ".repeat(widths[column]! - [...cell].length)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((width) => "─".repeat(width)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

/** The same table as GitHub markdown, for the README. */
export function formatMarkdownTable(measurements: readonly Measurement[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const rows = tableRows(measurements);
  return [
    `| ${HEADERS.join(" | ")} |`,
    `|${HEADERS.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** JSON with bigint-free numbers only; the shape is BenchReport. */
export function reportJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
