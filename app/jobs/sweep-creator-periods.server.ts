import type { PrismaClient } from "@prisma/client";
import type { Queue } from "bullmq";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { payPeriodOf } from "~/domain/commissions/pay-period";
import { periodPaysWithoutOrders } from "~/domain/commissions/period-dependencies";
import { enqueueOwedWork, JOB, settleJobId, type SettleCreatorPeriodJob } from "~/queues.server";

export const SWEEP_PERIODS_EVERY_MS = 60_000;
/** Younger changes most likely have their settlement job on its way. */
const SWEEP_GRACE_MS = 30_000;
const SWEEP_BATCH = 1_000;

/**
 * Re-enqueues periods whose change was not settled: the job was lost with Redis or its worker died. An uninstalled
 * shop's periods wait for a re-install.
 */
export async function sweepCreatorPeriods(
  db: PrismaClient,
  queue: Queue<SettleCreatorPeriodJob>,
  now = new Date(),
  /** 0 once Redis is known to have lost its jobs: then no unsettled change has a job on its way. */
  graceMs = SWEEP_GRACE_MS,
): Promise<number> {
  const stale = await db.$queryRaw<SettleCreatorPeriodJob[]>`
    SELECT p."shopId"::text AS "shopId", p."creatorId"::text AS "creatorId", p."periodKey", p."changeVersion"
    FROM "CreatorPeriod" p JOIN "Shop" s ON s.id = p."shopId" AND s."uninstalledAt" IS NULL
    WHERE p."settledVersion" < p."changeVersion" AND p."updatedAt" < ${new Date(now.getTime() - graceMs)}
    ORDER BY p."updatedAt" LIMIT ${SWEEP_BATCH}`;
  await enqueueOwedWork(
    queue,
    stale.map((ref) => ({ name: JOB.settleCreatorPeriod, data: ref, opts: { jobId: settleJobId(ref) } })),
  );
  return stale.length;
}

/**
 * Retainers, base fees and draws are owed whether or not orders come in: when a pay period starts, each creator
 * whose current contract pays them gets the period on the to-do list (once; settling does the rest).
 */
export async function openPayPeriods(db: PrismaClient, now = new Date()): Promise<number> {
  const latestContracts = await db.contract.findMany({
    where: { effectiveFrom: { lte: now }, shop: { uninstalledAt: null } },
    orderBy: [{ creatorId: "asc" }, { effectiveFrom: "desc" }, { createdAt: "desc" }],
    distinct: ["creatorId"],
    include: { shop: { select: { timezone: true } } },
  });
  let opened = 0;
  for (const contract of latestContracts) {
    if (!periodPaysWithoutOrders(parseTerms(contract.terms))) continue;
    const periodKey = payPeriodOf(now, contract.shop.timezone);
    const { count } = await db.creatorPeriod.createMany({
      data: [{ shopId: contract.shopId, creatorId: contract.creatorId, periodKey }],
      skipDuplicates: true,
    });
    opened += count;
  }
  return opened;
}
