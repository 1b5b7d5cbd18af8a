import { REGION_CODE_PATTERN } from "../orders/shipping-region";

/**
 * Whether an order's shipping region belongs to a group's region: a country ("US") holds all its regions ("US-CA",
 * "US-NY") and itself (orders without a province); a region ("US-CA") holds only itself. Orders that ship nowhere
 * ("") belong to no group.
 */
export function regionMatches(orderRegion: string, groupRegion: string): boolean {
  if (orderRegion === "") return false;
  return orderRegion === groupRegion || (!groupRegion.includes("-") && orderRegion.startsWith(`${groupRegion}-`));
}

export function inRegions(orderRegion: string, groupRegions: readonly string[]): boolean {
  return groupRegions.some((groupRegion) => regionMatches(orderRegion, groupRegion));
}

/** Two group regions share orders: equal, or one is the other's country. */
export function regionsOverlap(a: string, b: string): boolean {
  return regionMatches(a, b) || regionMatches(b, a);
}

export type RegionListProblem =
  | { kind: "invalid"; codes: string[] }
  | { kind: "empty" }
  | { kind: "too many"; max: number };

export const MAX_REGIONS_PER_GROUP = 100;

/**
 * A comma- (or space-, or line-) separated list of region codes as a merchant types it ("us-ca, US-NY") → the
 * codes, upper-case, without repeats; or what is wrong with it.
 */
export function parseRegionList(text: string): { ok: true; regions: string[] } | { ok: false; problem: RegionListProblem } {
  const entries = text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return { ok: false, problem: { kind: "empty" } };
  const invalid = entries.filter((entry) => !REGION_CODE_PATTERN.test(entry));
  if (invalid.length > 0) return { ok: false, problem: { kind: "invalid", codes: [...new Set(invalid)] } };
  const regions = [...new Set(entries)];
  if (regions.length > MAX_REGIONS_PER_GROUP) return { ok: false, problem: { kind: "too many", max: MAX_REGIONS_PER_GROUP } };
  return { ok: true, regions };
}

/** The pairs of exposed and control regions that share orders: a geo split needs none. */
export function overlappingRegions(exposed: readonly string[], control: readonly string[]): [string, string][] {
  return exposed.flatMap((a) => control.filter((b) => regionsOverlap(a, b)).map((b): [string, string] => [a, b]));
}
