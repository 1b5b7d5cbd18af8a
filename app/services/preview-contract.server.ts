import type { Shop } from "@prisma/client";
import { COMMISSIONABLE_REVIEW_STATUSES } from "./attribute-order.server";
import { prisma } from "~/db.server";
import type { ContractTerms } from "~/domain/commissions/contract-terms";
import { payPeriodBounds, previousPayPeriod } from "~/domain/commissions/pay-period";
import { previewPeriodEarnings, type PeriodEarningsPreview } from "~/domain/commissions/preview-period-earnings";
import { commissionOrderOf } from "./post-commissions.server";

export interface ContractPreview {
  /** The previous calendar pay period in the shop's timezone, e.g. "2026-10". */
  periodKey: string;
  /** What the candidate terms would have paid for that period. */
  candidate: PeriodEarningsPreview;
  /** What the creator's ledger holds for that period now (reversals included). */
  actualMinor: bigint;
}

/**
 * "Under this contract, this creator would have earned X last month": the previous pay period's attributed
 * orders and deliverables, run through the commission engine with the candidate terms, next to what the ledger
 * actually holds for that period. Nothing is written.
 */
export async function previewContract(
  shop: Pick<Shop, "id" | "timezone" | "currencyCode">,
  creatorId: string,
  terms: ContractTerms,
  now = new Date(),
): Promise<ContractPreview> {
  const periodKey = previousPayPeriod(now, shop.timezone);
  const { start, endExclusive } = payPeriodBounds(periodKey, shop.timezone);
  // The same facts the period settlement reads.
  const [orders, deliverables, actual] = await Promise.all([
    prisma.order.findMany({
      where: { shopId: shop.id, processedAt: { gte: start, lt: endExclusive }, attribution: { creatorId, reviewStatus: { in: COMMISSIONABLE_REVIEW_STATUSES } },
      },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
    }),
    prisma.deliverable.findMany({
      where: { shopId: shop.id, creatorId, deliveredAt: { gte: start, lt: endExclusive } },
      orderBy: [{ deliveredAt: "asc" }, { id: "asc" }],
    }),
    prisma.ledgerEntry.aggregate({ where: { shopId: shop.id, creatorId, periodKey }, _sum: { amountMinor: true } }),
  ]);
  return {
    periodKey,
    candidate: previewPeriodEarnings({
      periodKey,
      terms,
      orders: orders.map(commissionOrderOf),
      deliverables,
      currencyCode: shop.currencyCode,
    }),
    actualMinor: actual._sum.amountMinor ?? 0n,
  };
}
