import { tz } from "@date-fns/tz";
import { Prisma } from "@prisma/client";
import { format } from "date-fns";
import { prisma } from "~/db.server";
import { COHORT_WINDOWS_DAYS, emptyRollupTotals, type DailyPoint, type RollupTotals } from "~/domain/metrics/rollup-totals";
import { dateOfDay, dayOfDate } from "~/domain/calendar-days";
import { safeTimeZone } from "~/domain/time-zone";

export interface ShopRef {
  id: string;
  timezone: string;
}

/** Calendar days in the shop's timezone, YYYY-MM-DD, both ends inclusive. */
export interface DayRange {
  from: string;
  to: string;
}

export interface RegionDay {
  day: string;
  /** Order.shippingRegion; "" for orders that ship nowhere. */
  region: string;
  orders: number;
  netRevenueMinor: bigint;
}

/** Today in the shop's timezone, as YYYY-MM-DD. */
export function shopToday(timezone: string, now: Date = new Date()): string {
  return format(now, "yyyy-MM-dd", { in: tz(safeTimeZone(timezone)) });
}

interface TotalsRow {
  creatorId: string;
  clicks: number;
  orders: number;
  netRevenueMinor: bigint;
  newCustomers: number;
  newCustomerRevenueMinor: bigint;
  commissionMinor: bigint;
  feeMinor: bigint;
  seedingMinor: bigint;
  customers30: number;
  revenue30: bigint;
  customers90: number;
  revenue90: bigint;
  customers365: number;
  revenue365: bigint;
}

/**
 * The creators' daily rollups summed over the range, per creator; creators without rollups in it are absent.
 * A cohort window counts only the days acquired long enough before `today` for the whole window to have passed.
 */
export async function creatorRollupTotals(
  shop: ShopRef,
  range: DayRange,
  options: { creatorIds?: string[]; today?: string } = {},
): Promise<Map<string, RollupTotals>> {
  const today = options.today ?? shopToday(shop.timezone);
  const [w30, w90, w365] = COHORT_WINDOWS_DAYS;
  const matured = (days: number) => Prisma.sql`r."day" < ${today}::date - ${days}::int`;
  const rows = await prisma.$queryRaw<TotalsRow[]>`
    SELECT r."creatorId"::text AS "creatorId",
           SUM(r."clicks")::int AS clicks, SUM(r."orders")::int AS orders,
           SUM(r."netRevenueMinor")::bigint AS "netRevenueMinor",
           SUM(r."newCustomers")::int AS "newCustomers",
           SUM(r."newCustomerRevenueMinor")::bigint AS "newCustomerRevenueMinor",
           SUM(r."commissionMinor")::bigint AS "commissionMinor",
           SUM(r."feeMinor")::bigint AS "feeMinor",
           SUM(r."seedingMinor")::bigint AS "seedingMinor",
           COALESCE(SUM(r."newCustomers") FILTER (WHERE ${matured(w30)}), 0)::int AS customers30,
           COALESCE(SUM(r."cohortRevenue30Minor") FILTER (WHERE ${matured(w30)}), 0)::bigint AS revenue30,
           COALESCE(SUM(r."newCustomers") FILTER (WHERE ${matured(w90)}), 0)::int AS customers90,
           COALESCE(SUM(r."cohortRevenue90Minor") FILTER (WHERE ${matured(w90)}), 0)::bigint AS revenue90,
           COALESCE(SUM(r."newCustomers") FILTER (WHERE ${matured(w365)}), 0)::int AS customers365,
           COALESCE(SUM(r."cohortRevenue365Minor") FILTER (WHERE ${matured(w365)}), 0)::bigint AS revenue365
    FROM "CreatorDailyRollup" r
    WHERE r."shopId" = ${shop.id}::uuid
      AND r."day" >= ${range.from}::date AND r."day" <= ${range.to}::date
      ${options.creatorIds ? Prisma.sql`AND r."creatorId" = ANY(${options.creatorIds}::uuid[])` : Prisma.empty}
    GROUP BY r."creatorId"`;

  return new Map(
    rows.map((row) => [
      row.creatorId,
      {
        ...emptyRollupTotals(),
        clicks: row.clicks,
        orders: row.orders,
        netRevenueMinor: BigInt(row.netRevenueMinor),
        newCustomers: row.newCustomers,
        newCustomerRevenueMinor: BigInt(row.newCustomerRevenueMinor),
        commissionMinor: BigInt(row.commissionMinor),
        feeMinor: BigInt(row.feeMinor),
        seedingMinor: BigInt(row.seedingMinor),
        cohort: {
          30: { customers: row.customers30, revenueMinor: BigInt(row.revenue30) },
          90: { customers: row.customers90, revenueMinor: BigInt(row.revenue90) },
          365: { customers: row.customers365, revenueMinor: BigInt(row.revenue365) },
        },
      },
    ]),
  );
}

/** Every day of the range, zero-filled, summed over the given creators (all of the shop's when none are given). */
export async function dailySeries(shop: ShopRef, range: DayRange, options: { creatorIds?: string[] } = {}): Promise<DailyPoint[]> {
  const rows = await prisma.$queryRaw<
    { day: string; clicks: number; orders: number; netRevenueMinor: bigint; newCustomers: number; costMinor: bigint }[]
  >`
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
           COALESCE(SUM(r."clicks"), 0)::int AS clicks,
           COALESCE(SUM(r."orders"), 0)::int AS orders,
           COALESCE(SUM(r."netRevenueMinor"), 0)::bigint AS "netRevenueMinor",
           COALESCE(SUM(r."newCustomers"), 0)::int AS "newCustomers",
           COALESCE(SUM(r."commissionMinor" + r."feeMinor" + r."seedingMinor"), 0)::bigint AS "costMinor"
    FROM generate_series(${range.from}::date, ${range.to}::date, interval '1 day') AS d(day)
    LEFT JOIN "CreatorDailyRollup" r ON r."shopId" = ${shop.id}::uuid AND r."day" = d.day::date
      ${options.creatorIds ? Prisma.sql`AND r."creatorId" = ANY(${options.creatorIds}::uuid[])` : Prisma.empty}
    GROUP BY d.day
    ORDER BY d.day`;
  return rows.map((row) => ({
    day: row.day,
    clicks: row.clicks,
    orders: row.orders,
    netRevenueMinor: BigInt(row.netRevenueMinor),
    newCustomers: row.newCustomers,
    costMinor: BigInt(row.costMinor),
  }));
}

/** Store-wide orders per shipping region and day in the range: what experiments compare. */
export async function regionDailyTotals(shopId: string, range: DayRange): Promise<RegionDay[]> {
  const rows = await prisma.regionDailyRollup.findMany({
    where: { shopId, day: { gte: dateOfDay(range.from), lte: dateOfDay(range.to) } },
    orderBy: [{ day: "asc" }, { region: "asc" }],
  });
  return rows.map((row) => ({
    day: dayOfDate(row.day),
    region: row.region,
    orders: row.orders,
    netRevenueMinor: row.netRevenueMinor,
  }));
}
