// Property tests of the admin pages' query strings (issue #9): every page loader that reads its URL's search params
// (and the list pages whose links carry some) is called in-process, as App Bridge calls it, with query strings that are
// mostly right and partly wrong — keys repeated, unknown or empty, values empty, unicode, NUL, huge or negative numbers,
// impossible dates, enum values in the wrong case or unknown, cursors that decode to nonsense, bare `%` and `&&`.
// Properties: never a 5xx, never a thrown error, and every 4xx says why in words (no stack trace, no ORM or SQL error).
// Not here: the contract form's catalog search (app.catalog-search), which asks Shopify's Admin API for every query.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { CreatorPlatform, FunnelStage, type Shop } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-fuzz-loaders-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { CREATOR_METRIC_KEYS } from "~/domain/metrics/creator-metrics";
import { ENTRY_STATUSES } from "~/domain/ledger/entry-status";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { LEADERBOARD_SORT_KEYS } from "~/models/leaderboard.server";
import { ATTRIBUTION_METHODS, encodeOrderCursor, NO_CREATOR, REVIEW_STATUSES } from "~/models/order.server";
import { installShop } from "~/models/shop.server";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as creatorLoader } from "~/routes/app.creators.$creatorId";
import { loader as ledgerLoader } from "~/routes/app.creators.$creatorId_.ledger";
import { loader as creatorsLoader } from "~/routes/app.creators._index";
import { loader as experimentsLoader } from "~/routes/app.experiments._index";
import { loader as newExperimentLoader } from "~/routes/app.experiments.new";
import { loader as jobsLoader } from "~/routes/app.jobs";
import { loader as leaderboardCsvLoader } from "~/routes/app.leaderboard.csv";
import { loader as leaderboardLoader } from "~/routes/app.leaderboard";
import { loader as orderLoader } from "~/routes/app.orders.$orderId";
import { loader as ordersLoader } from "~/routes/app.orders._index";
import { loader as payoutsLoader } from "~/routes/app.payouts._index";
import { loader as payoutsCsvLoader } from "~/routes/app.payouts.csv";
import { loader as statementsLoader } from "~/routes/app.statements._index";
import { loader as surveyResultsLoader } from "~/routes/app.survey_.results";
import { ingestOrder } from "~/services/ingest-order.server";
import { adminRequest, callRoute, storeOfflineSession } from "../helpers/admin-requests";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder } from "../helpers/shopify-samples";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown> | unknown;

const SHOP_DOMAIN = `fuzz-loaders-${process.pid}.myshopify.com`;

let shop: Shop;
/** Ids of the fuzzed shop's rows, and of another shop's, that query strings refer to. */
const ids = { creator: "", otherShopCreator: "", order: "" };

beforeAll(async () => {
  shop = await installShop({ domain: SHOP_DOMAIN, name: "Fuzz loaders shop", currencyCode: "USD", timezone: "America/New_York" });
  await storeOfflineSession(SHOP_DOMAIN);
  const creator = await createTestCreator(shop.id, { discountCode: "FUZZLOAD", email: "maya@example.com" });
  // A niche, platform and funnel stage, so that the leaderboard's filters have something to match.
  await prisma.creator.update({ where: { id: creator.id }, data: { niche: "Fitness", platform: "INSTAGRAM", funnelStage: "CONVERSION" } });
  ids.creator = creator.id;
  ids.otherShopCreator = (await createTestCreator((await createTestShop()).id)).id;
  const { orderId } = await prisma.$transaction((tx) => ingestOrder(tx, shop, parseOrderPayload(sampleOrder({ codes: ["FUZZLOAD"] }))));
  ids.order = orderId;
}, 60_000);

afterAll(async () => {
  // The jobs page opened the web process's Redis handles.
  await globalThis.__creatorLedgerCloseWebHandles?.();
});

// ---- what a query string can hold ---------------------------------------------------------------------------------

