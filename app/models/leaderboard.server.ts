import { TZDate, tz } from "@date-fns/tz";
import { Prisma } from "@prisma/client";
import { addDays, differenceInCalendarDays, format, isMatch, subDays } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import { conversionRateBasisPoints } from "~/domain/metrics/conversion-rate";

/** Calendar days in the shop's timezone, both ends inclusive, as YYYY-MM-DD. */
export interface LeaderboardRange {
  from: string;
  to: string;
}

export interface LeaderboardRow {
  creatorId: string;
  name: string;
  discountCodes: string[];
  /** Attributed, non-cancelled orders processed in the range. */
  orders: number;
  /** Sum of the net merchandise revenue of those orders, in shop-currency minor units. */
  netRevenueMinor: bigint;
  /** Signed sum of the creator's ledger entries for orders processed in the range (reversals net out). */
  commissionMinor: bigint;
  /** Human clicks on the creator's tracking links in the range. */
  clicks: number;
  /** orders ÷ clicks in basis points; null without clicks. */
  conversionRateBasisPoints: number | null;
}

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const DAY_FORMAT = "yyyy-MM-dd";

function calendarDay(label: string) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label} must be a date like 2026-01-31`, abort: true })
    .refine((value) => isMatch(value, DAY_FORMAT) && Number(value.slice(0, 4)) >= 1970, {
      error: (issue) => `${label} (${String(issue.input)}) is not a valid calendar date`,
    });
}

// The range checks only run once both days are valid dates, so one bad field yields one message.
const bothDaysValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

export const leaderboardRangeSchema = z
  .object({ from: calendarDay("From"), to: calendarDay("To") })
  .refine(({ from, to }) => from <= to, { error: "From must be on or before To", path: ["from"], ...bothDaysValid })
  .refine(({ from, to }) => daysInRange({ from, to }) <= MAX_RANGE_DAYS, {
    error: `Choose a range of at most ${MAX_RANGE_DAYS} days`,
    path: ["to"],
    ...bothDaysValid,
  });

export type ParsedLeaderboardRange =
  | { ok: true; range: LeaderboardRange }
  | { ok: false; error: string; range: LeaderboardRange };

/**
 * Reads `from` / `to` (YYYY-MM-DD, inclusive) from URL search params. A missing `to` means today in the shop's
 * timezone; a missing `from` means 30 days ending on `to`. On failure, `range` echoes what was asked so the form
 * can show it back next to the error.
 */
export function parseLeaderboardRange(
  params: URLSearchParams,
  timezone: string,
  now: Date = new Date(),
): ParsedLeaderboardRange {
  const rawFrom = params.get("from")?.trim() || undefined;
  const rawTo = params.get("to")?.trim() || undefined;
  const fallback = defaultLeaderboardRange(timezone, now);
  const to = rawTo ?? fallback.to;
  const from =
    rawFrom ?? (rawTo && leaderboardRangeSchema.shape.to.safeParse(rawTo).success ? shiftDay(rawTo, -(DEFAULT_RANGE_DAYS - 1)) : fallback.from);

  const parsed = leaderboardRangeSchema.safeParse({ from, to });
  if (parsed.success) return { ok: true, range: parsed.data };
  const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  return { ok: false, error: `${messages.join(". ")}.`, range: { from, to } };
}

/** The last 30 days, today included, in the shop's timezone. */
export function defaultLeaderboardRange(timezone: string, now: Date = new Date()): LeaderboardRange {
  const inShop = { in: tz(safeTimeZone(timezone)) };
  return {
    from: format(subDays(now, DEFAULT_RANGE_DAYS - 1, inShop), DAY_FORMAT, inShop),
    to: format(now, DAY_FORMAT, inShop),
  };
}

export function daysInRange(range: LeaderboardRange): number {
  return differenceInCalendarDays(parseDay(range.to, "UTC"), parseDay(range.from, "UTC")) + 1;
}

/**
 * The instants the range covers: from the start of `from` up to (not including) the start of the day after `to`,
 * both in the shop's timezone, so DST changes inside the range are honoured.
 */
export function rangeBounds(range: LeaderboardRange, timezone: string): { start: Date; endExclusive: Date } {
  const zone = safeTimeZone(timezone);
  const start = parseDay(range.from, zone);
  const endExclusive = addDays(parseDay(range.to, zone), 1, { in: tz(zone) });
  return { start: new Date(start.getTime()), endExclusive: new Date(endExclusive.getTime()) };
}

/**
 * One row per creator of the shop, creators without orders included with zeros, ordered by name.
 * Orders count when attributed to the creator, not cancelled, and processed inside the range; commissions are the
 * creator's ledger entries (commissions and reversals) for orders processed inside the range.
 */
export async function leaderboard(
  shop: { id: string; timezone: string },
  range: LeaderboardRange,
): Promise<LeaderboardRow[]> {
  const { start, endExclusive } = rangeBounds(range, shop.timezone);
  // Order.processedAt is a UTC `timestamp without time zone`; pass instants as ISO text and convert explicitly so
  // the driver's own Date handling (and the server's TimeZone setting) cannot shift the bounds.
  const startUtc = Prisma.sql`(${start.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const endUtc = Prisma.sql`(${endExclusive.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const shopId = Prisma.sql`${shop.id}::uuid`;

  const rows = await prisma.$queryRaw<Omit<LeaderboardRow, "conversionRateBasisPoints">[]>(Prisma.sql`
    WITH order_totals AS (
      SELECT a."creatorId", COUNT(*)::int AS orders, SUM(o."netMerchandiseMinor")::bigint AS net
      FROM "Order" o
      JOIN "Attribution" a ON a."orderId" = o."id" AND a."shopId" = o."shopId"
      WHERE o."shopId" = ${shopId}
        AND a."creatorId" IS NOT NULL
        AND a."reviewStatus" <> 'REJECTED'
        AND o."cancelledAt" IS NULL
        AND o."processedAt" >= ${startUtc}
        AND o."processedAt" < ${endUtc}
      GROUP BY a."creatorId"
    ),
    commission_totals AS (
      SELECT l."creatorId", SUM(l."amountMinor")::bigint AS commission
      FROM "LedgerEntry" l
      JOIN "Order" o ON o."id" = l."orderId" AND o."shopId" = l."shopId"
      WHERE l."shopId" = ${shopId}
        AND o."processedAt" >= ${startUtc}
        AND o."processedAt" < ${endUtc}
      GROUP BY l."creatorId"
    ),
    click_totals AS (
      SELECT k."creatorId", COUNT(*)::int AS clicks
      FROM "LinkClick" k
      WHERE k."shopId" = ${shopId}
        AND k."occurredAt" >= ${startUtc}
        AND k."occurredAt" < ${endUtc}
      GROUP BY k."creatorId"
    ),
    codes AS (
      SELECT d."creatorId", ARRAY_AGG(d."code" ORDER BY d."createdAt", d."code") AS codes
      FROM "DiscountCode" d
      WHERE d."shopId" = ${shopId}
      GROUP BY d."creatorId"
    )
    SELECT
      c."id"::text AS "creatorId",
      c."name",
      COALESCE(codes.codes, ARRAY[]::text[]) AS "discountCodes",
      COALESCE(ot.orders, 0)::int AS "orders",
      COALESCE(ot.net, 0)::bigint AS "netRevenueMinor",
      COALESCE(ct.commission, 0)::bigint AS "commissionMinor",
      COALESCE(kt.clicks, 0)::int AS "clicks"
    FROM "Creator" c
    LEFT JOIN order_totals ot ON ot."creatorId" = c."id"
    LEFT JOIN commission_totals ct ON ct."creatorId" = c."id"
    LEFT JOIN click_totals kt ON kt."creatorId" = c."id"
    LEFT JOIN codes ON codes."creatorId" = c."id"
    WHERE c."shopId" = ${shopId}
    ORDER BY c."name", c."id"
  `);

  return rows.map((row) => ({
    creatorId: row.creatorId,
    name: row.name,
    discountCodes: row.discountCodes,
    orders: Number(row.orders),
    netRevenueMinor: BigInt(row.netRevenueMinor),
    commissionMinor: BigInt(row.commissionMinor),
    clicks: Number(row.clicks),
    conversionRateBasisPoints: conversionRateBasisPoints(Number(row.orders), Number(row.clicks)),
  }));
}

export const LEADERBOARD_SORT_KEYS = ["name", "clicks", "conversion", "orders", "netRevenue", "commission"] as const;
export type LeaderboardSortKey = (typeof LEADERBOARD_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

/** Reads `sort` / `direction` from the URL; unknown values fall back to net revenue, highest first. */
export function parseLeaderboardSort(params: URLSearchParams): { sort: LeaderboardSortKey; direction: SortDirection } {
  const sort = (LEADERBOARD_SORT_KEYS as readonly string[]).includes(params.get("sort") ?? "")
    ? (params.get("sort") as LeaderboardSortKey)
    : "netRevenue";
  const rawDirection = params.get("direction");
  const direction: SortDirection = rawDirection === "asc" || rawDirection === "desc" ? rawDirection : sort === "name" ? "asc" : "desc";
  return { sort, direction };
}

/** A stable sort: ties keep the name order the query returned. */
export function sortLeaderboard(rows: LeaderboardRow[], sort: LeaderboardSortKey, direction: SortDirection): LeaderboardRow[] {
  const sign = direction === "asc" ? 1 : -1;
  const compare = (a: LeaderboardRow, b: LeaderboardRow): number => {
    switch (sort) {
      case "name":
        return a.name.localeCompare(b.name, "en", { sensitivity: "base" });
      case "clicks":
        return a.clicks - b.clicks;
      case "conversion":
        // Creators without clicks have no rate: they sort below every rate, whichever the direction.
        return (a.conversionRateBasisPoints ?? -1) - (b.conversionRateBasisPoints ?? -1);
      case "orders":
        return a.orders - b.orders;
      case "netRevenue":
        return compareBigInt(a.netRevenueMinor, b.netRevenueMinor);
      case "commission":
        return compareBigInt(a.commissionMinor, b.commissionMinor);
    }
  };
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => sign * compare(a.row, b.row) || a.index - b.index)
    .map(({ row }) => row);
}

function compareBigInt(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Midnight at the start of `day` (YYYY-MM-DD) in `timezone`. */
function parseDay(day: string, timezone: string): TZDate {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new TZDate(year, month - 1, date, timezone);
}

function shiftDay(day: string, days: number): string {
  return format(addDays(parseDay(day, "UTC"), days), DAY_FORMAT, { in: tz("UTC") });
}

/** Shop.timezone comes from Shopify's `ianaTimezone`; an unknown zone falls back to UTC rather than failing the page. */
function safeTimeZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return timezone;
  } catch {
    return "UTC";
  }
}
