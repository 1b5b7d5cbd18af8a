import { Prisma, type PrismaClient } from "@prisma/client";
import { safeTimeZone } from "~/domain/time-zone";

/** Days rebuilt per transaction: a shop's first refresh after install (a year of history) goes a month at a time. */
const DAYS_PER_TRANSACTION = 31;

/** A customer's later orders count towards the cohort of the day they were acquired, up to this long after it. */
const LONGEST_COHORT_WINDOW_DAYS = 365;

export interface RefreshOutcome {
  /** Shop days whose rollups were rebuilt (changed days, and the days their returning customers were acquired). */
  days: number;
}

/**
 * Rebuilds the rollups of every day of the shop that a fact changed on since the last refresh. The database
 * triggers note those days (RollupChange) in the transactions that changed the facts; each chunk of days claims its
 * notes and rebuilds the days in one transaction, so a crash leaves the notes for the next run and a day is never
 * half rebuilt. Runs for one shop are serialized by an advisory lock: a slower run cannot overwrite a newer one.
 * Each transaction that rewrites rollups also counts up the shop's rollupVersion.
 */
export async function refreshShopRollups(db: PrismaClient, shopId: string): Promise<RefreshOutcome> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true, timezone: true, uninstalledAt: true } });
  if (!shop) {
    await db.rollupChange.deleteMany({ where: { shopId } });
    return { days: 0 };
  }
  // Kept for a re-install to catch up on; nobody reads an uninstalled shop's reports.
  if (shop.uninstalledAt) return { days: 0 };
  const zone = safeTimeZone(shop.timezone);
  const pendingDays = await db.$queryRaw<{ day: string }[]>`
    SELECT DISTINCT ${changeDay(zone)} AS day FROM "RollupChange" c WHERE c."shopId" = ${shopId}::uuid ORDER BY 1`;

  let rebuilt = 0;
  for (let index = 0; index < pendingDays.length; index += DAYS_PER_TRANSACTION) {
    const chunk = pendingDays.slice(index, index + DAYS_PER_TRANSACTION).map((row) => row.day);
    rebuilt += await db.$transaction((tx) => rebuildDays(tx, shopId, zone, chunk), { timeout: 300_000, maxWait: 60_000 });
  }
  return { days: rebuilt };
}

/** Shops with changes waiting: what the scheduled sweep refreshes (not uninstalled ones; erased ones, to clean up). */
export async function shopsWithRollupChanges(db: PrismaClient): Promise<string[]> {
  const rows = await db.$queryRaw<{ shopId: string }[]>`
    SELECT DISTINCT c."shopId"::text AS "shopId"
    FROM "RollupChange" c LEFT JOIN "Shop" s ON s.id = c."shopId"
    WHERE s."uninstalledAt" IS NULL`;
  return rows.map((row) => row.shopId);
}

function changeDay(zone: string) {
  return Prisma.sql`to_char(COALESCE(c."day", (c."at" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date), 'YYYY-MM-DD')`;
}