const today = () => new Date().toISOString().slice(0, 10);

const junkValue = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\ud83d\ude00",
    "‮",
    "é",
    "１２３",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e5",
    "-1",
    "0",
    "-0",
    "1.5",
    "0x10",
    "99999999999999999999999999999",
    "9007199254740993",
    "2147483648",
    "0000-00-00",
    "0000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-1-1",
    "1969-12-31",
    "1970-01-01",
    "9999-12-31",
    "+275760-09-13",
    "-000001-01-01",
    "2026-01-01T25:61:00Z",
    "2026-W53",
    "2026-W00",
    "2026-00",
    "9999-12",
    "ASC",
    "DESC",
    "NETREVENUE",
    "instagram",
    "needs_review",
    "none",
    "__proto__",
    "constructor",
    "toString",
    "[object Object]",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "%00",
    "%zz",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ minLength: 2_000, maxLength: 8_000 }),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc.integer().map(String),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
);

const junkKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("", "__proto__", "constructor", "from[]", "page[0]", "FROM", "Sort", " sort", "q\u0000", "shop", "host", "embedded", "id_token"),
);

/** Instants as a cursor holds them, at the edges of what ISO 8601, JavaScript and PostgreSQL each accept. */
const cursorInstant = fc.oneof(
  fc.constantFrom("0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z"),
  fc.date().map((date) => (Number.isNaN(date.getTime()) ? "Invalid Date" : date.toISOString())),
  junkValue,
);

/** Order-list cursors: real ones, and base64url JSON that decodes to instants and ids of every shape. */
const cursor = fc.oneof(
  fc.constant(null).map(() => encodeOrderCursor({ processedAt: new Date(), id: ids.order })),
  fc.tuple(cursorInstant, fc.oneof(fc.uuid(), junkValue)).map((pair) => Buffer.from(JSON.stringify(pair)).toString("base64url")),
  fc.jsonValue().map((json) => Buffer.from(JSON.stringify(json)).toString("base64url")),
);

/** A key the page reads: its plausible values, and (mostly) junk. */
const key = (...good: string[]) => fc.constantFrom(...good);
const day = fc.oneof(fc.constantFrom("2026-01-01", "2025-12-01", "2025-01-01", "1970-01-01", "9998-12-31", "9999-12-31"), fc.constant(null).map(today));
const pageNumber = key("1", "2", "3", "999999", "1000000");
const lowered = (values: readonly string[]) => [...values, ...values.map((value) => value.toLowerCase())];
const creatorRef = () => fc.oneof(fc.constant(null).map(() => ids.creator), fc.constant(null).map(() => ids.otherShopCreator), fc.uuid());

const rangeKeys = { from: day, to: day };
/**
 * A range whose end (the start of 10000-01-01) neither the calendar arithmetic (app/domain/calendar-days.ts: RangeError)
 * nor the database (Prisma refuses the query) can take: leaderboard.server.ts's calendarDay, which every range page
 * reads its range with (patch in the report).
 */
const RANGE_REGRESSIONS = ["to=9999-12-31", "from=9999-12-31&to=9999-12-31"];
const leaderboardKeys = {
  ...rangeKeys,
  sort: key(...LEADERBOARD_SORT_KEYS),
  direction: key("asc", "desc"),
  rank: key(...CREATOR_METRIC_KEYS),
  platform: key(...Object.values(CreatorPlatform)),
  funnelStage: key(...Object.values(FunnelStage)),
  niche: key("Fitness", "fitness", "FITNESS"),
  page: pageNumber,
};

interface LoaderSpec {
  name: string;
  loader: Loader;
  path: () => string;
  params?: () => Record<string, string>;
  /** The keys the page reads (or writes into its links), with their plausible values. */
  keys: Record<string, fc.Arbitrary<string>>;
  /** Query strings this test once failed on, tried before the generated ones (each names the fix it needs). */
  regressions?: string[];
}

