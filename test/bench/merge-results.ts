// Joins the results of several `npm run bench` runs (e.g. `--only ack,leaderboard` and a rerun of `--only e2e`) into
// one file, each measurement from the last run that has its bench, and prints the markdown table README.md quotes:
//   node --import tsx test/bench/merge-results.ts out.json run-1.json run-2.json …
import { readFileSync, writeFileSync } from "node:fs";
import { BENCH_NAMES } from "./options";
import { formatMarkdownTable, reportJson, type BenchReport } from "./report";

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) {
  console.error("usage: node --import tsx test/bench/merge-results.ts out.json run-1.json [run-2.json …]");
  process.exit(2);
}
const runs = inputs.map((path) => JSON.parse(readFileSync(path, "utf8")) as BenchReport);
const benchesOf = (run: BenchReport) => new Set(run.measurements.map((measurement) => measurement.bench));
const merged: BenchReport & { runs: Pick<BenchReport, "startedAt" | "finishedAt" | "machine">[] } = {
  size: runs[0]!.size,
  startedAt: runs[0]!.startedAt,
  finishedAt: runs.at(-1)!.finishedAt,
  machine: runs[0]!.machine,
  measurements: runs
    .flatMap((run, index) =>
      run.measurements.filter((measurement) => !runs.slice(index + 1).some((later) => benchesOf(later).has(measurement.bench))),
    )
    // In the order the runner runs them (a stable sort keeps each bench's own order).
    .sort((a, b) => BENCH_NAMES.indexOf(a.bench) - BENCH_NAMES.indexOf(b.bench)),
  failures: runs.flatMap((run, index) =>
    run.failures.filter((failure) => !runs.slice(index + 1).some((later) => benchesOf(later).has(failure.bench))),
  ),
  runs: runs.map(({ startedAt, finishedAt, machine }) => ({ startedAt, finishedAt, machine })),
};
writeFileSync(out, reportJson(merged));
console.log(formatMarkdownTable(merged.measurements));
