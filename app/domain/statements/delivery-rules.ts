/*
 * When a statement is sent, skipped or left alone. A statement has at most one ORIGINAL delivery that may have
 * reached the creator: every attempt is recorded (SENDING) before the message goes to SMTP, and the sender holds a
 * lock on the creator's statement while it sends, so whoever finds a SENDING attempt while holding that lock knows
 * its sender stopped between sending and recording. Such a message may well be in the creator's inbox: it is marked
 * UNCONFIRMED and never sent again by itself — only the merchant's explicit Resend sends it again.
 */

export const SKIP_REASONS = ["EXCLUDED", "OPTED_OUT", "NO_EMAIL", "NO_EXCHANGE_RATE", "NOTHING_TO_REPORT"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const DELIVERY_STATUSES = ["SENDING", "SENT", "FAILED", "UNCONFIRMED", "SKIPPED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface StatementRecipient {
  email: string | null;
  statementsOptOut: boolean;
  statementsExcluded: boolean;
}

/** Why a creator gets no statement whatever it says, or null: the merchant's choice first, then the creator's. */
export function recipientSkipReason(creator: StatementRecipient): SkipReason | null {
  if (creator.statementsExcluded) return "EXCLUDED";
  if (creator.statementsOptOut) return "OPTED_OUT";
  if (!creator.email?.trim()) return "NO_EMAIL";
  return null;
}

/** What the merchant reads in the delivery log. */
export function skipReasonText(reason: SkipReason, context: { payoutCurrency?: string } = {}): string {
  switch (reason) {
    case "EXCLUDED":
      return "Excluded from statements by the shop";
    case "OPTED_OUT":
      return "The creator opted out of statements";
    case "NO_EMAIL":
      return "No email address for this creator";
    case "NO_EXCHANGE_RATE":
      return `No exchange rate for ${context.payoutCurrency ?? "the creator's payout currency"}: add one in statement settings`;
    case "NOTHING_TO_REPORT":
      return "Nothing to report: no activity and no balance";
  }
}

export type OriginalDeliveryDecision =
  | { action: "SEND"; attempt: number }
  | { action: "ALREADY_SENT" }
  | { action: "UNCONFIRMED" }
  /** A SENDING attempt whose sender stopped: record it as UNCONFIRMED, and send nothing. */
  | { action: "MARK_UNCONFIRMED"; deliveryIds: string[] };

/**
 * Decides, while holding the statement's lock, whether its original delivery may be sent. `attempts` are every
 * delivery of the statement (resends included: they count towards the attempt number).
 */
export function decideOriginalDelivery(
  attempts: readonly { id: string; kind: "ORIGINAL" | "RESEND"; status: DeliveryStatus; attempt: number | null }[],
): OriginalDeliveryDecision {
  const originals = attempts.filter((attempt) => attempt.kind === "ORIGINAL");
  if (originals.some((attempt) => attempt.status === "SENT")) return { action: "ALREADY_SENT" };
  const stopped = originals.filter((attempt) => attempt.status === "SENDING").map((attempt) => attempt.id);
  if (stopped.length > 0) return { action: "MARK_UNCONFIRMED", deliveryIds: stopped };
  if (originals.some((attempt) => attempt.status === "UNCONFIRMED")) return { action: "UNCONFIRMED" };
  return { action: "SEND", attempt: nextAttempt(attempts) };
}

export function nextAttempt(attempts: readonly { attempt: number | null }[]): number {
  return attempts.reduce((highest, attempt) => Math.max(highest, attempt.attempt ?? 0), 0) + 1;
}

/** The parts of a Nodemailer error that tell how far the message got. */
export interface SmtpErrorFacts {
  code?: string;
  /** The system error behind it (ECONNREFUSED…). */
  originalCode?: string;
  responseCode?: number;
}

/** Nodemailer codes for errors raised before the message is handed over (login, TLS, the envelope, configuration). */
const NEVER_SENT_CODES = new Set(["EDNS", "ETLS", "EREQUIRETLS", "EAUTH", "ENOAUTH", "EOAUTH2", "ECONFIG", "EENVELOPE", "EPROXY"]);
/** The server was never reached. */
const UNREACHED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * FAILED when the message cannot have been delivered — the server refused it with an SMTP reply code, could not be
 * reached, or the error came before the message was handed over (login, TLS, the envelope) — so sending again is
 * safe. Anything else is UNCONFIRMED: a connection lost or timed out may have been lost after the server accepted
 * the message (Nodemailer reports those alike, whatever the command in flight).
 */
export function smtpFailureOutcome(error: SmtpErrorFacts): "FAILED" | "UNCONFIRMED" {
  if (typeof error.responseCode === "number" && error.responseCode >= 400) return "FAILED";
  if (error.code && NEVER_SENT_CODES.has(error.code)) return "FAILED";
  if (error.originalCode && UNREACHED_CODES.has(error.originalCode)) return "FAILED";
  return "UNCONFIRMED";
}

/** `<statement-<statement id>-<attempt>@<domain of the sender>>`: fixed before sending, unique per attempt. */
export function statementMessageId(statementId: string, attempt: number, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1).replace(/[^A-Za-z0-9.-]/g, "") || "creator-ledger.local";
  return `<statement-${statementId}-${attempt}@${domain}>`;
}

export type CreatorStatementState = "SENT" | "SENDING" | "UNCONFIRMED" | "FAILED" | "SKIPPED" | "NOT_SENT";

/**
 * Where a creator's statement for a period stands, from its deliveries (newest first): sent once the original
 * went out; otherwise what its latest attempt or skip says.
 */
export function creatorStatementState(
  deliveries: readonly { kind: "ORIGINAL" | "RESEND"; status: DeliveryStatus }[],
): CreatorStatementState {
  const originals = deliveries.filter((delivery) => delivery.kind === "ORIGINAL");
  if (originals.some((delivery) => delivery.status === "SENT")) return "SENT";
  if (originals.some((delivery) => delivery.status === "UNCONFIRMED")) return "UNCONFIRMED";
  return originals[0]?.status ?? "NOT_SENT";
}