async function rebuildDays(tx: Prisma.TransactionClient, shopId: string, zone: string, changedDays: string[]): Promise<number> {
  const shop = Prisma.sql`${shopId}::uuid`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('rollups:' || ${shopId}, 0))`;
  const claimed = await tx.$queryRaw<{ day: string }[]>`
    DELETE FROM "RollupChange" c
    WHERE c."shopId" = ${shop} AND ${changeDay(zone)} = ANY(${changedDays}::text[])
    RETURNING ${changeDay(zone)} AS day`;
  // Another run claimed them while this one waited for the lock: it rebuilt the days already.
  if (claimed.length === 0) return 0;

  const days = await withAcquisitionDays(tx, shop, zone, [...new Set(claimed.map((row) => row.day))]);
  const dayList = Prisma.sql`${days}::date[]`;
  const orderDay = Prisma.sql`(o."processedAt" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date`;
  // Instants that can fall on one of the days in any timezone: lets the indexes on processedAt/occurredAt narrow the
  // scan before the exact day test.
  const from = Prisma.sql`(${days[0]}::date - 1)::timestamp`;
  const to = Prisma.sql`(${days[days.length - 1]}::date + 2)::timestamp`;

  await tx.$executeRaw`
    WITH removed AS (
      DELETE FROM "CreatorDailyRollup" WHERE "shopId" = ${shop} AND "day" = ANY(${dayList}) RETURNING *
    )
    ${addToMonthlyRollups("removed", -1)}`;
  await tx.$executeRaw`DELETE FROM "RegionDailyRollup" WHERE "shopId" = ${shop} AND "day" = ANY(${dayList})`;

  await tx.$executeRaw`
    WITH credited AS (
      SELECT a."creatorId", ${orderDay} AS day, o."id", o."netMerchandiseMinor" AS net, o."newCustomer",
             o."customerGid", o."processedAt"
      FROM "Order" o
      JOIN "Attribution" a ON a."orderId" = o."id"
      WHERE o."shopId" = ${shop}
        AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
        AND ${orderDay} = ANY(${dayList})
        AND a."creatorId" IS NOT NULL
        AND a."reviewStatus" <> 'REJECTED'
        AND o."cancelledAt" IS NULL
        AND NOT o."test"
    ),
    order_facts AS (
      SELECT "creatorId", day, COUNT(*)::int AS orders, SUM(net) AS net,
             COUNT(*) FILTER (WHERE "newCustomer")::int AS new_customers,
             COALESCE(SUM(net) FILTER (WHERE "newCustomer"), 0) AS new_customer_net
      FROM credited GROUP BY "creatorId", day
    ),
    -- The acquired customer's net revenue within each window of their first order, that order included; a guest's
    -- first order is all the app can tie to them.
    cohort AS (
      SELECT f."creatorId", f.day,
             SUM(COALESCE(later.net30, f.net)) AS net30,
             SUM(COALESCE(later.net90, f.net)) AS net90,
             SUM(COALESCE(later.net365, f.net)) AS net365
      FROM credited f
      LEFT JOIN LATERAL (
        SELECT SUM(l."netMerchandiseMinor") FILTER (WHERE l."processedAt" < f."processedAt" + interval '30 days') AS net30,
               SUM(l."netMerchandiseMinor") FILTER (WHERE l."processedAt" < f."processedAt" + interval '90 days') AS net90,
               SUM(l."netMerchandiseMinor") AS net365
        FROM "Order" l
        WHERE l."shopId" = ${shop} AND l."customerGid" = f."customerGid"
          AND l."processedAt" >= f."processedAt"
          AND l."processedAt" < f."processedAt" + make_interval(days => ${LONGEST_COHORT_WINDOW_DAYS})
          AND l."cancelledAt" IS NULL AND NOT l."test"
      ) later ON f."customerGid" IS NOT NULL
      WHERE f."newCustomer"
      GROUP BY f."creatorId", f.day
    ),
    click_facts AS (
      SELECT k."creatorId", (k."occurredAt" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date AS day, COUNT(*)::int AS clicks
      FROM "LinkClick" k
      WHERE k."shopId" = ${shop}
        AND k."occurredAt" >= ${from} AND k."occurredAt" < ${to}
        AND (k."occurredAt" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date = ANY(${dayList})
      GROUP BY 1, 2
    ),
    order_ledger AS (
      SELECT l."creatorId", ${orderDay} AS day, SUM(l."amountMinor") AS amount
      FROM "Order" o
      JOIN "LedgerEntry" l ON l."orderId" = o."id"
      WHERE o."shopId" = ${shop}
        AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
        AND ${orderDay} = ANY(${dayList})
      GROUP BY 1, 2
    ),
    period_ledger AS (
      SELECT l."creatorId", d.day, SUM(l."amountMinor") AS amount
      FROM unnest(${dayList}) AS d(day)
      JOIN "LedgerEntry" l ON l."shopId" = ${shop} AND l."orderId" IS NULL
        AND l."periodKey" = to_char(d.day, 'YYYY-MM') AND d.day = date_trunc('month', d.day)::date
      GROUP BY 1, 2
    ),
    undated_ledger AS (
      SELECT l."creatorId", (l."createdAt" AT TIME ZONE 'UTC')::date AS day, SUM(l."amountMinor") AS amount
      FROM "LedgerEntry" l
      WHERE l."shopId" = ${shop} AND l."orderId" IS NULL AND l."periodKey" IS NULL
        AND (l."createdAt" AT TIME ZONE 'UTC')::date = ANY(${dayList})
      GROUP BY 1, 2
    ),
    cost_facts AS (
      SELECT c."creatorId", c."incurredOn" AS day,
             COALESCE(SUM(c."amountMinor") FILTER (WHERE c."kind" = 'FLAT_FEE'), 0) AS fees,
             COALESCE(SUM(c."amountMinor") FILTER (WHERE c."kind" = 'PRODUCT_SEEDING'), 0) AS seeding
      FROM "CreatorCost" c
      WHERE c."shopId" = ${shop} AND c."incurredOn" = ANY(${dayList})
      GROUP BY 1, 2
    ),
    facts AS (
      SELECT "creatorId", day, 0 AS clicks, orders, net, new_customers, new_customer_net,
             0 AS commission, 0 AS fees, 0 AS seeding, 0 AS net30, 0 AS net90, 0 AS net365 FROM order_facts
      UNION ALL SELECT "creatorId", day, 0, 0, 0, 0, 0, 0, 0, 0, net30, net90, net365 FROM cohort
      UNION ALL SELECT "creatorId", day, clicks, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM click_facts
      UNION ALL SELECT "creatorId", day, 0, 0, 0, 0, 0, amount, 0, 0, 0, 0, 0 FROM order_ledger
      UNION ALL SELECT "creatorId", day, 0, 0, 0, 0, 0, amount, 0, 0, 0, 0, 0 FROM period_ledger
      UNION ALL SELECT "creatorId", day, 0, 0, 0, 0, 0, amount, 0, 0, 0, 0, 0 FROM undated_ledger
      UNION ALL SELECT "creatorId", day, 0, 0, 0, 0, 0, 0, fees, seeding, 0, 0, 0 FROM cost_facts
    ),
    inserted AS (
      INSERT INTO "CreatorDailyRollup" ("shopId", "creatorId", "day", "clicks", "orders", "netRevenueMinor",
        "newCustomers", "newCustomerRevenueMinor", "commissionMinor", "feeMinor", "seedingMinor",
        "cohortRevenue30Minor", "cohortRevenue90Minor", "cohortRevenue365Minor", "refreshedAt")
      SELECT ${shop}, f."creatorId", f.day, SUM(clicks), SUM(orders), SUM(net), SUM(new_customers), SUM(new_customer_net),
             SUM(commission), SUM(fees), SUM(seeding), SUM(net30), SUM(net90), SUM(net365), now()
      FROM facts f
      JOIN "Creator" cr ON cr."id" = f."creatorId" AND cr."shopId" = ${shop}
      GROUP BY f."creatorId", f.day
      RETURNING *
    )
    ${addToMonthlyRollups("inserted", 1)}`;

  await tx.$executeRaw`
    INSERT INTO "RegionDailyRollup" ("shopId", "day", "region", "orders", "netRevenueMinor", "refreshedAt")
    SELECT ${shop}, ${orderDay}, COALESCE(o."shippingRegion", ''), COUNT(*)::int, SUM(o."netMerchandiseMinor"), now()
    FROM "Order" o
    WHERE o."shopId" = ${shop}
      AND o."processedAt" >= ${from} AND o."processedAt" < ${to}
      AND ${orderDay} = ANY(${dayList})
      AND o."cancelledAt" IS NULL AND NOT o."test"
    GROUP BY 2, 3`;

  // Commits with the days it counts: a reader that sees the new version sees the new rollups (the leaderboard keeps
  // totals read at a version). Last, so the shop's row is locked only until the commit.
  await tx.$executeRaw`UPDATE "Shop" SET "rollupVersion" = "rollupVersion" + 1 WHERE "id" = ${shop}`;
  return days.length;
}

/** The summed columns of CreatorDailyRollup and CreatorMonthlyRollup. */
const ROLLUP_SUM_COLUMNS = [
  "clicks",
  "orders",
  "netRevenueMinor",
  "newCustomers",
  "newCustomerRevenueMinor",
  "commissionMinor",
  "feeMinor",
  "seedingMinor",
  "cohortRevenue30Minor",
  "cohortRevenue90Minor",
  "cohortRevenue365Minor",
] as const;

/**
 * Adds day rows to their creators' months (`sign` 1), or takes them away (-1), so each monthly rollup stays the sum
 * of its month's daily ones. `dayRows` is a CTE of CreatorDailyRollup rows: the RETURNING of the statement that
 * deletes or inserts them, so the months change in the same statement as the days.
 */
function addToMonthlyRollups(dayRows: "removed" | "inserted", sign: 1 | -1): Prisma.Sql {
  const columns = ROLLUP_SUM_COLUMNS.map((column) => `"${column}"`).join(", ");
  const sums = ROLLUP_SUM_COLUMNS.map((column) => `${sign < 0 ? "-" : ""}SUM(d."${column}")`).join(", ");
  const additions = ROLLUP_SUM_COLUMNS.map((column) => `"${column}" = m."${column}" + EXCLUDED."${column}"`).join(", ");
  return Prisma.raw(`
    INSERT INTO "CreatorMonthlyRollup" AS m ("shopId", "creatorId", "month", ${columns}, "refreshedAt")
    SELECT d."shopId", d."creatorId", date_trunc('month', d."day"::timestamp)::date, ${sums}, now()
    FROM ${dayRows} d
    GROUP BY 1, 2, 3
    ON CONFLICT ("shopId", "month", "creatorId") DO UPDATE SET ${additions}, "refreshedAt" = EXCLUDED."refreshedAt"`);
}

/**
 * A returning customer's order changes the cohort value of the day they were acquired: those days are rebuilt too.
 * Sorted, so the caller's range bounds hold.
 */
async function withAcquisitionDays(tx: Prisma.TransactionClient, shop: Prisma.Sql, zone: string, changed: string[]): Promise<string[]> {
  const sorted = [...changed].sort();
  const acquired = await tx.$queryRaw<{ day: string }[]>`
    SELECT DISTINCT to_char((first."processedAt" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date, 'YYYY-MM-DD') AS day
    FROM "Order" o
    JOIN "Order" first ON first."shopId" = o."shopId" AND first."customerGid" = o."customerGid" AND first."newCustomer"
      AND first."processedAt" < o."processedAt"
      AND first."processedAt" >= o."processedAt" - make_interval(days => ${LONGEST_COHORT_WINDOW_DAYS})
    WHERE o."shopId" = ${shop} AND o."customerGid" IS NOT NULL
      AND o."processedAt" >= (${sorted[0]}::date - 1)::timestamp
      AND o."processedAt" < (${sorted[sorted.length - 1]}::date + 2)::timestamp
      AND (o."processedAt" AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date = ANY(${sorted}::date[])`;
  return [...new Set([...sorted, ...acquired.map((row) => row.day)])].sort();
}
