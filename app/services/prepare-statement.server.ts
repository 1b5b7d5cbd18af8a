import { randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma } from "~/db.server";
import { buildStatement } from "~/domain/statements/build-statement";
import { recipientSkipReason, type SkipReason } from "~/domain/statements/delivery-rules";
import {
  parseStatementDocument,
  type StatementDocument,
} from "~/domain/statements/statement-document";
import {
  statementCutoff,
  statementPeriodByKey,
  statementPeriodLabel,
  type StatementPeriod,
} from "~/domain/statements/statement-periods";
import { loadStatementLedger } from "~/models/statement-ledger.server";
import { getStatementSettings, latestExchangeRate, STATEMENT_CREATOR_FIELDS, statementHistoryCutoff } from "~/models/statements.server";
import type { DeliveryAttempt, LockedStatementStore, NewStatementRow, StatementRowFacts } from "./statement-lock.server";

export interface StatementSubject {
  shop: { id: string; name: string; currencyCode: string; timezone: string };
  creator: { id: string; name: string; email: string | null; payoutCurrency: string | null; statementsOptOut: boolean; statementsExcluded: boolean };
  period: StatementPeriod;
}

/** The shop, its creator and the period a key names; null when the creator is not the shop's or the key is no period. */
export async function loadStatementSubject(shopId: string, creatorId: string, periodKey: string): Promise<StatementSubject | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  const creator = await prisma.creator.findFirst({
    where: { id: creatorId, shopId },
    select: {
      ...STATEMENT_CREATOR_FIELDS,
      shop: { select: { id: true, name: true, currencyCode: true, timezone: true } },
    },
  });
  if (!creator) return null;
  const period = statementPeriodByKey(periodKey, creator.shop.timezone);
  if (!period) return null;
  const { shop, ...rest } = creator;
  return { shop, creator: rest, period };
}

/** Every creator of the shop as the subject of the period's statement, in one query (a run's creators), by id. */
export async function loadPeriodStatementSubjects(shop: StatementSubject["shop"], period: StatementPeriod): Promise<StatementSubject[]> {
  const creators = await prisma.creator.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, select: STATEMENT_CREATOR_FIELDS });
  return creators.map((creator) => ({ shop, creator, period }));
}

export type PreparedStatement =
  | {
      ok: true;
      document: StatementDocument;
      payoutCurrency: string;
      fxRate: string;
      /** The Statement row, once generated. */
      row: { id: string } | null;
      /** Its delivery attempts so far (read with it when generating). */
      attempts: DeliveryAttempt[];
      /** Generating a new statement: the row to write, with its id, together with its first delivery attempt. */
      unsaved?: NewStatementRow;
    }
  | { ok: false; skipReason: SkipReason; payoutCurrency: string };

/**
 * Generating happens under the statement's lock (`store` is the connection that holds it): an existing statement is
 * read there, a new one is returned unsaved, for the sender to write in one statement with its first delivery
 * attempt. `historyCutoff` is when the shop's statements began (statementHistoryCutoff, which sets it at the shop's
 * first statement): a run passes one it reads once for all its creators.
 */
export type PrepareOptions =
  | { generate: false; ignoreRecipient?: boolean; now?: Date }
  | { generate: true; store: LockedStatementStore; now?: Date; historyCutoff?: () => Promise<Date> };

function fromRow(row: StatementRowFacts, attempts: DeliveryAttempt[]): PreparedStatement {
  return { ok: true, document: parseStatementDocument(row.document), payoutCurrency: row.payoutCurrency, fxRate: row.fxRate, row: { id: row.id }, attempts };
}

/**
 * The creator's statement for the period. `generate` locks it: the Statement row is written once (the rate, the
 * figures and the document), with its first delivery attempt, and every later call returns that row's document.
 * Without it (a preview) nothing is written and, before the shop's first statement, "now" stands in for when
 * statements began.
 *
 * Skips the creator when the merchant excluded them, they opted out or have no email (unless `ignoreRecipient`:
 * a preview shows the statement all the same), when their payout currency has no exchange rate, and when there is
 * nothing to report.
 */
export async function prepareStatement(subject: StatementSubject, options: PrepareOptions): Promise<PreparedStatement> {
  const { shop, creator, period } = subject;
  const now = options.now ?? new Date();
  const payoutCurrency = creator.payoutCurrency ?? shop.currencyCode;

  const ignoreRecipient = !options.generate && options.ignoreRecipient === true;
  if (!ignoreRecipient) {
    const skip = recipientSkipReason(creator);
    if (skip) return { ok: false, skipReason: skip, payoutCurrency };
  }

  if (options.generate) {
    const existing = await options.store.statementWithAttempts();
    if (existing) return fromRow(existing.row, existing.attempts);
  } else {
    const existing = await prisma.statement.findUnique({
      where: { shopId_creatorId_periodKey: { shopId: shop.id, creatorId: creator.id, periodKey: period.key } },
      select: { id: true, document: true, payoutCurrency: true, fxRate: true },
    });
    if (existing) return fromRow({ ...existing, fxRate: existing.fxRate.toFixed() }, []);
  }

  const fxRate = payoutCurrency === shop.currencyCode ? "1" : await latestExchangeRate(shop.id, payoutCurrency);
  if (fxRate === null) return { ok: false, skipReason: "NO_EXCHANGE_RATE", payoutCurrency };

  const historyCutoffAt = options.generate
    ? await (options.historyCutoff?.() ?? statementHistoryCutoff(shop.id, now))
    : ((await getStatementSettings(shop.id)).historyCutoffAt ?? now);
  const cutoff = statementCutoff(period, shop.timezone);
  const postedBefore = new Date(Math.max(cutoff.getTime(), historyCutoffAt.getTime()));
  const ledger = await loadStatementLedger(shop.id, creator.id, period, postedBefore);
  const statement = buildStatement({
    period,
    timezone: shop.timezone,
    shopCurrency: shop.currencyCode,
    payoutCurrency,
    fxRate,
    historyCutoffAt,
    ...ledger,
  });
  if (!statement.hasActivity) return { ok: false, skipReason: "NOTHING_TO_REPORT", payoutCurrency };

  const document: StatementDocument = {
    version: 1,
    shopName: shop.name,
    creatorName: creator.name,
    periodLabel: statementPeriodLabel(period, shop.timezone),
    timezone: shop.timezone,
    generatedAt: now,
    statement,
  };
  if (!options.generate) return { ok: true, document, payoutCurrency, fxRate, row: null, attempts: [] };
  return {
    ok: true,
    document,
    payoutCurrency,
    fxRate,
    row: null,
    attempts: [],
    unsaved: {
      id: randomUUID(),
      period,
      currencyCode: shop.currencyCode,
      payoutCurrency,
      fxRate,
      openingMinor: statement.opening.shopMinor,
      closingMinor: statement.closing.shopMinor,
      closingPayoutMinor: statement.closing.minor,
      document,
    },
  };
}
