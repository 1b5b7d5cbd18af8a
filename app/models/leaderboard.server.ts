import { TZDate, tz } from "@date-fns/tz";
import { CreatorPlatform, FunnelStage, Prisma } from "@prisma/client";
import { stringify } from "csv-stringify/sync";
import { LRUCache } from "lru-cache";
import { addDays, format, isMatch, subDays } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import {
  CREATOR_METRIC_KEYS,
  LOWER_IS_BETTER,
  addRollupTotals,
  compareMetricValues,
  creatorMetricValue,
  deriveCreatorMetrics,
  topFifth,
  type CreatorMetricKey,
  type CreatorMetrics,
} from "~/domain/metrics/creator-metrics";
import { METRIC_COLUMNS, basisPointsDecimal, metricChangeCsv, rankLabel } from "~/domain/metrics/format-leaderboard";
import {
  COHORT_WINDOWS_DAYS,
  emptyRollupTotals,
  type DailyPoint,
  type RollupTotals,
} from "~/domain/metrics/rollup-totals";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { safeTimeZone } from "~/domain/time-zone";
import { VERDICT_LABELS, type ExperimentSummary } from "~/domain/experiments";
import { addDays as addCalendarDays, windowLength } from "~/domain/calendar-days";
import { planRollupRead, type ReadSign, type RollupRead } from "~/domain/metrics/rollup-read-plan";
import { dailySeries, shopToday, type DayRange, type ShopRef } from "~/models/creator-metrics.server";
import { experimentSummariesByCreator } from "~/models/experiment.server";
import { spreadsheetSafeText } from "~/domain/spreadsheet-text";

/** Calendar days in the shop's timezone, both ends inclusive, as YYYY-MM-DD. */
export interface LeaderboardRange {
  from: string;
  to: string;
}

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const DAY_FORMAT = "yyyy-MM-dd";

