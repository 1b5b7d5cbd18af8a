import type { LedgerEntryKind } from "@prisma/client";
import type { EntryStatus } from "~/domain/ledger/entry-status";

/** How a merchant reads each kind of ledger entry. */
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

export const ENTRY_STATUS_BADGES: Record<EntryStatus, { label: string; tone: "attention" | "info" | "success" }> = {
  PENDING: { label: "Pending", tone: "attention" },
  APPROVED: { label: "Approved", tone: "info" },
  PAID: { label: "Paid", tone: "success" },
};
