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
  const [[carriedEntries], [carriedPayouts], rows, payouts] = await Promise.all([
    prisma.$queryRaw<{ entriesMinor: string; pendingMinor: string; approvedMinor: string }[]>`
      SELECT COALESCE(SUM(le."amountMinor"), 0)::text AS "entriesMinor",
             COALESCE(SUM(le."amountMinor") FILTER (WHERE (p."createdAt" IS NULL OR p."createdAt" >= ${period.end})
                                                      AND le."availableAt" > ${period.end}), 0)::text AS "pendingMinor",
             COALESCE(SUM(le."amountMinor") FILTER (WHERE (p."createdAt" IS NULL OR p."createdAt" >= ${period.end})
                                                      AND le."availableAt" <= ${period.end}), 0)::text AS "approvedMinor"
      FROM "LedgerEntry" le
      LEFT JOIN "PayoutItem" pi ON pi."ledgerEntryId" = le."id"
      LEFT JOIN "Payout" p ON p."id" = pi."payoutId"
      WHERE le."shopId" = ${shopId}::uuid AND le."creatorId" = ${creatorId}::uuid AND le."createdAt" < ${period.start}`,
    prisma.$queryRaw<{ payoutsMinor: string }[]>`
      SELECT COALESCE(SUM("amountMinor"), 0)::text AS "payoutsMinor"
      FROM "Payout"
      WHERE "shopId" = ${shopId}::uuid AND "creatorId" = ${creatorId}::uuid AND "createdAt" < ${period.start}`,
    prisma.ledgerEntry.findMany({
      where: { shopId, creatorId, createdAt: { gte: period.start, lt: postedBefore } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        kind: true,
        sourceKey: true,
        amountMinor: true,
        reason: true,
        createdAt: true,
        availableAt: true,
        periodKey: true,
        order: { select: { name: true, processedAt: true } },
        payoutItem: { select: { payout: { select: { createdAt: true } } } },
      },
    }),
    prisma.payout.findMany({
      where: { shopId, creatorId, createdAt: { gte: period.start, lt: period.end } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        amountMinor: true,
        createdAt: true,
        paidAt: true,
        method: true,
        reference: true,
        payoutCurrency: true,
        payoutAmountMinor: true,
        fxRate: true,
      },
    }),
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
      entriesMinor: BigInt(carriedEntries?.entriesMinor ?? "0"),
      payoutsMinor: BigInt(carriedPayouts?.payoutsMinor ?? "0"),
      unpaidPendingAtEndMinor: BigInt(carriedEntries?.pendingMinor ?? "0"),
      unpaidApprovedAtEndMinor: BigInt(carriedEntries?.approvedMinor ?? "0"),
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
        order: row.order,
        periodKey: row.periodKey,
        settledAt: row.payoutItem?.payout.createdAt ?? null,
        clawback: row.kind === "REVERSAL" && paidAt !== undefined && paidAt < row.createdAt,
      };
    }),
    payouts: payouts.map((payout) => ({ ...payout, fxRate: payout.fxRate.toFixed() })),
  };
}
