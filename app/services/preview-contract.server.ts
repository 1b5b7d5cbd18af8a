import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import type { ContractTerms } from "~/domain/commissions/contract-terms";
import { previousPayPeriod } from "~/domain/commissions/pay-period";
import { previewPeriodEarnings, type PeriodEarningsPreview } from "~/domain/commissions/preview-period-earnings";
import { collectionsNamedBy } from "~/domain/commissions/rate-overrides";
import { loadCreatorPeriod } from "./post-commissions.server";

export interface ContractPreview {
  /** The previous calendar pay period in the shop's timezone, e.g. "2026-10". */
  periodKey: string;
  /** What the candidate terms would have paid for that period. */
  candidate: PeriodEarningsPreview;
  /** What the creator's ledger holds for that period now (reversals included). */
  actualMinor: bigint;
  /**
   * Collections the terms pay a rate on whose products the app has not read from Shopify yet (it does once the terms
   * are saved): the preview pays their products the default rate.
   */
  collectionsNotRead: string[];
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
  const named = collectionsNamedBy(terms);
  const [{ orders, deliverables }, actual, read] = await Promise.all([
    loadCreatorPeriod(prisma, shop, creatorId, periodKey),
    prisma.ledgerEntry.aggregate({ where: { shopId: shop.id, creatorId, periodKey }, _sum: { amountMinor: true } }),
    prisma.collectionSync.findMany({
      where: { shopId: shop.id, collectionGid: { in: named.map((collection) => collection.gid) }, syncedAt: { not: null } },
      select: { collectionGid: true },
    }),
  ]);
  return {
    periodKey,
    candidate: previewPeriodEarnings({
      periodKey,
      terms,
      orders,
      deliverables,
      currencyCode: shop.currencyCode,
    }),
    actualMinor: actual._sum.amountMinor ?? 0n,
    collectionsNotRead: named
      .filter((collection) => !read.some((sync) => sync.collectionGid === collection.gid))
      .map((collection) => collection.title),
  };
}