function calendarDay(label: string) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label} must be a date like 2026-01-31`, abort: true })
    // Up to 9998: a range ends at the start of the day after its last, and year 10000 is out of reach of the calendar
    // arithmetic (calendar-days: RangeError) and of the database (Prisma refuses the query).
    .refine((value) => isMatch(value, DAY_FORMAT) && value >= "1970-01-01" && value <= "9998-12-31", {
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
    rawFrom ?? (rawTo && leaderboardRangeSchema.shape.to.safeParse(rawTo).success ? addCalendarDays(rawTo, -(DEFAULT_RANGE_DAYS - 1)) : fallback.from);

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

export const daysInRange: (range: LeaderboardRange) => number = windowLength;

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

/** The range of equal length that ends the day before `range` starts: what each number is compared with. */
export function previousRange(range: LeaderboardRange): LeaderboardRange {
  const days = daysInRange(range);
  return { from: addCalendarDays(range.from, -days), to: addCalendarDays(range.from, -1) };
}

export const LEADERBOARD_SORT_KEYS = ["name", ...CREATOR_METRIC_KEYS, "lift"] as const;
export type LeaderboardSortKey = (typeof LEADERBOARD_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

export const LEADERBOARD_PAGE_SIZE = 50;
const DEFAULT_RANK_METRIC: CreatorMetricKey = "roas";

export interface LeaderboardSegments {
  platforms: CreatorPlatform[];
  funnelStages: FunnelStage[];
  /** As the shop's creators spell them (matched case-insensitively). */
  niches: string[];
}

export interface LeaderboardQuery {
  range: LeaderboardRange;
  sort: LeaderboardSortKey;
  direction: SortDirection;
  /** The metric whose top 20% is marked. */
  rank: CreatorMetricKey;
  segments: LeaderboardSegments;
  page: number;
}

export type ParsedLeaderboardQuery =
  | { ok: true; query: LeaderboardQuery }
  | {
      ok: false;
      /** Why the range cannot be shown (for the date form), and why the rest cannot (for the filters). */
      rangeError: string | null;
      queryError: string | null;
      /** The query as far as it could be read, so the page can show the form and filters again. */
      query: LeaderboardQuery;
    };

/** An enum parameter; the message names the choices as the page shows them (`labels`), or as the URL spells them. */
function oneOf<const Values extends readonly [string, ...string[]]>(label: string, values: Values, labels?: Record<Values[number], string>) {
  const choices = values.map((value: Values[number]) => labels?.[value] ?? value).join(", ");
  return z.enum(values, { error: (issue) => `${label} "${String(issue.input)}" is not one of ${choices}` });
}

const platformValues = Object.values(CreatorPlatform) as [CreatorPlatform, ...CreatorPlatform[]];
const funnelStageValues = Object.values(FunnelStage) as [FunnelStage, ...FunnelStage[]];

const querySchema = z.object({
  sort: oneOf("Sort", LEADERBOARD_SORT_KEYS).optional(),
  direction: oneOf("Direction", ["asc", "desc"] as const).optional(),
  rank: oneOf("Rank by", CREATOR_METRIC_KEYS).optional(),
  platform: z.array(oneOf("Platform", platformValues, PLATFORM_LABELS)),
  funnelStage: z.array(oneOf("Funnel stage", funnelStageValues, FUNNEL_STAGE_LABELS)),
  niche: z.array(z.string().trim().min(1, { error: "Niche cannot be empty" })),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, { error: (issue) => `Page "${String(issue.input)}" must be a whole number from 1` })
    .transform(Number)
    .optional(),
});

/**
 * Reads the leaderboard's URL: the date range (see parseLeaderboardRange), sort column and direction, the metric
 * ranked for the top 20%, segment filters (repeatable `platform`, `funnelStage`, `niche`) and the page. A niche must
 * be one the shop's creators use (`knownNiches`), compared case-insensitively. Unknown values are refused with a
 * message naming them rather than ignored, so a mistyped link never shows a silently different list.
 */
export function parseLeaderboardQuery(
  params: URLSearchParams,
  { timezone, knownNiches, now = new Date() }: { timezone: string; knownNiches: string[]; now?: Date },
): ParsedLeaderboardQuery {
  const parsedRange = parseLeaderboardRange(params, timezone, now);
  const present = (name: string) => params.get(name)?.trim() || undefined;
  const all = (name: string) => params.getAll(name).map((value) => value.trim()).filter((value) => value !== "");
  const parsed = querySchema.safeParse({
    sort: present("sort"),
    direction: present("direction"),
    rank: present("rank"),
    platform: all("platform"),
    funnelStage: all("funnelStage"),
    niche: all("niche"),
    page: present("page"),
  });

  const messages = parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => issue.message))];
  const nicheByKey = new Map(knownNiches.map((niche) => [niche.toLocaleLowerCase("en"), niche]));
  const niches: string[] = [];
  for (const niche of all("niche")) {
    const known = nicheByKey.get(niche.toLocaleLowerCase("en"));
    if (known) niches.push(known);
    else messages.push(`No creator has the niche "${niche}"`);
  }

  const valid = <T>(read: (data: z.infer<typeof querySchema>) => T, fallback: T): T =>
    parsed.success ? read(parsed.data) : fallback;
  const sort = valid((data) => data.sort, undefined) ?? "netRevenue";
  const query: LeaderboardQuery = {
    range: parsedRange.range,
    sort,
    direction: valid((data) => data.direction, undefined) ?? (sort === "name" ? "asc" : "desc"),
    rank: valid((data) => data.rank, undefined) ?? DEFAULT_RANK_METRIC,
    segments: {
      platforms: valid((data) => data.platform, []),
      funnelStages: valid((data) => data.funnelStage, []),
      niches: [...new Set(niches)],
    },
    page: valid((data) => data.page, undefined) ?? 1,
  };
  const rangeError = parsedRange.ok ? null : parsedRange.error;
  const queryError = messages.length > 0 ? `${messages.join(". ")}.` : null;
  if (rangeError || queryError) return { ok: false, rangeError, queryError, query };
  return { ok: true, query };
}

/** The niches the shop's creators use, each spelled as first entered, for the niche filter. */
export async function shopNiches(shopId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ niche: string }[]>(Prisma.sql`
    SELECT MIN(c."niche") AS niche
    FROM "Creator" c
    WHERE c."shopId" = ${shopId}::uuid AND c."niche" IS NOT NULL AND btrim(c."niche") <> ''
    GROUP BY lower(c."niche")
    ORDER BY lower(c."niche")`);
  return rows.map((row) => row.niche);
}

export interface LeaderboardRow {
  creatorId: string;
  name: string;
  discountCodes: string[];
  platform: CreatorPlatform | null;
  funnelStage: FunnelStage | null;
  niche: string | null;
  /** The range's metrics; a creator without rollups has zeros. */
  metrics: CreatorMetrics;
  /** The same over the previous range of equal length. */
  previous: CreatorMetrics;
  /** The latest experiment covering the creator, if any. */
  experiment: ExperimentSummary | null;
  /** In the top 20% of the listed creators by the ranked metric. */
  top: boolean;
}

export interface Leaderboard {
  range: LeaderboardRange;
  previousRange: LeaderboardRange;
  /** Every creator matching the segment filters, sorted; pages are slices of it. */
  rows: LeaderboardRow[];
  /** Creators of the shop before filtering: tells "no creators yet" from "none match the filters". */
  creatorCount: number;
}

/**
 * The shop's creators that match the segments, each with the range's metrics from the daily rollups, the previous
 * range's for comparison, and the latest experiment covering them; the top 20% by `query.rank` marked among the
 * listed creators; sorted by `query.sort`. `today` (shop timezone) decides which LTV cohorts have matured. The
 * metrics are those of the shop's current rollup version (cached per range until the next refresh): the rows'
 * metrics objects are shared between calls and frozen.
 */
export async function leaderboard(
  shop: ShopRef,
  query: Pick<LeaderboardQuery, "range" | "sort" | "direction" | "rank" | "segments">,
  options: { today?: string } = {},
): Promise<Leaderboard> {
  const earlier = previousRange(query.range);
  const today = options.today ?? shopToday(shop.timezone);
  // The latest experiment of every creator when all are listed; of the listed ones, once known, when filtered.
  const [listed, everyExperiment] = await Promise.all([
    listCreators(shop.id, query.segments),
    hasSegments(query.segments) ? null : experimentSummariesByCreator(shop, undefined, today),
  ]);
  const { creators, creatorCount } = listed;
  if (creators.length === 0) return { range: query.range, previousRange: earlier, rows: [], creatorCount };
  const [metrics, experiments] = await Promise.all([
    creatorMetricsByRange(shop, query.range, today, listed.rollupVersion),
    everyExperiment ?? experimentSummariesByCreator(shop, creators.map((creator) => creator.creatorId), today),
  ]);

  const rows: LeaderboardRow[] = creators.map((creator) => {
    const [current, previous] = metrics.byCreator.get(creator.creatorId) ?? metrics.zeros;
    return { ...creator, metrics: current, previous, experiment: experiments.get(creator.creatorId) ?? null, top: false };
  });
  const top = topFifth(rows, (row) => creatorMetricValue(row.metrics, query.rank), {
    lowerIsBetter: LOWER_IS_BETTER.has(query.rank),
  });
  for (const row of top) row.top = true;
  return { range: query.range, previousRange: earlier, rows: sortLeaderboard(rows, query.sort, query.direction), creatorCount };
}

/** Every creator's metrics over a range and over the previous range of equal length, as read at one rollup version. */
interface RangeMetrics {
  rollupVersion: number;
  /** The creators with rollups in either range; frozen, since every read of the same version shares them. */
  byCreator: Map<string, readonly [current: CreatorMetrics, previous: CreatorMetrics]>;
  /** What a creator without rollups in both ranges has. */
  zeros: readonly [CreatorMetrics, CreatorMetrics];
}

/**
 * The ranges' metrics per (shop, range, today), kept while the shop's rollups stay at the version they were read at:
 * reading and summing a large shop's rollups and deriving their metrics (10k creators: 0.2–0.3 s) happens once per
 * rollup change, and paging, sorting and filtering reuse it. Weighed in creators: an entry holds ~1.2 KB of heap per
 * creator with rollups in the ranges (measured at 10k creators), so the budget is ~35 MB of the web process's 256 MB
 * old space: a 10k-creator shop's three most recent ranges, or a few hundred small shops'. An entry heavier than the
 * whole budget is not kept.
 */
const rangeMetricsCache = new LRUCache<string, RangeMetrics>({ maxSize: 30_000 });

async function creatorMetricsByRange(shop: ShopRef, range: LeaderboardRange, today: string, rollupVersion: number): Promise<RangeMetrics> {
  const key = `${shop.id} ${today} ${range.from} ${range.to}`;
  const cached = rangeMetricsCache.get(key);
  if (cached?.rollupVersion === rollupVersion) return cached;

  // Every creator's, filtered or not: one entry serves every segment.
  const read = await readRollupTotals(shop, [range, previousRange(range)], { today });
  const [current, previous] = read.totals;
  const zero = freezeMetrics(deriveCreatorMetrics(emptyRollupTotals()));
  const metricsOf = (totals: RollupTotals | undefined) => (totals ? freezeMetrics(deriveCreatorMetrics(totals)) : zero);
  const byCreator: RangeMetrics["byCreator"] = new Map();
  for (const creatorId of new Set([...current.keys(), ...previous.keys()])) {
    byCreator.set(creatorId, Object.freeze([metricsOf(current.get(creatorId)), metricsOf(previous.get(creatorId))] as const));
  }
  const metrics: RangeMetrics = { rollupVersion: read.rollupVersion, byCreator, zeros: Object.freeze([zero, zero] as const) };
  // Kept under the version read with the totals (same statement, same snapshot), which is newer than the one asked for
  // when a refresh committed after the creators were listed: the next request lists at that version and finds it.
  rangeMetricsCache.set(key, metrics, { size: Math.max(1, byCreator.size) });
  return metrics;
}

function freezeMetrics(metrics: CreatorMetrics): CreatorMetrics {
  Object.freeze(metrics.ltvMinor);
  if (metrics.ltvToCac) Object.freeze(metrics.ltvToCac);
  return Object.freeze(metrics);
}

/** A listed creator as the leaderboard shows them, before their numbers. */
type ListedCreator = Pick<LeaderboardRow, "creatorId" | "name" | "discountCodes" | "platform" | "funnelStage" | "niche">;

interface ListedCreators {
  /** The creators matching the segments, in no particular order (the leaderboard sorts them). */
  creators: ListedCreator[];
  /** Every creator of the shop, filtered or not. */
  creatorCount: number;
  /** The shop's rollup version when the creators were read. */
  rollupVersion: number;
}

/** A creator as the list read returns it: [id, name, platform, funnel stage, niche]. */
type ListedCreatorRow = [string, string, CreatorPlatform | null, FunnelStage | null, string | null];

/**
 * The shop's creators matching the segments, with their discount codes, and how many creators the shop has: two
 * statements at once (creators; codes), each one JSON document. Prisma converting 10k creators and their codes row by
 * row cost ~90 ms; an array of codes aggregated per creator in the same statement, ~25 ms.
 */
async function listCreators(shopId: string, segments: LeaderboardSegments): Promise<ListedCreators> {
  const [[result], [codeList]] = await Promise.all([
    prisma.$queryRaw<{ creatorCount: number; rollupVersion: number; creators: string | null }[]>`
      SELECT count(*)::int AS "creatorCount",
             (SELECT s."rollupVersion" FROM "Shop" s WHERE s."id" = ${shopId}::uuid) AS "rollupVersion",
             json_agg(json_build_array(c."id", c."name", c."platform", c."funnelStage", c."niche"))
               FILTER (WHERE ${segmentCondition(segments)})::text AS creators
      FROM "Creator" c
      WHERE c."shopId" = ${shopId}::uuid`,
    // Oldest first, so each creator's codes come in their order.
    prisma.$queryRaw<{ codes: string | null }[]>`
      SELECT json_agg(json_build_array(d."creatorId", d."code") ORDER BY d."createdAt", d."code")::text AS codes
      FROM "DiscountCode" d
      JOIN "Creator" c ON c."id" = d."creatorId"
      WHERE c."shopId" = ${shopId}::uuid`,
  ]);
  const codes = new Map<string, string[]>();
  for (const [creatorId, code] of JSON.parse(codeList?.codes ?? "[]") as [string, string][]) {
    const list = codes.get(creatorId);
    if (list) list.push(code);
    else codes.set(creatorId, [code]);
  }
  const creators = (JSON.parse(result?.creators ?? "[]") as ListedCreatorRow[]).map(
    ([creatorId, name, platform, funnelStage, niche]): ListedCreator => ({
      creatorId,
      name,
      discountCodes: codes.get(creatorId) ?? [],
      platform,
      funnelStage,
      niche,
    }),
  );
  return { creators, creatorCount: result?.creatorCount ?? 0, rollupVersion: result?.rollupVersion ?? 0 };
}

/** A creator's sums over one range, as the rollup read returns them: money as decimal text. */
type RangeTotalsRow = [
  range: number,
  creatorId: string,
  clicks: number,
  orders: number,
  netRevenueMinor: string,
  newCustomers: number,
  newCustomerRevenueMinor: string,
  commissionMinor: string,
  feeMinor: string,
  seedingMinor: string,
  customers30: number,
  revenue30: string,
  customers90: number,
  revenue90: string,
  customers365: number,
  revenue365: string,
];

/**
 * The creators' rollups summed over each of `ranges`, in one read: a map per range, by creator. Whole calendar months
 * come from the monthly rollups and the rest from the daily ones (planRollupRead), with the same sums as the range's
 * daily rollups alone. A creator without rollups in the range is absent, or has zeros when its only rows were taken
 * away again (a month's row less its days outside the range): both read as nothing happened. A cohort window counts
 * only the days acquired long enough before `today` for the whole window to have passed.
 */
export async function rollupTotalsByRange<const Ranges extends readonly DayRange[]>(
  shop: ShopRef,
  ranges: Ranges,
  options: { today?: string } = {},
): Promise<{ [Index in keyof Ranges]: Map<string, RollupTotals> }> {
  return (await readRollupTotals(shop, ranges, options)).totals;
}

/** rollupTotalsByRange, with the shop's rollup version the totals were read at (in the same statement). */
async function readRollupTotals<const Ranges extends readonly DayRange[]>(
  shop: ShopRef,
  ranges: Ranges,
  options: { today?: string },
): Promise<{ rollupVersion: number; totals: { [Index in keyof Ranges]: Map<string, RollupTotals> } }> {
  const today = options.today ?? shopToday(shop.timezone);
  const reads = ranges.flatMap((range, index) => planRollupRead(range, today).map((read) => rollupReadSql(shop, index, read)));
  // One JSON document rather than a row per creator and range: Prisma converts every value of a raw result (10 ms of
  // CPU for a year's 2,000 rows of 16 columns), JSON.parse a whole document natively (money as text: exact).
  // Without JIT: a large shop's plan costs more than jit_above_cost, and compiling it (~170 ms at 10k creators) took
  // longer than the aggregation it would speed up. SET LOCAL ends with the transaction, so the pooled connection
  // goes back as it was.
  const [, [result]] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL jit = off`,
    prisma.$queryRaw<{ rollupVersion: number; totals: string | null }[]>`
    SELECT (SELECT s."rollupVersion" FROM "Shop" s WHERE s."id" = ${shop.id}::uuid) AS "rollupVersion",
           json_agg(json_build_array(
             g."range", g."creatorId", g.clicks, g.orders, g.net::text, g.new_customers, g.new_net::text,
             g.commission::text, g.fees::text, g.seeding::text,
             g.customers30, g.revenue30::text, g.customers90, g.revenue90::text, g.customers365, g.revenue365::text))::text AS totals
    FROM (
      SELECT t."range", t."creatorId",
             SUM(t."clicks") AS clicks, SUM(t."orders") AS orders, SUM(t."netRevenueMinor") AS net,
             SUM(t."newCustomers") AS new_customers, SUM(t."newCustomerRevenueMinor") AS new_net,
             SUM(t."commissionMinor") AS commission, SUM(t."feeMinor") AS fees, SUM(t."seedingMinor") AS seeding,
             SUM(t.customers30) AS customers30, SUM(t.revenue30) AS revenue30,
             SUM(t.customers90) AS customers90, SUM(t.revenue90) AS revenue90,
             SUM(t.customers365) AS customers365, SUM(t.revenue365) AS revenue365
      FROM (${Prisma.join(reads, " UNION ALL ")})
        AS t("range", "creatorId", "clicks", "orders", "netRevenueMinor", "newCustomers", "newCustomerRevenueMinor",
             "commissionMinor", "feeMinor", "seedingMinor", customers30, revenue30, customers90, revenue90, customers365, revenue365)
      GROUP BY t."range", t."creatorId"
    ) g`,
  ]);

  const totals = ranges.map(() => new Map<string, RollupTotals>());
  for (const row of JSON.parse(result?.totals ?? "[]") as RangeTotalsRow[]) {
    const [range, creatorId, clicks, orders, net, newCustomers, newNet, commission, fees, seeding, c30, r30, c90, r90, c365, r365] = row;
    totals[range]!.set(creatorId, {
      clicks,
      orders,
      netRevenueMinor: BigInt(net),
      newCustomers,
      newCustomerRevenueMinor: BigInt(newNet),
      commissionMinor: BigInt(commission),
      feeMinor: BigInt(fees),
      seedingMinor: BigInt(seeding),
      cohort: {
        30: { customers: c30, revenueMinor: BigInt(r30) },
        90: { customers: c90, revenueMinor: BigInt(r90) },
        365: { customers: c365, revenueMinor: BigInt(r365) },
      },
    });
  }
  return { rollupVersion: result?.rollupVersion ?? 0, totals: totals as { [Index in keyof Ranges]: Map<string, RollupTotals> } };
}

