import { Prisma, type StatementDeliveryKind, type StatementSkipReason } from "@prisma/client";
import { prisma } from "~/db.server";
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
import { getStatementSettings } from "~/models/statements.server";
import { logger } from "~/utils/logger.server";
import type { StatementMailer } from "~/utils/mailer.server";
import { loadStatementSubject, prepareStatement, type StatementSubject } from "./prepare-statement.server";

/*
 * Sending a creator's statement exactly once.
 *
 * Every send happens while holding a Postgres advisory lock on (shop, creator, period), taken by a transaction that
 * stays open for the send and is released when it ends — or when the process dies and Postgres drops its
 * connection. Under the lock: the attempt is recorded as SENDING (committed on its own, before anything goes to
 * SMTP, with the Message-ID it will carry), the message is sent, and the attempt is marked SENT, FAILED (refused or
 * never handed over: safe to try again) or UNCONFIRMED (lost mid-send). A SENDING attempt found by the next holder of
 * the lock means its sender died between sending and recording: it becomes UNCONFIRMED and nothing is sent — a
 * creator never gets a period's statement twice by accident, across job retries, crashes and redeploys. Only an
 * explicit Resend sends an already delivered statement again, as a delivery of its own.
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

/** How long a sender waits for another one sending the same statement, before giving up (the job retries). */
const LOCK_WAIT = "120s";
const SEND_TIMEOUT_MS = 5 * 60_000;

async function withStatementLock<T>(subject: StatementSubject, work: () => Promise<T>): Promise<T> {
  const key = `statement:${subject.shop.id}:${subject.creator.id}:${subject.period.key}`;
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('lock_timeout', ${LOCK_WAIT}, true)`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      // The lock is all this transaction does: what the work writes is committed at once, on other connections.
      return work();
    },
    { timeout: SEND_TIMEOUT_MS, maxWait: 30_000 },
  );
}

/** A skip is logged once: again only when the reason changed since the creator's last delivery for the period. */
async function recordSkip(subject: StatementSubject, reason: StatementSkipReason, payoutCurrency: string, requestedBy: string | null) {
  const text = skipReasonText(reason, { payoutCurrency });
  const latest = await prisma.statementDelivery.findFirst({
    where: { shopId: subject.shop.id, creatorId: subject.creator.id, periodKey: subject.period.key },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!(latest?.status === "SKIPPED" && latest.skipReason === reason)) {
    await prisma.statementDelivery.create({
      data: {
        shopId: subject.shop.id,
        creatorId: subject.creator.id,
        periodKey: subject.period.key,
        status: "SKIPPED",
        skipReason: reason,
        error: text,
        requestedBy,
        finishedAt: new Date(),
      },
    });
  }
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
  subject: StatementSubject,
  statement: { id: string; document: StatementDocument },
  attempt: { number: number; kind: StatementDeliveryKind; requestedBy: string | null; requestKey: string | null },
): Promise<DeliveryOutcome> {
  const to = subject.creator.email!.trim();
  const settings = await getStatementSettings(subject.shop.id);
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

  const delivery = await prisma.statementDelivery.create({
    data: {
      shopId: subject.shop.id,
      creatorId: subject.creator.id,
      periodKey: subject.period.key,
      statementId: statement.id,
      kind: attempt.kind,
      status: "SENDING",
      attempt: attempt.number,
      messageId,
      toEmail: to,
      requestedBy: attempt.requestedBy,
      requestKey: attempt.requestKey,
    },
  });

  let sent: { response: string };
  try {
    sent = await mailer.send(message);
  } catch (error) {
    const facts = errorFacts(error);
    const status = smtpFailureOutcome(facts);
    await prisma.statementDelivery.update({
      where: { id: delivery.id },
      data: { status, error: facts.message.slice(0, 2_000), finishedAt: new Date() },
    });
    logger.warn({ deliveryId: delivery.id, status, code: facts.code, responseCode: facts.responseCode }, "statement not sent");
    return status === "FAILED" ? { outcome: "FAILED", deliveryId: delivery.id, error: facts.message } : { outcome: "UNCONFIRMED", deliveryId: delivery.id };
  }
  // SENDING or, had another holder marked it while this one outlived its lock, UNCONFIRMED: either way it went out.
  await prisma.statementDelivery.update({
    where: { id: delivery.id },
    data: { status: "SENT", smtpResponse: sent.response.slice(0, 1_000), error: null, finishedAt: new Date() },
  });
  logger.info({ deliveryId: delivery.id, messageId }, "statement sent");
  return { outcome: "SENT", deliveryId: delivery.id, messageId };
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
  const requestedBy = request.requestedBy ?? null;
  return withStatementLock(subject, async () => {
    const prepared = await prepareStatement(subject, { generate: true, now: request.now });
    if (!prepared.ok) return recordSkip(subject, prepared.skipReason, prepared.payoutCurrency, requestedBy);
    const statement = { id: prepared.row!.id, document: prepared.document };

    const attempts = await prisma.statementDelivery.findMany({
      where: { statementId: statement.id },
      select: { id: true, kind: true, status: true, attempt: true },
    });
    const decision = decideOriginalDelivery(attempts);
    switch (decision.action) {
      case "ALREADY_SENT":
        return { outcome: "ALREADY_SENT" };
      case "UNCONFIRMED":
        return { outcome: "UNCONFIRMED", deliveryId: null };
      case "MARK_UNCONFIRMED":
        await prisma.statementDelivery.updateMany({
          where: { id: { in: decision.deliveryIds }, status: "SENDING" },
          data: { status: "UNCONFIRMED", error: STOPPED_SENDER, finishedAt: new Date() },
        });
        logger.warn({ deliveryIds: decision.deliveryIds }, "statement delivery unconfirmed: its sender stopped mid-send");
        return { outcome: "UNCONFIRMED", deliveryId: decision.deliveryIds[0] ?? null };
      case "SEND":
        return sendAttempt(mailer, subject, statement, { number: decision.attempt, kind: "ORIGINAL", requestedBy, requestKey: null });
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
  return withStatementLock(subject, async (): Promise<ResendOutcome> => {
    const earlier = await prisma.statementDelivery.findUnique({
      where: { shopId_requestKey: { shopId: subject.shop.id, requestKey: request.requestKey } },
    });
    if (earlier) return { outcome: "DUPLICATE", deliveryId: earlier.id };
    const row = await prisma.statement.findUnique({
      where: { shopId_creatorId_periodKey: { shopId: subject.shop.id, creatorId: subject.creator.id, periodKey: subject.period.key } },
    });
    if (!row) return { outcome: "NOT_GENERATED" };
    // The creator's opt-out and the shop's exclusion hold for resends too.
    const prepared = await prepareStatement(subject, { generate: true, now: request.now });
    if (!prepared.ok) return recordSkip(subject, prepared.skipReason, prepared.payoutCurrency, requestedBy);
    const attempts = await prisma.statementDelivery.findMany({ where: { statementId: row.id }, select: { attempt: true } });
    try {
      return await sendAttempt(mailer, subject, { id: row.id, document: prepared.document }, {
        number: nextAttempt(attempts),
        kind: "RESEND",
        requestedBy,
        requestKey: request.requestKey,
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        const again = await prisma.statementDelivery.findUniqueOrThrow({
          where: { shopId_requestKey: { shopId: subject.shop.id, requestKey: request.requestKey } },
        });
        return { outcome: "DUPLICATE", deliveryId: again.id };
      }
      throw error;
    }
  });
}
