import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { CarriedLedger, StatementEntryFacts, StatementPayoutFacts } from "~/domain/statements/build-statement";
import type { StatementPeriod } from "~/domain/statements/statement-periods";

export interface StatementLedger {
  carried: CarriedLedger;
  entries: StatementEntryFacts[];
  payouts: StatementPayoutFacts[];
}

/**
 * What buildStatement needs of a creator's ledger for `period`: sums of everything posted or recorded before the
 * period (it all counts in earlier periods), and every entry posted from the period's start until `postedBefore`
 * (the latest an entry may have been posted and still count in the period), every payout recorded during it.
 * No customer data is read: an order is its name and date.
 */
export async function loadStatementLedger(
  shopId: string,
  creatorId: string,
  period: StatementPeriod,
  postedBefore: Date,
): Promise<StatementLedger> {
  // Raw SQL, three statements at once: Prisma's query compiler costs more CPU than PostgreSQL does for these
  // (a statement run reads thousands of creators' ledgers).
  const [[carried], rows, payouts] = await Promise.all([
    prisma.$queryRaw<{ entriesMinor: string; pendingMinor: string; approvedMinor: string; payoutsMinor: string }[]>`
      SELECT COALESCE(SUM(le."amountMinor"), 0)::text AS "entriesMinor",
             COALESCE(SUM(le."amountMinor") FILTER (WHERE (p."createdAt" IS NULL OR p."createdAt" >= ${period.end})
                                                      AND le."availableAt" > ${period.end}), 0)::text AS "pendingMinor",
             COALESCE(SUM(le."amountMinor") FILTER (WHERE (p."createdAt" IS NULL OR p."createdAt" >= ${period.end})
                                                      AND le."availableAt" <= ${period.end}), 0)::text AS "approvedMinor",
             (SELECT COALESCE(SUM("amountMinor"), 0)::text FROM "Payout"
              WHERE "shopId" = ${shopId}::uuid AND "creatorId" = ${creatorId}::uuid AND "createdAt" < ${period.start}) AS "payoutsMinor"
      FROM "LedgerEntry" le
      LEFT JOIN "PayoutItem" pi ON pi."ledgerEntryId" = le."id"
      LEFT JOIN "Payout" p ON p."id" = pi."payoutId"
      WHERE le."shopId" = ${shopId}::uuid AND le."creatorId" = ${creatorId}::uuid AND le."createdAt" < ${period.start}`,
    prisma.$queryRaw<
      (Omit<StatementEntryFacts, "order" | "settledAt" | "clawback"> & { sourceKey: string; orderName: string | null; orderProcessedAt: Date | null; settledAt: Date | null })[]
    >`
      SELECT le."id", le."kind"::text AS "kind", le."sourceKey", le."amountMinor", le."reason", le."createdAt", le."availableAt", le."periodKey",
             o."name" AS "orderName", o."processedAt" AS "orderProcessedAt", p."createdAt" AS "settledAt"
      FROM "LedgerEntry" le
      LEFT JOIN "Order" o ON o."id" = le."orderId"
      LEFT JOIN "PayoutItem" pi ON pi."ledgerEntryId" = le."id"
      LEFT JOIN "Payout" p ON p."id" = pi."payoutId"
      WHERE le."shopId" = ${shopId}::uuid AND le."creatorId" = ${creatorId}::uuid AND le."createdAt" >= ${period.start} AND le."createdAt" < ${postedBefore}
      ORDER BY le."createdAt" ASC, le."id" ASC`,
    prisma.$queryRaw<(Omit<StatementPayoutFacts, "fxRate"> & { fxRate: Prisma.Decimal })[]>`
      SELECT "id", "amountMinor", "createdAt", "paidAt", "method"::text AS "method", "reference", "payoutCurrency", "payoutAmountMinor", "fxRate"
      FROM "Payout"
      WHERE "shopId" = ${shopId}::uuid AND "creatorId" = ${creatorId}::uuid AND "createdAt" >= ${period.start} AND "createdAt" < ${period.end}
      ORDER BY "createdAt" ASC, "id" ASC`,
  ]);

  // A reversal is a clawback when what it reverses had already been paid out when it was posted.
  const reversed = [...new Set(rows.filter((row) => row.kind === "REVERSAL").map((row) => row.sourceKey))];
  const paidSources =
    reversed.length === 0
      ? []
      : await prisma.ledgerEntry.findMany({
          where: { shopId, creatorId, sourceKey: { in: reversed }, kind: { not: "REVERSAL" }, payoutItem: { isNot: null } },
          select: { sourceKey: true, payoutItem: { select: { payout: { select: { createdAt: true } } } } },
        });
  const firstPaid = new Map<string, Date>();
  for (const source of paidSources) {
    const paidAt = source.payoutItem?.payout.createdAt;
    if (!paidAt) continue;
    const known = firstPaid.get(source.sourceKey);
    if (!known || paidAt < known) firstPaid.set(source.sourceKey, paidAt);
  }

  return {
    carried: {
      entriesMinor: BigInt(carried?.entriesMinor ?? "0"),
      payoutsMinor: BigInt(carried?.payoutsMinor ?? "0"),
      unpaidPendingAtEndMinor: BigInt(carried?.pendingMinor ?? "0"),
      unpaidApprovedAtEndMinor: BigInt(carried?.approvedMinor ?? "0"),
    },
    entries: rows.map((row) => {
      const paidAt = firstPaid.get(row.sourceKey);
      return {
        id: row.id,
        kind: row.kind,
        amountMinor: row.amountMinor,
        reason: row.reason,
        createdAt: row.createdAt,
        availableAt: row.availableAt,
        order: row.orderName !== null && row.orderProcessedAt !== null ? { name: row.orderName, processedAt: row.orderProcessedAt } : null,
        periodKey: row.periodKey,
        settledAt: row.settledAt,
        clawback: row.kind === "REVERSAL" && paidAt !== undefined && paidAt < row.createdAt,
      };
    }),
    payouts: payouts.map((payout) => ({ ...payout, fxRate: payout.fxRate.toFixed() })),
  };
}
