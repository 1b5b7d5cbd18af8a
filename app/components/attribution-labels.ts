import { FLAG_NAMES, flagName } from "~/domain/attribution/flag-names";
// How the admin names attribution's words to a merchant: methods, flags, review states and signals. Shared by the
// orders pages and the attribution rules page (client and server).
import type { AttributionMethod, ReviewStatus } from "@prisma/client";
import { SIGNAL_KIND_NAMES } from "~/domain/attribution/signal-kind-names";
import type { SignalKind } from "~/domain/attribution/types";

export const METHOD_LABELS: Record<AttributionMethod, string> = {
  DISCOUNT_CODE: "Discount code",
  TRACKING_LINK: "Tracking link",
  UTM: "UTM parameters",
  REF_PARAM: "Ref parameter",
  CART_ATTRIBUTE: "Cart attribute",
  REFERRING_SITE: "Referring site",
  CUSTOMER_JOURNEY: "Customer journey",
  SURVEY: "Survey answer",
  CUSTOMER_LOCK: "Customer lock",
  MANUAL_OVERRIDE: "Override",
  NONE: "No creator",
};

export const FLAG_LABELS: Record<string, { label: string; explanation: string }> = {
  SELF_REFERRAL: {
    label: FLAG_NAMES.SELF_REFERRAL,
    explanation: "The buyer is the credited creator themselves (their customer account or email).",
  },
  LEAKED_CODE: {
    label: FLAG_NAMES.LEAKED_CODE,
    explanation:
      "The creator's code was used by a shopper who came from a coupon site or from somewhere the creator does not post.",
  },
  CODE_BURST: {
    label: FLAG_NAMES.CODE_BURST,
    explanation: "Far more orders than usual used this code in the hour before this one.",
  },
  CONFLICTING_CREATORS: {
    label: FLAG_NAMES.CONFLICTING_CREATORS,
    explanation: "Signals on the order point at more than one creator; the rules chose one of them.",
  },
};

export const flagLabel = flagName;

export const REVIEW_BADGES: Record<
  ReviewStatus,
  { label: string; tone: "warning" | "success" | "critical" | undefined }
> = {
  PENDING: { label: "Needs review", tone: "warning" },
  APPROVED: { label: "Approved", tone: "success" },
  REJECTED: { label: "Rejected", tone: "critical" },
  NOT_NEEDED: { label: "No review needed", tone: undefined },
};

/** "Discount code", "Customer lock", "Override": the evidence's signal column. */
export function signalLabel(signal: string): string {
  if (signal === "customer_lock") return "Customer lock";
  if (signal === "override") return "Override";
  const names = SIGNAL_KIND_NAMES[signal as SignalKind];
  return names ? `${names.one.charAt(0).toUpperCase()}${names.one.slice(1)}` : signal;
}

export interface VerdictFacts {
  creatorName: string | null;
  method: AttributionMethod;
  confidence: number;
  rule: string;
  evidence: readonly { decisive: boolean; source: string; value: string; signal: string }[];
}

/** The verdict in one sentence: "Credited to Maya Fit by discount code MAYA10 — 95% confidence". */
export function verdictSentence(verdict: VerdictFacts): string {
  const who = verdict.creatorName ?? "nobody";
  if (verdict.method === "MANUAL_OVERRIDE") return `Credited to ${who} by your override`;
  if (verdict.creatorName === null || verdict.method === "NONE") return "No creator is credited with this order";
  const decisive = verdict.evidence.find((entry) => entry.decisive);
  const by =
    verdict.method === "CUSTOMER_LOCK"
      ? `the customer lock${decisive?.value ? ` (customer acquired with order ${decisive.value})` : ""}`
      : decisive
      ? `${decisive.source}${decisive.value ? ` ${decisive.value}` : ""}`
      : METHOD_LABELS[verdict.method].toLowerCase();
  return `Credited to ${verdict.creatorName} by ${by} — ${verdict.confidence}% confidence`;
}
