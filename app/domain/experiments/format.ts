import type { ExperimentDesign, ExperimentVerdict, Lift } from "./types";

/** 2000 → "+20.0%", −512 → "−5.1%", 0 → "0.0%". */
export function formatLift(basisPoints: number): string {
  const tenths = Math.round(Math.abs(basisPoints) / 10);
  const text = `${Math.floor(tenths / 10)}.${tenths % 10}%`;
  if (tenths === 0) return text;
  return basisPoints > 0 ? `+${text}` : `−${text}`;
}

/** "−18.2% to +76.1%": the 95% interval. */
export function formatLiftInterval(lift: Lift): string {
  return `${formatLift(lift.lowerBasisPoints)} to ${formatLift(lift.upperBasisPoints)}`;
}

export const DESIGN_LABELS: Record<ExperimentDesign, string> = {
  GEO_SPLIT: "Geo split",
  PERIOD_HOLDOUT: "Period holdout",
};

export const VERDICT_LABELS: Record<ExperimentVerdict, string> = {
  incremental: "Incremental",
  "not incremental": "Not incremental",
  inconclusive: "Inconclusive",
  running: "Running",
  "waiting for data": "Waiting for data",
};

/** Polaris Badge tones. */
export const VERDICT_TONES: Record<ExperimentVerdict, "success" | "critical" | "warning" | "info" | undefined> = {
  incremental: "success",
  "not incremental": "critical",
  inconclusive: "warning",
  running: "info",
  "waiting for data": undefined,
};

/** The verdict in plain words, for the merchant deciding whether to keep paying the creator. */
export function explainVerdict(verdict: ExperimentVerdict, design: ExperimentDesign): string {
  const compared = design === "GEO_SPLIT" ? "the control regions" : "the period the content was paused";
  switch (verdict) {
    case "incremental":
      return `The content brought orders that would not have happened otherwise: even the low end of the 95% interval is above ${compared}.`;
    case "not incremental":
      return "The orders would largely have happened anyway: the test rules out a lift of 5% or more. The creator's attributed orders are mostly customers who were buying regardless.";
    case "inconclusive":
      return "The test cannot tell yet: the interval holds both no lift and a meaningful one. Run it longer or on more regions.";
    case "running":
      return "The test is still running: the numbers so far are shown, the verdict comes when its last day is over.";
    case "waiting for data":
      return "A group has no orders in one of the windows yet, so the lift cannot be measured. Check the regions and dates, or wait for orders.";
  }
}
