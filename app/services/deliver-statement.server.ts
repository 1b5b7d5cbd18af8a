import type { StatementDeliveryKind, StatementSkipReason } from "@prisma/client";
import {
  decideOriginalDelivery,
  nextAttempt,
  skipReasonText,
  smtpFailureOutcome,
  statementMessageId,
  type SmtpErrorFacts,
} from "~/domain/statements/delivery-rules";
import type { StatementDocument } from "~/domain/statements/statement-document";
import { composeStatementMessage } from "~/emails/statement-message.server";
import { getStatementSettings, type StatementSettingsView } from "~/models/statements.server";
import { logger } from "~/utils/logger.server";
import type { StatementMailer } from "~/utils/mailer.server";
import { loadStatementSubject, prepareStatement, type StatementSubject } from "./prepare-statement.server";
import { isUniqueViolation, withStatementLock, type LockedStatementStore, type NewStatementRow } from "./statement-lock.server";

/*
 * Sending a creator's statement exactly once.
 *
 * Every send happens while holding a Postgres advisory lock on (shop, creator, period), on a connection that keeps
 * it until the outcome is recorded — or until the process dies and Postgres drops the connection and the lock with
 * it (statement-lock.server.ts). Under the lock: the attempt is recorded as SENDING (committed on its own, before
 * anything goes to SMTP, with the Message-ID it will carry), the message is sent, and the attempt is marked SENT,
 * FAILED (refused or never handed over: safe to try again) or UNCONFIRMED (lost mid-send). A SENDING attempt found
 * by the next holder of the lock means its sender died between sending and recording: it becomes UNCONFIRMED and
 * nothing is sent — a creator never gets a period's statement twice by accident, across job retries, crashes and
 * redeploys. Only an explicit Resend sends an already delivered statement again, as a delivery of its own.
 */

export type DeliveryOutcome =
  | { outcome: "SENT"; deliveryId: string; messageId: string }
  | { outcome: "ALREADY_SENT" }
  | { outcome: "UNCONFIRMED"; deliveryId: string | null }
  | { outcome: "FAILED"; deliveryId: string; error: string }
  | { outcome: "SKIPPED"; reason: StatementSkipReason; text: string };

export interface DeliveryRequest {
  shopId: string;
  creatorId: string;
  periodKey: string;
  /** The staff member who asked (session token `sub`); omitted for the schedule. */
  requestedBy?: string | null;
  now?: Date;
}

/** The shop's statement settings a message needs (its sender name, Reply-To and logo). */
export type StatementSenderSettings = Pick<StatementSettingsView, "fromName" | "replyTo" | "logoUrl">;

/**
 * What a period's run reads once for all its creators rather than once per creator: the shop's settings as the run
 * started, and when the shop's statements began (read, or set by its first statement, at most once per run).
 */
export interface RunContext {
  settings: StatementSenderSettings;
  historyCutoff: () => Promise<Date>;
}

const lockOf = (subject: StatementSubject) => ({ shopId: subject.shop.id, creatorId: subject.creator.id, periodKey: subject.period.key });

/** A skip is logged once: again only when the reason changed since the creator's last delivery for the period. */
async function recordSkip(store: LockedStatementStore, reason: StatementSkipReason, payoutCurrency: string, requestedBy: string | null) {
  const text = skipReasonText(reason, { payoutCurrency });
  await store.recordSkip({ reason, text, requestedBy });
  return { outcome: "SKIPPED" as const, reason, text };
}

function errorFacts(error: unknown): SmtpErrorFacts & { message: string } {
  const facts = (error ?? {}) as { code?: unknown; originalCode?: unknown; responseCode?: unknown; message?: unknown };
  return {
    code: typeof facts.code === "string" ? facts.code : undefined,
    originalCode: typeof facts.originalCode === "string" ? facts.originalCode : undefined,
    responseCode: typeof facts.responseCode === "number" ? facts.responseCode : undefined,
    message: typeof facts.message === "string" ? facts.message : String(error),
  };
}

/**
 * Records the attempt, sends, records the outcome. Called under the statement's lock, with the attempt number
 * the deliveries so far leave free.
 */
async function sendAttempt(
  mailer: StatementMailer,
  store: LockedStatementStore,
  subject: StatementSubject,
  /** `unsaved`: a statement generated now, written with this attempt. */
  statement: { id: string; document: StatementDocument; unsaved?: NewStatementRow },
  attempt: { number: number; kind: StatementDeliveryKind; requestedBy: string | null; requestKey: string | null },
  settings: StatementSenderSettings,
): Promise<DeliveryOutcome> {
  const to = subject.creator.email!.trim();
  const messageId = statementMessageId(statement.id, attempt.number, mailer.fromAddress);
  const message = await composeStatementMessage(statement.document, {
    messageId,
    to,
    fromName: settings.fromName ?? subject.shop.name,
    fromAddress: mailer.fromAddress,
    replyTo: settings.replyTo,
    logoUrl: settings.logoUrl,
    statementId: statement.id,
  });

  const sending = { kind: attempt.kind, attempt: attempt.number, messageId, toEmail: to, requestedBy: attempt.requestedBy, requestKey: attempt.requestKey };
  const deliveryId = statement.unsaved
    ? await store.insertStatementWithAttempt(statement.unsaved, sending)
    : await store.insertSendingAttempt(statement.id, sending);

  let sent: { response: string };
  try {
    sent = await mailer.send(message);
  } catch (error) {
    const facts = errorFacts(error);
    const status = smtpFailureOutcome(facts);
    await store.markNotSent(deliveryId, status, facts.message.slice(0, 2_000));
    logger.warn({ deliveryId, status, code: facts.code, responseCode: facts.responseCode }, "statement not sent");
    return status === "FAILED" ? { outcome: "FAILED", deliveryId, error: facts.message } : { outcome: "UNCONFIRMED", deliveryId };
  }
  // SENDING or, had another holder marked it while this one outlived its lock, UNCONFIRMED: either way it went out.
  await store.markSent(deliveryId, sent.response.slice(0, 1_000));
  logger.info({ deliveryId, messageId }, "statement sent");
  return { outcome: "SENT", deliveryId, messageId };
}

