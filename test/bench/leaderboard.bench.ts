// The leaderboard at scale: a shop with `leaderboardCreators` creators and `leaderboardOrders` orders spread over a
// year (70% credited to a creator by discount code, each with its 10% commission; two tracking-link clicks per order),
// generated in SQL (INSERT … SELECT generate_series: no round trip per row), its rollups rebuilt with the app's
// refreshShopRollups, then the leaderboard model the page's loader calls, timed over the default 30 days and over a
// whole year, beside a naive GROUP BY over orders, ledger entries and clicks for the same range (what the page cost
// before rollups): once served from its cache of the range's metrics, once as the first read after a rollup refresh.
// The database triggers note every generated row's day, as they would for real traffic.
import pg from "pg";
import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { prisma } from "~/db.server";
import { leaderboard, parseLeaderboardQuery } from "~/models/leaderboard.server";
import { refreshShopRollups } from "~/services/refresh-rollups.server";
import type { BenchContext } from "./context";
import { createBenchCreators, createBenchShop } from "./fixtures";
import type { Measurement } from "./report";

export const LEADERBOARD_P95_TARGET_MS = 50;
const TIMEZONE = "America/New_York";
const shopDay = (instant: Date) => format(instant, "yyyy-MM-dd", { in: tz(TIMEZONE) });

export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

