import { Prisma, type Statement as StatementRow } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { buildStatement } from "~/domain/statements/build-statement";
import { recipientSkipReason, type SkipReason } from "~/domain/statements/delivery-rules";
import {
  parseStatementDocument,
  serializeStatementDocument,
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

export type PreparedStatement =
  | { ok: true; document: StatementDocument; payoutCurrency: string; fxRate: string; row: StatementRow | null }
  | { ok: false; skipReason: SkipReason; payoutCurrency: string };

/**
 * The creator's statement for the period. `generate` locks it: the Statement row is written once (the rate, the
 * figures and the document) and every later call returns that row's document. Without it (a preview) nothing is
 * written and, before the shop's first statement, "now" stands in for when statements began.
 *
 * Skips the creator when the merchant excluded them, they opted out or have no email (unless `ignoreRecipient`:
 * a preview shows the statement all the same), when their payout currency has no exchange rate, and when there is
 * nothing to report.
 */
export async function prepareStatement(
  subject: StatementSubject,
  options: { generate: boolean; ignoreRecipient?: boolean; now?: Date },
): Promise<PreparedStatement> {
  const { shop, creator, period } = subject;
  const now = options.now ?? new Date();
  const payoutCurrency = creator.payoutCurrency ?? shop.currencyCode;

  if (!options.ignoreRecipient) {
    const skip = recipientSkipReason(creator);
    if (skip) return { ok: false, skipReason: skip, payoutCurrency };
  }

  const existing = await prisma.statement.findUnique({
    where: { shopId_creatorId_periodKey: { shopId: shop.id, creatorId: creator.id, periodKey: period.key } },
  });
  if (existing) {
    return { ok: true, document: parseStatementDocument(existing.document), payoutCurrency: existing.payoutCurrency, fxRate: existing.fxRate.toFixed(), row: existing };
  }

  const fxRate = payoutCurrency === shop.currencyCode ? "1" : await latestExchangeRate(shop.id, payoutCurrency);
  if (fxRate === null) return { ok: false, skipReason: "NO_EXCHANGE_RATE", payoutCurrency };

  const historyCutoffAt = options.generate
    ? await statementHistoryCutoff(shop.id, now)
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
  if (!options.generate) return { ok: true, document, payoutCurrency, fxRate, row: null };

  try {
    const row = await prisma.statement.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        periodKey: period.key,
        cadence: period.cadence,
        periodStart: period.start,
        periodEnd: period.end,
        currencyCode: shop.currencyCode,
        payoutCurrency,
        fxRate,
        openingMinor: statement.opening.shopMinor,
        closingMinor: statement.closing.shopMinor,
        closingPayoutMinor: statement.closing.minor,
        document: serializeStatementDocument(document),
      },
    });
    return { ok: true, document, payoutCurrency, fxRate, row };
  } catch (error) {
    // Generated meanwhile by another sender: theirs is the statement.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    const row = await prisma.statement.findUniqueOrThrow({
      where: { shopId_creatorId_periodKey: { shopId: shop.id, creatorId: creator.id, periodKey: period.key } },
    });
    return { ok: true, document: parseStatementDocument(row.document), payoutCurrency: row.payoutCurrency, fxRate: row.fxRate.toFixed(), row };
  }
}