const STOPPED_SENDER =
  "The sender stopped between sending and recording the outcome: the creator may have this statement. It is not sent again by itself; resend it if they did not get it.";

/**
 * The statement's one delivery, unless it went out already (or may have). What the schedule and the merchant's
 * "Send" do. Null when the creator is not the shop's or the period key names no period.
 */
export async function deliverStatement(mailer: StatementMailer, request: DeliveryRequest): Promise<DeliveryOutcome | null> {
  const subject = await loadStatementSubject(request.shopId, request.creatorId, request.periodKey);
  if (!subject) return null;
  return deliverStatementTo(mailer, subject, { requestedBy: request.requestedBy ?? null, now: request.now });
}

/** deliverStatement for a subject already loaded: a run's creators, with what the run read once for them all. */
export async function deliverStatementTo(
  mailer: StatementMailer,
  subject: StatementSubject,
  options: { requestedBy: string | null; now?: Date; run?: RunContext },
): Promise<DeliveryOutcome> {
  const { requestedBy, run } = options;
  return withStatementLock(lockOf(subject), async (store) => {
    const prepared = await prepareStatement(subject, { generate: true, store, now: options.now, historyCutoff: run?.historyCutoff });
    if (!prepared.ok) return recordSkip(store, prepared.skipReason, prepared.payoutCurrency, requestedBy);
    const statement = { id: prepared.unsaved?.id ?? prepared.row!.id, document: prepared.document, unsaved: prepared.unsaved };

    const decision = decideOriginalDelivery(prepared.attempts);
    switch (decision.action) {
      case "ALREADY_SENT":
        return { outcome: "ALREADY_SENT" };
      case "UNCONFIRMED":
        return { outcome: "UNCONFIRMED", deliveryId: null };
      case "MARK_UNCONFIRMED":
        await store.markStoppedUnconfirmed(decision.deliveryIds, STOPPED_SENDER);
        logger.warn({ deliveryIds: decision.deliveryIds }, "statement delivery unconfirmed: its sender stopped mid-send");
        return { outcome: "UNCONFIRMED", deliveryId: decision.deliveryIds[0] ?? null };
      case "SEND": {
        const settings = run?.settings ?? (await getStatementSettings(subject.shop.id));
        return sendAttempt(mailer, store, subject, statement, { number: decision.attempt, kind: "ORIGINAL", requestedBy, requestKey: null }, settings);
      }
    }
  });
}

export type ResendOutcome =
  | DeliveryOutcome
  | { outcome: "NOT_GENERATED" }
  /** The same request (form token) was already handled. */
  | { outcome: "DUPLICATE"; deliveryId: string };

/**
 * The merchant's explicit Resend: the statement as it was generated, to the creator's email now, logged as a
 * delivery of its own. The request key (the form's token) makes a double submit send once.
 */
export async function resendStatement(
  mailer: StatementMailer,
  request: DeliveryRequest & { requestKey: string },
): Promise<ResendOutcome | null> {
  const subject = await loadStatementSubject(request.shopId, request.creatorId, request.periodKey);
  if (!subject) return null;
  const requestedBy = request.requestedBy ?? null;
  return withStatementLock(lockOf(subject), async (store): Promise<ResendOutcome> => {
    const earlier = await store.deliveryForRequest(request.requestKey);
    if (earlier) return { outcome: "DUPLICATE", deliveryId: earlier.id };
    if (!(await store.statementWithAttempts())) return { outcome: "NOT_GENERATED" };
    // The creator's opt-out and the shop's exclusion hold for resends too.
    const prepared = await prepareStatement(subject, { generate: true, store, now: request.now });
    if (!prepared.ok) return recordSkip(store, prepared.skipReason, prepared.payoutCurrency, requestedBy);
    const settings = await getStatementSettings(subject.shop.id);
    try {
      return await sendAttempt(
        mailer,
        store,
        subject,
        { id: prepared.row!.id, document: prepared.document },
        { number: nextAttempt(prepared.attempts), kind: "RESEND", requestedBy, requestKey: request.requestKey },
        settings,
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const again = await store.deliveryForRequest(request.requestKey);
      if (!again) throw error;
      return { outcome: "DUPLICATE", deliveryId: again.id };
    }
  });
}
