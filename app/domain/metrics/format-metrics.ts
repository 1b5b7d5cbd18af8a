import type { ExperimentVerdict } from "~/domain/experiments";

/**
 * Display text for the integer metrics in creator-metrics.ts. Everything is rounded half away from zero from integer
 * basis points, so a shown number is always the stored one rounded once. "—" marks a metric that means nothing.
 */

const NOTHING = "—";

/** Basis points rounded half away from zero to `decimals` decimals of the unit (ratio) or of a percent. */
function fixed(basisPoints: number, divisor: number, decimals: number): string {
  const step = divisor / 10 ** decimals;
  const magnitude = Math.abs(basisPoints);
  const steps = Math.floor((magnitude * 2 + step) / (step * 2));
  const scale = 10 ** decimals;
  const whole = Math.floor(steps / scale);
  const text = decimals > 0 ? `${whole}.${String(steps % scale).padStart(decimals, "0")}` : `${whole}`;
  return basisPoints < 0 && steps > 0 ? `-${text}` : text;
}

/** A ratio such as ROAS or LTV:CAC: 31 250 bp → "3.13×". */
export function formatRatio(basisPoints: number | null): string {
  if (basisPoints === null) return NOTHING;
  return `${fixed(basisPoints, 10_000, 2)}×`;
}

/** A change against the previous period: 1 250 bp → "+12.5%", -400 → "−4.0%", 0 → "0.0%". */
export function formatPercentChange(basisPoints: number | null): string {
  if (basisPoints === null) return NOTHING;
  const text = fixed(basisPoints, 100, 1);
  if (text === "0.0") return "0.0%";
  return basisPoints > 0 ? `+${text}%` : `−${text.slice(1)}%`;
}

/** A payback period: "0 days", "1 day", "45 days". */
export function formatDays(days: number | null): string {
  if (days === null) return NOTHING;
  return days === 1 ? "1 day" : `${days} days`;
}

/**
 * An experiment's lift with the half-width of its 95% interval, all basis points: "+12% (±8)". An interval that is
 * not symmetric shows its mean half-width.
 */
export function formatLift(lift: { basisPoints: number; lowerBasisPoints: number; upperBasisPoints: number }): string {
  const percent = fixed(lift.basisPoints, 100, 0);
  const signed = percent === "0" ? "0" : lift.basisPoints > 0 ? `+${percent}` : `−${percent.slice(1)}`;
  const halfWidth = Math.abs(lift.upperBasisPoints - lift.lowerBasisPoints) / 2;
  return `${signed}% (±${fixed(halfWidth, 100, 0)})`;
}