const FLOW_COLUMNS = ["clicks", "orders", "netRevenueMinor", "newCustomers", "newCustomerRevenueMinor", "commissionMinor", "feeMinor", "seedingMinor"] as const;
const INTEGER_COLUMNS = new Set<string>(["clicks", "orders", "newCustomers"]);

/** One read of a plan: its rows' columns, each added, taken away or zero as the read's signs say. */
function rollupReadSql(shop: ShopRef, range: number, read: RollupRead): Prisma.Sql {
  const signed = (column: string, sign: ReadSign) =>
    sign === 0 ? (INTEGER_COLUMNS.has(column) ? "0" : "0::bigint") : `${sign < 0 ? "-" : ""}x."${column}"`;
  const columns = [
    ...FLOW_COLUMNS.map((column) => signed(column, read.signs.flows)),
    ...COHORT_WINDOWS_DAYS.flatMap((window) => [
      signed("newCustomers", read.signs.cohort[window]),
      signed(`cohortRevenue${window}Minor`, read.signs.cohort[window]),
    ]),
  ];
  const [table, key] = read.source === "months" ? ['"CreatorMonthlyRollup"', '"month"'] : ['"CreatorDailyRollup"', '"day"'];
  return Prisma.sql`
    SELECT ${range}::int, x."creatorId", ${Prisma.raw(columns.join(", "))}
    FROM ${Prisma.raw(table)} x
    WHERE x."shopId" = ${shop.id}::uuid AND x.${Prisma.raw(key)} >= ${read.from}::date AND x.${Prisma.raw(key)} <= ${read.to}::date`;
}