/** An order-list cursor as the page writes it, at an instant of year 0 (1 BC to JavaScript, no year to PostgreSQL). */
const YEAR_ZERO_CURSOR = Buffer.from(JSON.stringify(["0000-01-01T00:00:00Z", "00000000-0000-1000-8000-000000000000"])).toString("base64url");

const SPECS: LoaderSpec[] = [
  { name: "home", loader: homeLoader, path: () => "/app", keys: rangeKeys, regressions: RANGE_REGRESSIONS },
  { name: "leaderboard", loader: leaderboardLoader, path: () => "/app/leaderboard", keys: leaderboardKeys, regressions: RANGE_REGRESSIONS },
  { name: "leaderboard CSV", loader: leaderboardCsvLoader, path: () => "/app/leaderboard.csv", keys: leaderboardKeys, regressions: RANGE_REGRESSIONS },
  {
    name: "orders list and attribution review",
    loader: ordersLoader,
    path: () => "/app/orders",
    keys: {
      creator: fc.oneof(creatorRef(), fc.constant(NO_CREATOR)),
      method: key(...lowered(ATTRIBUTION_METHODS)),
      review: key(...lowered(REVIEW_STATUSES), "needs-review"),
      q: key("#1001", "1001", "#", ""),
      after: cursor,
      before: cursor,
    },
    // A NUL in the search (PostgreSQL refuses the query) and a cursor in year 0: order.server.ts (patch in the report).
    regressions: ["q=%00", `before=${YEAR_ZERO_CURSOR}`, `after=${YEAR_ZERO_CURSOR}`],
  },
  {
    name: "an order's attribution",
    loader: orderLoader,
    path: () => `/app/orders/${ids.order}`,
    params: () => ({ orderId: ids.order }),
    keys: { saved: key("override", "1") },
  },
  { name: "creators list", loader: creatorsLoader, path: () => "/app/creators", keys: { saved: key("created", "deleted"), imported: key("3", "0") } },
  {
    name: "a creator's page",
    loader: creatorLoader,
    path: () => `/app/creators/${ids.creator}`,
    params: () => ({ creatorId: ids.creator }),
    keys: { ...rangeKeys, saved: key("contract", "created") },
    regressions: RANGE_REGRESSIONS,
  },
  {
    name: "a creator's ledger",
    loader: ledgerLoader,
    path: () => `/app/creators/${ids.creator}/ledger`,
    params: () => ({ creatorId: ids.creator }),
    keys: { page: pageNumber, status: key(...lowered(ENTRY_STATUSES)) },
  },
  {
    name: "payouts",
    loader: payoutsLoader,
    path: () => "/app/payouts",
    keys: { page: pageNumber },
    // A page whose OFFSET does not fit 64 bits (Prisma refuses the query): pageNumberSchema in ledger.server.ts.
    regressions: ["page=184467440737095520", "page=99999999999999999999"],
  },
  { name: "payouts CSV", loader: payoutsCsvLoader, path: () => "/app/payouts.csv", keys: { payoutId: fc.uuid() } },
  {
    name: "statements",
    loader: statementsLoader,
    path: () => "/app/statements",
    keys: { period: key("2025-12", "2026-01", "2025-W01", "2025-W02-2W", "2099-01"), preview: creatorRef() },
  },
  { name: "survey results", loader: surveyResultsLoader, path: () => "/app/survey/results", keys: rangeKeys, regressions: RANGE_REGRESSIONS },
  { name: "experiments", loader: experimentsLoader, path: () => "/app/experiments", keys: { deleted: key("1") } },
  {
    name: "new experiment",
    loader: newExperimentLoader,
    path: () => "/app/experiments/new",
    keys: { creatorQuery: key("Maya", "fz", "%", "_") },
    // A NUL in the creator search (PostgreSQL refuses the query): experiment.server.ts's searchExperimentCreators.
    regressions: ["creatorQuery=%00", "creatorQuery=Maya%00"],
  },
  { name: "background jobs", loader: jobsLoader, path: () => "/app/jobs", keys: {} },
];

