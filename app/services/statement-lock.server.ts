import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import pg from "pg";
import type { StatementDeliveryKind, StatementDeliveryStatus, StatementSkipReason } from "@prisma/client";
import type { StatementPeriod } from "~/domain/statements/statement-periods";
import { pgPool } from "~/db.server";
import { serializeStatementDocument, type StatementDocument } from "~/domain/statements/statement-document";
import { logger } from "~/utils/logger.server";

/*
 * The connections statement senders hold their locks on, and what they read and write there.
 *
 * A sender holds a session advisory lock on (shop, creator, period) from before it decides whether to send until it
 * recorded the outcome; when the process dies, PostgreSQL drops its connection and the lock with it — which is how
 * the next holder knows that a SENDING attempt's sender stopped (see deliver-statement.server.ts). The lock lives
 * outside a transaction, so everything the sender records on that connection is committed at once (the SENDING
 * attempt before anything goes to SMTP). The connections are a pool of their own: a sender holds one for as long
 * as SMTP takes, and the creators a run sends at once must not take the connections the other jobs run on from
 * the process's Prisma pool. The statements are plain SQL through node-postgres: a run sends thousands, and each
 * Prisma query costs ~10× its CPU (its query compiler and client) for these few, fixed statements.
 */

/** Creators a process handles at once, over all its runs (a run sends 8 at once, the worker runs 2 runs at once). */
const LOCK_CONNECTIONS = 16;
/** How long a sender waits for another one sending the same statement, before giving up (the job retries). */
const LOCK_WAIT = "120s";
/**
 * The longest a sender may keep its lock without a word to PostgreSQL (an SMTP send that hangs): then PostgreSQL
 * closes the connection, which releases the lock, and the sender's next write fails (the job retries).
 */
const SEND_TIMEOUT = "300s";

const lockPool = () =>
  pgPool("statement locks", {
    max: LOCK_CONNECTIONS,
    // As long as a sender waited for Prisma's pool before: then the statement fails and its job retries.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    // Idle connections do not keep a process (a test, a script) alive; the worker's shutdown exits anyway.
    allowExitOnIdle: true,
    options: `-c lock_timeout=${LOCK_WAIT} -c idle_session_timeout=${SEND_TIMEOUT}`,
  });

/**
 * Runs `work` holding the statement's lock, on the connection that holds it. The lock is released when `work` is
 * done; a connection whose lock may not have been released (an unlock that failed) is closed rather than reused,
 * which releases it.
 */