/** `work`'s p50 and p95 over `samples` calls after three warm-ups, each call after an untimed `prepare`. */
async function timed(
  samples: number,
  work: () => Promise<unknown>,
  prepare: () => Promise<unknown> = async () => {},
): Promise<{ p50: number; p95: number }> {
  for (let warmUp = 0; warmUp < 3; warmUp += 1) {
    await prepare();
    await work();
  }
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    await prepare();
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/**
 * What a shopper's click does to the reports, as the worker would see it: a new fact today (its trigger notes the
 * day), then the shop's rollup refresh, which rewrites today's rollups and so makes the leaderboard read them again.
 */
async function clickAndRefresh(client: pg.Client, shopId: string): Promise<void> {
  await client.query(`
    INSERT INTO "LinkClick" ("id", "shopId", "linkId", "creatorId", "occurredAt", "visitorHash")
    SELECT gen_random_uuid(), l."shopId", l."id", l."creatorId", now(), md5(random()::text)
    FROM "TrackingLink" l WHERE l."shopId" = $1::uuid LIMIT 1`, [shopId]);
  await refreshShopRollups(prisma, shopId);
}

async function generateHistory(client: pg.Client, shopId: string, orders: number, days: number): Promise<void> {
  const staging = `bench_orders_${shopId.replace(/-/g, "")}`;
  await client.query(`
    CREATE UNLOGGED TABLE ${staging} AS
    SELECT n, gen_random_uuid() AS id,
           cr.id AS creator_id, (n % 10) < 7 AS credited,
           (2000 + (n::bigint * 7919) % 20000) AS net_minor,
           (now() AT TIME ZONE 'UTC') - make_interval(secs => (n::float8 / $2) * $3 * 86400) AS processed_at
    FROM generate_series(1, $2::int) AS n
    JOIN (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS idx FROM "Creator" WHERE "shopId" = $1::uuid) cr
      ON cr.idx = n % (SELECT count(*) FROM "Creator" WHERE "shopId" = $1::uuid)`, [shopId, orders, days]);
  await client.query(`
    INSERT INTO "Order" ("id", "shopId", "shopifyOrderGid", "name", "currencyCode", "presentmentCurrency", "discountCodes",
      "subtotalMinor", "totalTaxMinor", "shippingMinor", "netMerchandiseMinor", "presentmentNetMerchandiseMinor",
      "customerGid", "newCustomer", "processedAt", "shopifyUpdatedAt", "updatedAt", "journeyStatus")
    SELECT id, $1::uuid, 'gid://shopify/Order/' || (8000000000000 + n), '#' || n, 'USD', 'USD', '{}',
      net_minor, 0, 0, net_minor, net_minor,
      'gid://shopify/Customer/' || (9000000000000 + n % ($2::int / 3 + 1)), n <= $2::int / 3 + 1, processed_at, processed_at, now(), 'UNAVAILABLE'
    FROM ${staging}`, [shopId, orders]);
  await client.query(`
    INSERT INTO "Attribution" ("id", "shopId", "orderId", "creatorId", "method", "confidence", "rule", "evidence")
    SELECT gen_random_uuid(), $1::uuid, id, CASE WHEN credited THEN creator_id END,
      CASE WHEN credited THEN 'DISCOUNT_CODE' ELSE 'NONE' END::"AttributionMethod", CASE WHEN credited THEN 100 ELSE 0 END, 'bench', '[]'::jsonb
    FROM ${staging}`, [shopId]);
  await client.query(`
    INSERT INTO "LedgerEntry" ("id", "shopId", "creatorId", "orderId", "kind", "sourceKey", "availableAt", "amountMinor",
      "currencyCode", "idempotencyKey", "reason", "createdAt")
    SELECT gen_random_uuid(), $1::uuid, creator_id, id, 'COMMISSION', 'order:' || id || ':revenue-share',
      processed_at + interval '30 days', net_minor / 10, 'USD', 'bench:' || id, '10% revenue share', processed_at
    FROM ${staging} WHERE credited`, [shopId]);
  await client.query(`
    INSERT INTO "TrackingLink" ("id", "shopId", "creatorId", "slug", "label", "utmSource", "utmCampaign")
    SELECT gen_random_uuid(), "shopId", "id", 'bench-' || replace("id"::text, '-', ''), 'Bio link', 'instagram', 'bench'
    FROM "Creator" WHERE "shopId" = $1::uuid`, [shopId]);
  await client.query(`
    INSERT INTO "LinkClick" ("id", "shopId", "linkId", "creatorId", "occurredAt", "visitorHash")
    SELECT gen_random_uuid(), $1::uuid, l."id", s.creator_id, s.processed_at - make_interval(mins => click * 7), md5(s.n::text || click)
    FROM ${staging} s CROSS JOIN generate_series(1, 2) AS click
    JOIN "TrackingLink" l ON l."creatorId" = s.creator_id`, [shopId]);
  await client.query(`DROP TABLE ${staging}`);
  await client.query(`ANALYZE`);
}

/** What the page cost before rollups: orders, commissions and clicks grouped by creator over the range's instants. */
async function naiveGroupBy(client: pg.Client, shopId: string, start: Date, end: Date) {
  return client.query(
    `WITH o AS (
       SELECT a."creatorId", count(*) AS orders, sum(o."netMerchandiseMinor") AS net
       FROM "Order" o JOIN "Attribution" a ON a."orderId" = o."id"
       WHERE o."shopId" = $1::uuid AND a."creatorId" IS NOT NULL AND o."cancelledAt" IS NULL AND o."processedAt" >= $2 AND o."processedAt" < $3
       GROUP BY a."creatorId"),
     l AS (
       SELECT l."creatorId", sum(l."amountMinor") AS commission
       FROM "LedgerEntry" l JOIN "Order" o ON o."id" = l."orderId"
       WHERE l."shopId" = $1::uuid AND o."processedAt" >= $2 AND o."processedAt" < $3
       GROUP BY l."creatorId"),
     k AS (
       SELECT "creatorId", count(*) AS clicks FROM "LinkClick"
       WHERE "shopId" = $1::uuid AND "occurredAt" >= $2 AND "occurredAt" < $3 GROUP BY "creatorId")
     SELECT c."id", c."name", o.orders, o.net, l.commission, k.clicks
     FROM "Creator" c LEFT JOIN o ON o."creatorId" = c."id" LEFT JOIN l ON l."creatorId" = c."id" LEFT JOIN k ON k."creatorId" = c."id"
     WHERE c."shopId" = $1::uuid ORDER BY o.net DESC NULLS LAST`,
    [shopId, start, end],
  );
}

export async function benchLeaderboard(context: BenchContext): Promise<Measurement[]> {
  const { sizes, log } = context;
  const shop = await createBenchShop("leaderboard", TIMEZONE);
  await createBenchCreators(shop.id, sizes.leaderboardCreators);
  const client = new pg.Client({ connectionString: context.databaseUrl });
  await client.connect();
  try {
    log(`leaderboard: generating ${sizes.leaderboardOrders} orders, ${sizes.leaderboardCreators} creators, ${sizes.leaderboardDays} days`);
    let started = performance.now();
    await generateHistory(client, shop.id, sizes.leaderboardOrders, sizes.leaderboardDays);
    const generateSeconds = (performance.now() - started) / 1_000;
    log(`leaderboard: generated in ${generateSeconds.toFixed(1)} s; rebuilding rollups`);
    started = performance.now();
    const refreshed = await refreshShopRollups(prisma, shop.id);
    const refreshSeconds = (performance.now() - started) / 1_000;
    // Statistics for the rebuilt rollups, as autovacuum takes them within a minute of a rebuild this size: without
    // them the planner costs the loader's reads for the empty tables generateHistory analysed.
    await client.query(`ANALYZE "CreatorDailyRollup", "CreatorMonthlyRollup"`);
    const rollupRows = await prisma.creatorDailyRollup.count({ where: { shopId: shop.id } });
    log(`leaderboard: ${refreshed.days} days rebuilt in ${refreshSeconds.toFixed(1)} s (${rollupRows} creator-day rows)`);

    const now = new Date();
    const today = shopDay(now);
    const ranges = [
      { label: "30 days", from: shopDay(new Date(now.getTime() - 29 * 86_400_000)), days: 30 },
      { label: "365 days", from: shopDay(new Date(now.getTime() - 364 * 86_400_000)), days: 365 },
    ];
    const measurements: Measurement[] = [
      {
        bench: "leaderboard",
        name: "rollup rebuild, whole history",
        value: refreshSeconds,
        unit: "s",
        details: { days: refreshed.days, creatorDayRows: rollupRows, orders: sizes.leaderboardOrders, generateSeconds: Number(generateSeconds.toFixed(1)) },
      },
    ];
    for (const range of ranges) {
      const parsed = parseLeaderboardQuery(new URLSearchParams({ from: range.from, to: today }), { timezone: TIMEZONE, knownNiches: [] });
      if (!parsed.ok) throw new Error(`leaderboard query refused: ${parsed.rangeError ?? parsed.queryError}`);
      let rows = 0;
      const load = async () => {
        rows = (await leaderboard({ id: shop.id, timezone: TIMEZONE }, parsed.query, { today })).rows.length;
      };
      // Warm: the range's metrics are cached at the shop's rollup version, as for every page, sort and filter of a
      // range after its first. Cold: each call the first after a rollup refresh, which reads and sums the rollups.
      const warm = await timed(sizes.leaderboardSamples, load);
      if (rows !== sizes.leaderboardCreators) throw new Error(`the leaderboard listed ${rows} of ${sizes.leaderboardCreators} creators`);
      const coldSamples = Math.min(sizes.leaderboardSamples, 20);
      const cold = await timed(coldSamples, load, () => clickAndRefresh(client, shop.id));
      const start = new Date(now.getTime() - range.days * 86_400_000);
      const naive = await timed(Math.min(sizes.leaderboardSamples, 10), () => naiveGroupBy(client, shop.id, start, now));
      log(
        `leaderboard ${range.label}: cached p50 ${warm.p50.toFixed(1)} ms p95 ${warm.p95.toFixed(1)} ms; after a refresh p50 ${cold.p50.toFixed(1)} ms ` +
          `p95 ${cold.p95.toFixed(1)} ms; naive GROUP BY p50 ${naive.p50.toFixed(1)} ms p95 ${naive.p95.toFixed(1)} ms`,
      );
      const details = { creators: sizes.leaderboardCreators, orders: sizes.leaderboardOrders, samples: sizes.leaderboardSamples };
      const target = { op: "<=" as const, value: LEADERBOARD_P95_TARGET_MS };
      const naiveLimit = (value: number) => ({ name: "naive GROUP BY", value });
      measurements.push(
        { bench: "leaderboard", name: `loader p50, ${range.label}, cached`, value: warm.p50, unit: "ms", limit: naiveLimit(naive.p50), details },
        { bench: "leaderboard", name: `loader p95, ${range.label}, cached`, value: warm.p95, unit: "ms", limit: naiveLimit(naive.p95), target },
        { bench: "leaderboard", name: `loader p50, ${range.label}, first after a rollup refresh`, value: cold.p50, unit: "ms", limit: naiveLimit(naive.p50), details: { ...details, samples: coldSamples } },
        { bench: "leaderboard", name: `loader p95, ${range.label}, first after a rollup refresh`, value: cold.p95, unit: "ms", limit: naiveLimit(naive.p95), target },
      );
    }
    return measurements;
  } finally {
    await client.end();
  }
}
