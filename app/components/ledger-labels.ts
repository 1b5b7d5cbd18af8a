import type { EntryStatus } from "~/domain/ledger/entry-status";

export const ENTRY_STATUS_BADGES: Record<EntryStatus, { label: string; tone: "attention" | "info" | "success" }> = {
  PENDING: { label: "Pending", tone: "attention" },
  APPROVED: { label: "Approved", tone: "info" },
  PAID: { label: "Paid", tone: "success" },
};
