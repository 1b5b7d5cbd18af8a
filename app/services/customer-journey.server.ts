import { Prisma, type PrismaClient } from "@prisma/client";
import { parseCustomerJourneySummary } from "~/domain/attribution/signals";
import type { CustomerJourney } from "~/domain/attribution/types";
import { ORDER_JOURNEY_QUERY } from "~/shopify/admin-operations";
import type { AdminGraphql } from "./admin-api.server";
import { reattributeOrder } from "./ingest-order.server";
import type { CreatorPeriodRef } from "./post-commissions.server";

/**
 * Shopify builds an order's customer journey some time after checkout (`ready: false` until then): ask again after
 * each of these waits, then give up and attribute without it.
 */
export const JOURNEY_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000];

export type JourneyOutcome = "ready" | "not-ready" | "unavailable" | "missing";

export interface JourneyRefresh {
  outcome: JourneyOutcome;
  changedPeriods: CreatorPeriodRef[];
}

/** Fetches the order's journey, stores it, and re-attributes the order when it changed what we know. */
export async function refreshCustomerJourney(
  db: PrismaClient,
  admin: AdminGraphql,
  ref: { shopId: string; orderId: string },
  now = new Date(),
): Promise<JourneyRefresh> {
  const order = await db.order.findFirst({
    where: { id: ref.orderId, shopId: ref.shopId },
    select: { shopifyOrderGid: true, journeyAttempts: true, journeyStatus: true },
  });
  if (!order || order.journeyStatus !== "PENDING") return { outcome: "missing", changedPeriods: [] };

  const data = await admin<{ order: { customerJourneySummary: unknown } | null }>(ORDER_JOURNEY_QUERY, {
    id: order.shopifyOrderGid,
  });
  const journey = data.order ? parseCustomerJourneySummary(data.order.customerJourneySummary) : null;
  const attempts = order.journeyAttempts + 1;
  const outcome: JourneyOutcome = journey?.ready
    ? "ready"
    : !data.order || attempts > JOURNEY_RETRY_DELAYS_MS.length
      ? "unavailable"
      : "not-ready";

  return db.$transaction(async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: ref.shopId } });
    await tx.order.update({
      where: { id: ref.orderId },
      data: {
        journeyAttempts: attempts,
        journeyCheckedAt: now,
        journeyStatus: outcome === "ready" ? "READY" : outcome === "unavailable" ? "UNAVAILABLE" : "PENDING",
        ...(journey ? { customerJourney: journey as unknown as Prisma.InputJsonObject } : {}),
      },
    });
    if (!journey || !hasVisits(journey)) return { outcome, changedPeriods: [] };
    const reattributed = await reattributeOrder(tx, shop, ref.orderId);
    return { outcome, changedPeriods: reattributed?.changedPeriods ?? [] };
  });
}

function hasVisits(journey: CustomerJourney): boolean {
  return journey.firstVisit !== null || journey.lastVisit !== null;
}

/** Orders whose journey is due to be asked for (again), oldest first. */
export async function ordersDueForJourney(db: PrismaClient, now = new Date(), limit = 500) {
  const rows = await db.$queryRaw<{ id: string; shopId: string; journeyAttempts: number }[]>`
    SELECT o.id, o."shopId", o."journeyAttempts"
    FROM "Order" o JOIN "Shop" s ON s.id = o."shopId" AND s."uninstalledAt" IS NULL
    WHERE o."journeyStatus" = 'PENDING'
      AND COALESCE(o."journeyCheckedAt", o."createdAt") <= ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC' - make_interval(secs =>
        (CASE o."journeyAttempts" ${Prisma.raw(
          JOURNEY_RETRY_DELAYS_MS.map((ms, i) => `WHEN ${i} THEN ${ms / 1000}`).join(" "),
        )} ELSE ${JOURNEY_RETRY_DELAYS_MS.at(-1)! / 1000} END))
    ORDER BY COALESCE(o."journeyCheckedAt", o."createdAt")
    LIMIT ${limit}`;
  return rows;
}
