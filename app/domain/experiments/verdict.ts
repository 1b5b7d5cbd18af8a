import type { ExperimentVerdict, Lift } from "./types";

/**
 * The smallest order lift worth paying a creator for. "Not incremental" means the 95% interval rules out a lift
 * this large: a creator whose true effect is zero gets an interval around zero, whose upper end is rarely ≤ 0, so
 * "upper bound ≤ 0" alone would almost never name the creators a merchant is looking for.
 */
export const MEANINGFUL_LIFT_BASIS_POINTS = 500;

/**
 * What the experiment says, judged on the order lift's 95% interval (in the basis points shown):
 * - "running": the test or baseline window has days still to come (today included): no verdict before the end;
 * - "waiting for data": a group had no orders in a window, so the interval is undefined;
 * - "incremental": the lower bound is above 0 — the content added orders;
 * - "not incremental": the upper bound is below MEANINGFUL_LIFT_BASIS_POINTS — any lift it had is too small to matter
 *   (or it lost orders);
 * - "inconclusive": otherwise — the interval holds both no lift and a meaningful one: run it longer or wider.
 */
export function experimentVerdict(running: boolean, lift: Lift | null): ExperimentVerdict {
  if (running) return "running";
  if (!lift) return "waiting for data";
  if (lift.lowerBasisPoints > 0) return "incremental";
  if (lift.upperBasisPoints < MEANINGFUL_LIFT_BASIS_POINTS) return "not incremental";
  return "inconclusive";
}