/** Pieces of a query string no form writes: bare separators, broken escapes, `+` for a space. */
const rawPiece = fc.constantFrom("&", "&&", "=", "==", "%", "%zz", "%E0%A4%A", "%C0%80", "%ED%A0%80", "%00", "+", "a=b=c", ";", "?", "#", "from", "page=");

/**
 * A query string: pairs of the page's keys (each its plausible value or junk; a key may come twice) and unknown keys,
 * written as a browser writes them, sometimes with raw pieces spliced in.
 */
function queryArb(spec: LoaderSpec): fc.Arbitrary<string> {
  const names = Object.keys(spec.keys);
  const knownPair = names.length
    ? fc.constantFrom(...names).chain((name) =>
        fc.tuple(fc.constant(name), fc.oneof({ weight: 2, arbitrary: spec.keys[name]! }, { weight: 3, arbitrary: junkValue })),
      )
    : fc.tuple(junkKey, junkValue);
  const pair = fc.oneof({ weight: 5, arbitrary: knownPair }, { weight: 1, arbitrary: fc.tuple(junkKey, junkValue) });
  return fc
    .record({ pairs: fc.array(pair, { maxLength: 8 }), raw: fc.array(fc.tuple(fc.nat(), rawPiece), { maxLength: 2 }) })
    .map(({ pairs, raw }) => {
      const params = new URLSearchParams();
      for (const [name, value] of pairs) params.append(name, value);
      let query = params.toString();
      for (const [at, piece] of raw) {
        const cut = query.length === 0 ? 0 : at % (query.length + 1);
        query = `${query.slice(0, cut)}${piece}${query.slice(cut)}`;
      }
      return query;
    });
}

/** Loader data holds promises where a page streams part of itself in (the jobs page's queues): they must settle too. */
async function settled(data: unknown): Promise<void> {
  if (!data || typeof data !== "object") return;
  await Promise.all(Object.values(data).filter((value): value is Promise<unknown> => value instanceof Promise));
}

/** The reason a refusal gives: the page's error fields, or the response's text. */
async function reasonOf(result: Awaited<ReturnType<typeof callRoute>>): Promise<string> {
  if (result.response) return (await result.response.clone().text()).trim();
  const data = (result.data ?? {}) as Record<string, unknown>;
  return ["error", "rangeError", "queryError", "formError", "message"]
    .map((name) => data[name])
    .filter((reason): reason is string => typeof reason === "string")
    .join(" ")
    .trim();
}

/**
 * What only a crash would say: a stack frame, the ORM's or the database's words. (Reasons may quote the query's own
 * values back, so these are words no generated query holds.)
 */
const UNREADABLE = /\n\s+at \S|Invalid `prisma|PrismaClient|invalid input syntax for type|invalid byte sequence/;

describe("admin loaders under arbitrary query strings", () => {
  for (const spec of SPECS) {
    it(`${spec.name}: 200 or a 4xx that says why, never a 5xx or a thrown error`, async () => {
      await fc.assert(
        fc.asyncProperty(queryArb(spec), async (query) => {
          const request = adminRequest(SHOP_DOMAIN, `${spec.path()}?${query}`);
          const result = await callRoute(spec.loader as never, request, spec.params?.() ?? {});
          if (result.status === 200) await settled(result.data);
          const reason = await reasonOf(result);
          expect([200, 400, 404, 422], `${result.status}: ${reason}`).toContain(result.status);
          if (result.status >= 400) {
            expect(reason, `a ${result.status} without a reason`).not.toBe("");
            expect(reason).not.toMatch(UNREADABLE);
          }
        }),
        { numRuns: 100, examples: (spec.regressions ?? []).map((query): [string] => [query]) },
      );
    }, 60_000);
  }
});