function hasSegments(segments: LeaderboardSegments): boolean {
  return segments.platforms.length + segments.funnelStages.length + segments.niches.length > 0;
}

/** Within a segment kind any chosen value matches; across kinds all must. Niches compare case-insensitively. */
function segmentCondition(segments: LeaderboardSegments): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (segments.platforms.length > 0) conditions.push(Prisma.sql`c."platform"::text = ANY(${segments.platforms}::text[])`);
  if (segments.funnelStages.length > 0) conditions.push(Prisma.sql`c."funnelStage"::text = ANY(${segments.funnelStages}::text[])`);
  if (segments.niches.length > 0) {
    conditions.push(Prisma.sql`lower(c."niche") IN (SELECT lower(niche) FROM unnest(${segments.niches}::text[]) AS niche)`);
  }
  return conditions.length > 0 ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

/**
 * The order lift of the creator's latest experiment, once it has one to show: a running test's interim lift sorts
 * with the finished ones; a test waiting for data has none.
 */
export function experimentLiftBasisPoints(experiment: ExperimentSummary | null): number | null {
  if (!experiment || experiment.verdict === "waiting for data") return null;
  return experiment.orderLift?.basisPoints ?? null;
}

/** The value a row sorts by; null sorts last in both directions. */
export function leaderboardSortValue(row: LeaderboardRow, key: Exclude<LeaderboardSortKey, "name">): bigint | number | null {
  if (key === "lift") return experimentLiftBasisPoints(row.experiment);
  return creatorMetricValue(row.metrics, key);
}