export async function withStatementLock<T>(
  statement: { shopId: string; creatorId: string; periodKey: string },
  work: (store: LockedStatementStore) => Promise<T>,
): Promise<T> {
  const key = `statement:${statement.shopId}:${statement.creatorId}:${statement.periodKey}`;
  const client = await lockPool().connect();
  // The connection lost while checked out (PostgreSQL's idle_session_timeout, a restart): the lock went with it,
  // and the sender's next query fails. Unheard, the error would crash the process.
  const lost = (error: Error) => logger.warn({ err: error, key }, "statement lock connection lost");
  client.on("error", lost);
  let reusable = false;
  try {
    await client.query(named("lock", "SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]));
    try {
      return await work(new LockedStatementStore(client, statement));
    } finally {
      try {
        const { rows } = await client.query<{ unlocked: boolean }>(named("unlock", "SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS unlocked", [key]));
        reusable = rows[0]?.unlocked === true;
      } catch (error) {
        logger.warn({ err: error, key }, "statement lock not released: closing its connection");
      }
    }
  } finally {
    client.off("error", lost);
    client.release(!reusable);
  }
}

export interface StatementRowFacts {
  id: string;
  document: unknown;
  payoutCurrency: string;
  fxRate: string;
}

export interface DeliveryAttempt {
  id: string;
  kind: StatementDeliveryKind;
  status: StatementDeliveryStatus;
  attempt: number | null;
}

export interface NewStatementRow {
  /** Chosen before it is written: the message names it (Message-ID, a header). */
  id: string;
  period: StatementPeriod;
  currencyCode: string;
  payoutCurrency: string;
  fxRate: string;
  openingMinor: bigint;
  closingMinor: bigint;
  closingPayoutMinor: bigint;
  document: StatementDocument;
}

export interface NewDeliveryAttempt {
  kind: StatementDeliveryKind;
  attempt: number;
  messageId: string;
  toEmail: string;
  requestedBy: string | null;
  requestKey: string | null;
}

export interface SkipRecord {
  reason: StatementSkipReason;
  text: string;
  requestedBy: string | null;
}

/** Unique violation (SQLSTATE 23505). */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "23505";

/** A named statement: PostgreSQL parses and plans it once per connection instead of on every call. */
const named = (name: string, text: string, values: unknown[]): pg.QueryConfig => ({ name: `statements-${name}`, text, values });

// Timestamps are written as UTC instants: the columns are `timestamp(3)` holding UTC (as Prisma writes them), and
// an ISO string with "Z" keeps node-postgres from sending the process's local time.
const instant = (date: Date) => date.toISOString();

/**
 * A creator's statement and delivery log for one period, read and written on the connection that holds its lock.
 * Every write commits on its own.
 */
export class LockedStatementStore {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly subject: { shopId: string; creatorId: string; periodKey: string },
  ) {}

  /** The statement, if generated, with every delivery attempt of it. */
  async statementWithAttempts(): Promise<{ row: StatementRowFacts; attempts: DeliveryAttempt[] } | null> {
    const { rows } = await this.client.query<StatementRowFacts & { attempts: DeliveryAttempt[] }>(
      named(
        "statement-with-attempts",
        `SELECT s."id", s."document", s."payoutCurrency", s."fxRate"::text AS "fxRate",
                COALESCE(json_agg(json_build_object('id', d."id", 'kind', d."kind", 'status', d."status", 'attempt', d."attempt"))
                           FILTER (WHERE d."id" IS NOT NULL), '[]') AS "attempts"
         FROM "Statement" s
         LEFT JOIN "StatementDelivery" d ON d."statementId" = s."id"
         WHERE s."shopId" = $1 AND s."creatorId" = $2 AND s."periodKey" = $3
         GROUP BY s."id"`,
        [this.subject.shopId, this.subject.creatorId, this.subject.periodKey],
      ),
    );
    const found = rows[0];
    if (!found) return null;
    const { attempts, ...row } = found;
    return { row: { ...row, fxRate: new Decimal(row.fxRate).toFixed() }, attempts };
  }

  /**
   * Writes a new statement and its first attempt, SENDING, in one statement (committed before the message goes to
   * SMTP); returns the attempt's id. A statement written meanwhile by a sender without this lock makes it throw
   * (a unique violation): the job retries, and finds that one.
   */
  async insertStatementWithAttempt(statement: NewStatementRow, attempt: NewDeliveryAttempt): Promise<string> {
    const { period } = statement;
    const deliveryId = randomUUID();
    const now = instant(new Date());
    await this.client.query(
      named(
        "insert-statement-with-attempt",
        `WITH statement AS (
           INSERT INTO "Statement" ("id", "shopId", "creatorId", "periodKey", "cadence", "periodStart", "periodEnd", "currencyCode",
                                    "payoutCurrency", "fxRate", "openingMinor", "closingMinor", "closingPayoutMinor", "document", "createdAt")
           VALUES ($1, $2, $3, $4, $5::"StatementCadence", $6, $7, $8, $9, $10::numeric, $11::bigint, $12::bigint, $13::bigint, $14::jsonb, $15)
           RETURNING "id"
         )
         INSERT INTO "StatementDelivery" ("id", "shopId", "creatorId", "periodKey", "statementId", "kind", "status", "attempt", "messageId",
                                          "toEmail", "requestedBy", "requestKey", "createdAt")
         SELECT $16::uuid, $2::uuid, $3::uuid, $4::text, statement."id", $17::"StatementDeliveryKind", 'SENDING', $18::int, $19::text,
                $20::text, $21::text, $22::text, $15::timestamp(3)
         FROM statement`,
        [
          statement.id,
          this.subject.shopId,
          this.subject.creatorId,
          period.key,
          period.cadence,
          instant(period.start),
          instant(period.end),
          statement.currencyCode,
          statement.payoutCurrency,
          statement.fxRate,
          statement.openingMinor.toString(),
          statement.closingMinor.toString(),
          statement.closingPayoutMinor.toString(),
          JSON.stringify(serializeStatementDocument(statement.document)),
          now,
          deliveryId,
          ...attemptColumns(attempt),
        ],
      ),
    );
    return deliveryId;
  }

  /** The delivery a request key (a merchant's form token) was used for, if any. */
  async deliveryForRequest(requestKey: string): Promise<{ id: string } | null> {
    const { rows } = await this.client.query<{ id: string }>(
      named("delivery-for-request", `SELECT "id" FROM "StatementDelivery" WHERE "shopId" = $1 AND "requestKey" = $2`, [this.subject.shopId, requestKey]),
    );
    return rows[0] ?? null;
  }

  /** Records an attempt of a statement written earlier as SENDING (committed before the message goes to SMTP); returns its id. */
  async insertSendingAttempt(statementId: string, attempt: NewDeliveryAttempt): Promise<string> {
    const id = randomUUID();
    await this.client.query(
      named(
        "insert-sending-attempt",
        `INSERT INTO "StatementDelivery" ("id", "shopId", "creatorId", "periodKey", "statementId", "kind", "status", "attempt", "messageId",
                                          "toEmail", "requestedBy", "requestKey", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6::"StatementDeliveryKind", 'SENDING', $7, $8, $9, $10, $11, $12)`,
        [id, this.subject.shopId, this.subject.creatorId, this.subject.periodKey, statementId, ...attemptColumns(attempt), instant(new Date())],
      ),
    );
    return id;
  }

  async markSent(deliveryId: string, smtpResponse: string): Promise<void> {
    await this.client.query(
      named(
        "mark-sent",
        `UPDATE "StatementDelivery" SET "status" = 'SENT', "smtpResponse" = $2, "error" = NULL, "finishedAt" = $3 WHERE "id" = $1`,
        [deliveryId, smtpResponse, instant(new Date())],
      ),
    );
  }

  async markNotSent(deliveryId: string, status: "FAILED" | "UNCONFIRMED", error: string): Promise<void> {
    await this.client.query(
      named(
        "mark-not-sent",
        `UPDATE "StatementDelivery" SET "status" = $2::"StatementDeliveryStatus", "error" = $3, "finishedAt" = $4 WHERE "id" = $1`,
        [deliveryId, status, error, instant(new Date())],
      ),
    );
  }

  /** Attempts found SENDING whose sender stopped: UNCONFIRMED, with why. */
  async markStoppedUnconfirmed(deliveryIds: readonly string[], error: string): Promise<void> {
    await this.client.query(
      named(
        "mark-stopped-unconfirmed",
        `UPDATE "StatementDelivery" SET "status" = 'UNCONFIRMED', "error" = $2, "finishedAt" = $3 WHERE "id" = ANY($1::uuid[]) AND "status" = 'SENDING'`,
        [deliveryIds, error, instant(new Date())],
      ),
    );
  }

  /** Logs a skip, unless the creator's latest delivery for the period is a skip for the same reason. */
  async recordSkip(skip: SkipRecord): Promise<void> {
    // One statement: the latest delivery is read and the skip written together.
    await this.client.query(
      named(
        "record-skip",
        `INSERT INTO "StatementDelivery" ("id", "shopId", "creatorId", "periodKey", "status", "skipReason", "error", "requestedBy", "createdAt", "finishedAt")
         SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, 'SKIPPED', $5::"StatementSkipReason", $6::text, $7::text, $8::timestamp(3), $8::timestamp(3)
         WHERE NOT EXISTS (
           SELECT 1 FROM (
             SELECT "status", "skipReason" FROM "StatementDelivery"
             WHERE "shopId" = $2::uuid AND "creatorId" = $3::uuid AND "periodKey" = $4::text
             ORDER BY "createdAt" DESC, "id" DESC LIMIT 1
           ) latest
           WHERE latest."status" = 'SKIPPED' AND latest."skipReason" = $5::"StatementSkipReason"
         )`,
        [randomUUID(), this.subject.shopId, this.subject.creatorId, this.subject.periodKey, skip.reason, skip.text, skip.requestedBy, instant(new Date())],
      ),
    );
  }
}

/** An attempt's columns in the order both attempt inserts list them: kind, attempt, messageId, toEmail, requestedBy, requestKey. */
function attemptColumns(attempt: NewDeliveryAttempt) {
  return [attempt.kind, attempt.attempt, attempt.messageId, attempt.toEmail, attempt.requestedBy, attempt.requestKey];
}
