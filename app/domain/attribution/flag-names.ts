import type { AttributionFlag } from "./types";

/** How a merchant reads each flag: on the order page and in the reason of a held commission's reversal. */
export const FLAG_NAMES: Record<AttributionFlag, string> = {
  SELF_REFERRAL: "Self-referral",
  LEAKED_CODE: "Leaked code",
  CODE_BURST: "Code burst",
  CONFLICTING_CREATORS: "Conflicting creators",
};

export function flagName(flag: string): string {
  return FLAG_NAMES[flag as AttributionFlag] ?? flag;
}