/**
 * A stable sort on any column: rows without a value (no clicks for a rate, no cost for ROAS…) go last whichever the
 * direction, and ties keep the name order.
 */
export function sortLeaderboard(rows: LeaderboardRow[], sort: LeaderboardSortKey, direction: SortDirection): LeaderboardRow[] {
  const sign = direction === "asc" ? 1 : -1;
  const byName = (a: LeaderboardRow, b: LeaderboardRow) =>
    NAME_ORDER.compare(a.name, b.name) || (a.creatorId < b.creatorId ? -1 : a.creatorId > b.creatorId ? 1 : 0);
  if (sort === "name") return [...rows].sort((a, b) => sign * byName(a, b));
  // Each row's value once, not once per comparison.
  const keyed = rows.map((row) => ({ row, value: leaderboardSortValue(row, sort) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || byName(a.row, b.row);
    return sign * compareMetricValues(a.value, b.value) || byName(a.row, b.row);
  });
  return keyed.map(({ row }) => row);
}

/**
 * Names in English alphabetical order, case and accents aside. One collator for every comparison: `localeCompare`
 * with a locale builds one per call (~4 µs, most of a 1,000-creator sort by name).
 */
const NAME_ORDER = new Intl.Collator("en", { sensitivity: "base" });

/** The rows of one page (1-based), the page clamped to the last one. */
export function leaderboardPage<Row>(rows: Row[], page: number): { rows: Row[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(rows.length / LEADERBOARD_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  return {
    rows: rows.slice((current - 1) * LEADERBOARD_PAGE_SIZE, current * LEADERBOARD_PAGE_SIZE),
    page: current,
    pageCount,
  };
}

/** Midnight at the start of `day` (YYYY-MM-DD) in `timezone`. */
function parseDay(day: string, timezone: string): TZDate {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new TZDate(year, month - 1, date, timezone);
}

/**
 * The leaderboard as CSV: the table's columns (creator, segments, each metric with its change against the previous
 * period, the experiment's lift) for every listed creator in the table's order, not only the page on screen.
 * Money is a plain decimal in the shop currency, ratios and percents plain decimals, "—" an empty cell.
 */
export function leaderboardCsv(board: Leaderboard, { currencyCode, rank }: { currencyCode: string; rank: CreatorMetricKey }): string {
  const header = [
    "Creator",
    "Discount codes",
    "Platform",
    "Funnel stage",
    "Niche",
    `Top 20% by ${rankLabel(rank)}`,
    ...METRIC_COLUMNS.flatMap((column) => [column.csvTitle(currencyCode), `${column.title} vs previous period (%)`]),
    "Experiment",
    "Experiment verdict",
    "Order lift (%)",
    "Lift 95% interval low (%)",
    "Lift 95% interval high (%)",
  ];
  const percent = (basisPoints: number | undefined) => (basisPoints === undefined ? "" : basisPointsDecimal(basisPoints, "percent"));
  const rows = board.rows.map((row) => [
    spreadsheetSafeText(row.name),
    spreadsheetSafeText(row.discountCodes.join(" ")),
    row.platform ? PLATFORM_LABELS[row.platform] : "",
    row.funnelStage ? FUNNEL_STAGE_LABELS[row.funnelStage] : "",
    spreadsheetSafeText(row.niche ?? ""),
    row.top ? "yes" : "",
    ...METRIC_COLUMNS.flatMap((column) => [column.csv(row.metrics, currencyCode), metricChangeCsv(column, row.metrics, row.previous)]),
    spreadsheetSafeText(row.experiment?.name ?? ""),
    row.experiment ? VERDICT_LABELS[row.experiment.verdict] : "",
    percent(row.experiment?.orderLift?.basisPoints),
    percent(row.experiment?.orderLift?.lowerBasisPoints),
    percent(row.experiment?.orderLift?.upperBasisPoints),
  ]);
  return stringify([header, ...rows], { record_delimiter: "windows" });
}

export function leaderboardCsvFilename(range: LeaderboardRange): string {
  return `creator-leaderboard-${range.from}-to-${range.to}.csv`;
}

/** A segment of the home dashboard's breakdowns; `null` is the creators without the tag ("Not set"). */
export interface SegmentTotals<Segment> {
  segment: Segment | null;
  creators: number;
  metrics: CreatorMetrics;
}

export interface HomeDashboard {
  range: LeaderboardRange;
  previousRange: LeaderboardRange;
  creatorCount: number;
  /** Every creator together, for the range and the previous range. */
  totals: CreatorMetrics;
  previousTotals: CreatorMetrics;
  /** Every day of the range: net revenue, cost and the rest, summed over the shop's creators. */
  series: DailyPoint[];
  byFunnelStage: SegmentTotals<FunnelStage>[];
  byPlatform: SegmentTotals<CreatorPlatform>[];
  /** The five creators with the highest ROAS in the range (creators without a cost have none and are left out). */
  topByRoas: { creatorId: string; name: string; metrics: CreatorMetrics }[];
}

/**
 * The home dashboard from the same rollups as the leaderboard: the period's totals against the previous period, the
 * daily trend, totals per funnel stage and per platform (each enum value in its order, then "Not set"; segments
 * without creators left out) and the top five creators by ROAS.
 */
export async function homeDashboard(shop: ShopRef, range: LeaderboardRange, options: { today?: string } = {}): Promise<HomeDashboard> {
  const earlier = previousRange(range);
  const today = options.today ? { today: options.today } : {};
  const [creators, [current, previous], series] = await Promise.all([
    prisma.creator.findMany({
      where: { shopId: shop.id },
      select: { id: true, name: true, platform: true, funnelStage: true },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    }),
    rollupTotalsByRange(shop, [range, earlier], today),
    dailySeries(shop, range),
  ]);
  const totalsOf = (ids: { id: string }[], source: Map<string, RollupTotals>) =>
    ids.reduce((sum, creator) => addRollupTotals(sum, source.get(creator.id) ?? emptyRollupTotals()), emptyRollupTotals());
  const breakdown = <Segment extends string>(values: readonly Segment[], segmentOf: (creator: (typeof creators)[number]) => Segment | null) =>
    [...values, null].flatMap((segment) => {
      const members = creators.filter((creator) => segmentOf(creator) === segment);
      return members.length === 0 ? [] : [{ segment, creators: members.length, metrics: deriveCreatorMetrics(totalsOf(members, current)) }];
    });

  const ranked = creators.map((creator) => ({ creatorId: creator.id, name: creator.name, metrics: deriveCreatorMetrics(current.get(creator.id) ?? emptyRollupTotals()) }));
  const topByRoas = ranked
    .filter((row) => row.metrics.roasBasisPoints !== null)
    .sort((a, b) => b.metrics.roasBasisPoints! - a.metrics.roasBasisPoints! || NAME_ORDER.compare(a.name, b.name))
    .slice(0, 5);

  return {
    range,
    previousRange: earlier,
    creatorCount: creators.length,
    totals: deriveCreatorMetrics(totalsOf(creators, current)),
    previousTotals: deriveCreatorMetrics(totalsOf(creators, previous)),
    series,
    byFunnelStage: breakdown(Object.values(FunnelStage), (creator) => creator.funnelStage),
    byPlatform: breakdown(Object.values(CreatorPlatform), (creator) => creator.platform),
    topByRoas,
  };
}
