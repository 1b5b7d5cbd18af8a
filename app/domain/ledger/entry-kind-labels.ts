import type { LedgerEntryKind } from "../commissions/commission-facts";

/** How a merchant or a creator reads each kind of ledger entry: the ledger and order pages and statements alike. */
export const LEDGER_KIND_LABELS: Record<LedgerEntryKind, string> = {
  COMMISSION: "Commission",
  CPA: "CPA",
  TIER_ADJUSTMENT: "Tier top-up",
  BONUS: "Bonus",
  RETAINER: "Retainer",
  BASE_FEE: "Base fee",
  FLAT_FEE: "Flat fee",
  CAP_ADJUSTMENT: "Cap",
  DRAW_ADVANCE: "Draw advance",
  DRAW_RECOVERY: "Draw recovery",
  ADJUSTMENT: "Adjustment",
  REVERSAL: "Reversal",
};
