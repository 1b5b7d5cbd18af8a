// Property tests of every admin form (issue #9): each action is called in-process, as App Bridge calls it, with forms
// that are mostly right and partly wrong — fields missing, extra, repeated, very long, unicode, NUL, numbers that are
// negative, huge, NaN or in exponent form, impossible dates, ids of other shapes or of another shop, unknown intents,
// files where text is expected. Properties: never a 5xx (the one 503 allowed is "no SMTP server configured"), never
// a thrown error, every refusal says why, and a refused form leaves every row of the shop as it was.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import type { Shop } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-fuzz-admin-${process.pid}-${Date.now()}`;
});

import { ADD_COST_INTENT, DELETE_COST_INTENT } from "~/components/CostCard";
import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { QUEUE_NAMES } from "~/queues.server";
import { action as attributionAction } from "~/routes/app.attribution";
import { action as creatorAction } from "~/routes/app.creators.$creatorId";
import { action as contractAction } from "~/routes/app.creators.$creatorId_.contract";
import { action as deliverablesAction } from "~/routes/app.creators.$creatorId_.deliverables";
import { action as editCreatorAction } from "~/routes/app.creators.$creatorId_.edit";
import { action as ledgerAction } from "~/routes/app.creators.$creatorId_.ledger";
import { action as linksAction } from "~/routes/app.creators.$creatorId_.links";
import { action as newCreatorAction } from "~/routes/app.creators.new";
import { action as experimentAction } from "~/routes/app.experiments.$experimentId";
import { action as newExperimentAction } from "~/routes/app.experiments.new";
import { action as jobsAction } from "~/routes/app.jobs";
import { action as orderAction } from "~/routes/app.orders.$orderId";
import { action as importAction } from "~/routes/app.orders.import";
import { action as payoutsCsvAction } from "~/routes/app.payouts.csv";
import { action as settingsAction } from "~/routes/app.settings";
import { action as statementsAction } from "~/routes/app.statements._index";
import { action as statementSettingsAction } from "~/routes/app.statements.settings";
import { action as surveyAction } from "~/routes/app.survey";
import { ingestOrder } from "~/services/ingest-order.server";
import { installShop } from "~/models/shop.server";
import { env } from "~/utils/env.server";
import { adminRequest, callRoute, storeOfflineSession } from "../helpers/admin-requests";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder } from "../helpers/shopify-samples";
import { startSimulatorServer, type RunningSimulator } from "../simulator/server";
import { routeAdminApiToSimulator } from "../support/admin-api";

type Action = (args: ActionFunctionArgs) => Promise<unknown> | unknown;

const SHOP_DOMAIN = `fuzz-admin-${process.pid}.myshopify.com`;

let sim: RunningSimulator;
let webhookSink: Server;
let restoreFetch: () => void;
let shop: Shop;
/** Ids of the fuzzed shop's rows, and of another shop's, that forms refer to. */
const ids = {
  creator: "",
  otherShopCreator: "",
  order: "",
  otherShopOrder: "",
  link: "",
  experiment: "",
};

beforeAll(async () => {
  webhookSink = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => webhookSink.listen(0, "127.0.0.1", resolve));
  sim = await startSimulatorServer({
    appUrl: `http://127.0.0.1:${(webhookSink.address() as AddressInfo).port}`,
    secret: env().SHOPIFY_API_SECRET,
    apiKey: env().SHOPIFY_API_KEY,
    shop: { domain: SHOP_DOMAIN, name: "Fuzz shop", currency: "USD", timezone: "UTC" },
    accessTokens: [`shpat_test_${SHOP_DOMAIN}`],
    seed: 9,
    port: 0,
    discounts: [{ code: "EXISTING20" }],
  });
  restoreFetch = routeAdminApiToSimulator(sim);
  shop = await installShop({ domain: SHOP_DOMAIN, name: "Fuzz shop", currencyCode: "USD", timezone: "UTC" });
  await storeOfflineSession(SHOP_DOMAIN);

  const creator = await createTestCreator(shop.id, { discountCode: "FUZZMAYA" });
  ids.creator = creator.id;
  const otherShop = await createTestShop();
  ids.otherShopCreator = (await createTestCreator(otherShop.id)).id;
  const ingest = async (s: Shop, codes: string[]) =>
    (await prisma.$transaction((tx) => ingestOrder(tx, s, parseOrderPayload(sampleOrder({ codes }))))).orderId;
  ids.order = await ingest(shop, ["FUZZMAYA"]);
  ids.otherShopOrder = await ingest(otherShop, []);
  const link = await prisma.trackingLink.create({
    data: { shopId: shop.id, creatorId: creator.id, slug: randomUUID().slice(0, 8), label: "Bio", utmSource: "instagram", utmCampaign: "maya" },
  });
  ids.link = link.id;
  const experiment = await prisma.experiment.create({
    data: {
      shopId: shop.id,
      name: "Fuzz experiment",
      design: "PERIOD_HOLDOUT",
      startsOn: new Date("2026-01-01"),
      endsOn: new Date("2026-01-31"),
      baselineStartsOn: new Date("2025-12-01"),
      baselineEndsOn: new Date("2025-12-31"),
    },
  });
  ids.experiment = experiment.id;
}, 120_000);

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
  await new Promise((resolve) => webhookSink?.close(resolve));
});

// ---- what a form field can hold --------------------------------------------------------------------------------

const junkText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "1e3",
    "1E-7",
    "-1",
    "-0",
    "0x10",
    "0b1",
    "12,50",
    "1 000",
    "1.005",
    "0.000000001",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "9007199254740993",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "1969-12-31",
    "9999-12-31",
    "+275760-09-13",
    "-000001-01-01",
    "2026-01-01T25:61:00Z",
    "gid://shopify/ProductVariant/abc",
    "gid://shopify/Customer/-1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "on",
    "true",
    "[object Object]",
    "\ud83d\ude00",
    "‮",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
);

const junkKey = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("intent", "shopId", "id", "__proto__", "tiers.999.from", "tiers.-1.percent", "overrides.0.gid", "fee.UNKNOWN"));

/** A plausible value spoilt just enough: a NUL, a right-to-left override or spaces around it, or far too long. */
const spoilt = (good: string) =>
  fc.constantFrom(`${good}\u0000`, `\u0000${good}`, `${good}\u202e`, `  ${good}  `, `${good}${"9".repeat(5_000)}`, good.toUpperCase());

/** A field: its plausible values, and what it looks like spoilt (one of those values spoilt, or junk). */
interface Field {
  good: fc.Arbitrary<string>;
  bad: fc.Arbitrary<string>;
}
const value = (...good: string[]): Field => ({
  good: fc.constantFrom(...good),
  bad: fc.oneof(fc.constantFrom(...good).chain(spoilt), junkText),
});
const ofArb = (good: fc.Arbitrary<string>): Field => ({ good, bad: fc.oneof(good.chain(spoilt), junkText) });
const money = value("10", "10.50", "0", "1234.5", "0.01");
const percent = value("10", "12.5", "0", "100", "33.333");
const day = value("2026-01-15", "2025-12-01", new Date().toISOString().slice(0, 10));
const flag = value("on", "");

interface FormSpec {
  name: string;
  action: Action;
  path: () => string;
  params?: fc.Arbitrary<Record<string, string>>;
  fields: Record<string, Field>;
  /** Fields posted several times (checkbox lists). */
  lists?: Record<string, Field>;
  /** 503 answers with these titles or messages are the environment (no SMTP server), not the form. */
  environment503?: RegExp;
}

const creatorIdParam = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(ids.creator) },
    { weight: 1, arbitrary: fc.constant(ids.otherShopCreator) },
    { weight: 1, arbitrary: fc.oneof(fc.uuid(), junkText) },
  );
const creatorParams = fc.constant(null).chain(() => creatorIdParam().map((creatorId) => ({ creatorId })));

const creatorFields = {
  name: value("Maya Fit", "Léa Dubois"),
  email: value("", "maya@example.com"),
  handle: ofArb(fc.nat().map((n) => `fz-${n}`)),
  referrerDomains: value("", "instagram.com/maya", "maya.example"),
  customerGid: value("", "gid://shopify/Customer/42", "42"),
  discountCode: ofArb(fc.nat().map((n) => `FZ${n}`)),
  revenueSharePercent: percent,
  platform: value("INSTAGRAM", "TIKTOK", ""),
  niche: value("", "fitness"),
  funnelStage: value("", "AWARENESS", "CONVERSION"),
  statementsOptOut: flag,
};

const SPECS: FormSpec[] = [
  { name: "creators/new", action: newCreatorAction, path: () => "/app/creators/new", fields: creatorFields },
  {
    name: "creators/edit",
    action: editCreatorAction,
    path: () => `/app/creators/${ids.creator}/edit`,
    params: creatorParams,
    fields: creatorFields,
  },
  {
    name: "creator costs",
    action: creatorAction,
    path: () => `/app/creators/${ids.creator}`,
    params: creatorParams,
    fields: {
      intent: value(ADD_COST_INTENT, DELETE_COST_INTENT),
      kind: value("FLAT_FEE", "PRODUCT_SEEDING"),
      amount: money,
      description: value("Shoot fee", ""),
      incurredOn: day,
      quantity: value("1", "3"),
      unitCost: money,
      variantGid: value("gid://shopify/ProductVariant/1", ""),
      variantTitle: value("Serum", ""),
      costId: ofArb(fc.uuid()),
    },
  },
  {
    name: "contract",
    action: contractAction,
    path: () => `/app/creators/${ids.creator}/contract`,
    params: creatorParams,
    fields: {
      intent: value("save", "preview"),
      model: value("FLAT_FEE", "RETAINER", "CPA", "REVENUE_SHARE", "HYBRID", "TIERED", "RETAINER_BONUS"),
      "fee.POST": money,
      "fee.VIDEO": money,
      monthlyAmount: money,
      baseFee: money,
      cpaAmount: money,
      newCustomersOnly: flag,
      percent,
      "overrides.0.type": value("PRODUCT", "COLLECTION"),
      "overrides.0.gid": value("gid://shopify/Product/1", "gid://shopify/Collection/1"),
      "overrides.0.title": value("Serum"),
      "overrides.0.percent": percent,
      tierMetric: value("REVENUE", "CONVERSIONS"),
      tierMode: value("MARGINAL", "RETROACTIVE"),
      "tiers.0.from": value("0"),
      "tiers.0.percent": percent,
      "tiers.1.from": money,
      "tiers.1.percent": percent,
      bonusMetric: value("REVENUE", "CONVERSIONS"),
      bonusThreshold: money,
      bonusAmount: money,
      capAmount: value("", "500"),
      drawAmount: value("", "100"),
      includeShipping: flag,
      includeTaxes: flag,
      effectiveDate: day,
    },
  },
  {
    name: "deliverables",
    action: deliverablesAction,
    path: () => `/app/creators/${ids.creator}/deliverables`,
    params: creatorParams,
    fields: {
      kind: value("POST", "VIDEO", "STORY", "REEL", "LIVESTREAM"),
      title: value("Summer reel"),
      url: value("", "https://instagram.com/p/abc", "javascript:alert(1)"),
      deliveredOn: day,
    },
  },
  {
    name: "ledger",
    action: ledgerAction,
    path: () => `/app/creators/${ids.creator}/ledger`,
    params: creatorParams,
    fields: {
      intent: value("adjust", "payout", "settings"),
      amount: value("10", "-10", "0.5", "-0.01"),
      reason: value("Bonus for the launch", ""),
      formToken: ofArb(fc.uuid()),
      method: value("PAYPAL", "BANK_TRANSFER", "OTHER"),
      reference: value("", "TX-1"),
      note: value("", "thanks"),
      fxRate: value("", "1.1", "0.9"),
      paidOn: day,
      payoutCurrency: value("USD", "EUR", "usd", "XXX"),
      paypalEmail: value("", "maya@example.com"),
    },
  },
  {
    name: "links and codes",
    action: linksAction,
    path: () => `/app/creators/${ids.creator}/links`,
    params: creatorParams,
    fields: {
      intent: value("create", "create-code", "link-code", "archive", "unarchive"),
      label: value("Bio link"),
      destinationPath: value("/", "/products/serum", "//evil.example", "javascript:alert(1)"),
      utmSource: value("instagram", "tiktok"),
      utmCampaign: value("", "summer"),
      code: ofArb(fc.oneof(fc.nat().map((n) => `FZL${n}`), fc.constant("EXISTING20"))),
      percentOff: percent,
      linkId: ofArb(fc.oneof(fc.constant(null).map(() => ids.link), fc.uuid())),
    },
  },
  {
    name: "experiments/new",
    action: newExperimentAction,
    path: () => "/app/experiments/new",
    fields: {
      name: value("Holdout in Ontario"),
      design: value("GEO_SPLIT", "PERIOD_HOLDOUT"),
      exposedRegions: value("CA-ON", "US-CA, US-NY", ""),
      controlRegions: value("CA-QC", ""),
      startsOn: day,
      endsOn: day,
      baselineStartsOn: day,
      baselineEndsOn: day,
      notes: value("", "note"),
    },
    lists: { creatorIds: ofArb(fc.oneof(fc.constant(null).map(() => ids.creator), fc.constant(null).map(() => ids.otherShopCreator))) },
  },
  {
    name: "experiment delete",
    action: experimentAction,
    path: () => `/app/experiments/${ids.experiment}`,
    params: fc.oneof(fc.uuid(), junkText).map((experimentId) => ({ experimentId })),
    fields: { intent: value("delete", "archive") },
  },
  { name: "settings", action: settingsAction, path: () => "/app/settings", fields: { holdDays: value("30", "0", "365", "14") } },
  {
    name: "statement settings",
    action: statementSettingsAction,
    path: () => "/app/statements/settings",
    fields: {
      intent: value("settings", "rate"),
      cadence: value("MONTHLY", "QUARTERLY", "WEEKLY"),
      autoSend: flag,
      fromName: value("Glow", ""),
      replyTo: value("", "team@glow.example"),
      logoUrl: value("", "https://glow.example/logo.png", "http://x"),
      currencyCode: value("EUR", "GBP", "USD", "eur"),
      rate: value("0.92", "1", "0"),
    },
  },
  {
    name: "statements",
    action: statementsAction,
    path: () => "/app/statements",
    fields: {
      intent: value("send-period", "send", "resend", "exclude", "include"),
      periodKey: value("2025-12", "2026-01", "2099-01", "2025-W01"),
      creatorId: ofArb(fc.oneof(fc.constant(null).map(() => ids.creator), fc.constant(null).map(() => ids.otherShopCreator))),
      formToken: ofArb(fc.uuid()),
    },
    environment503: /Statements cannot be sent|not queued/,
  },
  {
    name: "survey settings",
    action: surveyAction,
    path: () => "/app/survey",
    fields: {
      enabled: flag,
      question: value("How did you hear about us?"),
      randomize: flag,
      includeOther: flag,
      otherLabel: value("Other", ""),
      creatorSelection: value("ALL", "CHOSEN"),
      // One channel row: a new one (no key yet) with its label.
      channelKey: value(""),
      channelLabel: value("Podcast", "Instagram"),
    },
    lists: {
      creatorIds: ofArb(fc.oneof(fc.constant(null).map(() => ids.creator), fc.constant(null).map(() => ids.otherShopCreator))),
    },
  },
  {
    name: "attribution rules",
    action: attributionAction,
    path: () => "/app/attribution",
    fields: {
      precedence: value("discount_code,tracking_link,utm,ref_param", "survey,discount_code"),
      windowDays: value("30", "7", "365"),
      touchModel: value("FIRST", "LAST"),
      newCustomersOnly: value("true", ""),
      customerLockEnabled: value("true", ""),
      customerLockDays: value("", "90"),
      excludedCodes: value("", "WELCOME10, SPRING"),
      surveyConfidence: value("60", "0", "100"),
      burstMinOrders: value("20", "1"),
      burstMultiplier: value("5", "2.5"),
    },
  },
  {
    name: "attribution review",
    action: orderAction,
    path: () => `/app/orders/${ids.order}`,
    params: fc
      .oneof(
        { weight: 6, arbitrary: fc.constant(null).map(() => ids.order) },
        { weight: 1, arbitrary: fc.constant(null).map(() => ids.otherShopOrder) },
        { weight: 1, arbitrary: fc.oneof(fc.uuid(), junkText) },
      )
      .map((orderId) => ({ orderId })),
    fields: {
      intent: value("override", "clear-override", "approve", "reject"),
      creatorId: ofArb(fc.oneof(fc.constant(null).map(() => ids.creator), fc.constant("none"), fc.constant(null).map(() => ids.otherShopCreator))),
      reason: value("Confirmed with the customer", ""),
    },
  },
  { name: "orders import", action: importAction, path: () => "/app/orders/import", fields: { since: day } },
  {
    name: "background jobs",
    action: jobsAction,
    path: () => "/app/jobs",
    fields: { intent: value("retry", "retry-all"), queue: value(...QUEUE_NAMES), jobId: ofArb(fc.uuid()) },
  },
  {
    name: "payouts CSV",
    action: payoutsCsvAction,
    path: () => "/app/payouts.csv",
    fields: {},
    lists: { payoutId: ofArb(fc.uuid()) },
  },
];

// ---- forms -------------------------------------------------------------------------------------------------------

/** How the form is sent: as browsers send forms, or (rarely) as something that is not a form at all. */
type Encoding = "urlencoded" | "multipart" | "json" | "text";

interface FuzzForm {
  entries: [string, string | "FILE"][];
  encoding: Encoding;
  params: Record<string, string>;
}

type Spoiling = "missing" | "bad" | "twice" | "file";

/**
 * A form as the page posts it, then up to three of its fields spoilt (left out, a bad value, sent twice, a file) and
 * up to two fields added: most forms are wrong in one way only, so they get past the first check to the next ones.
 */
function formArb(spec: FormSpec): fc.Arbitrary<FuzzForm> {
  const names = Object.keys(spec.fields);
  const fieldValues = fc.record(
    Object.fromEntries(names.map((name) => [name, fc.record({ good: spec.fields[name]!.good, bad: spec.fields[name]!.bad })])),
  ) as fc.Arbitrary<Record<string, { good: string; bad: string }>>;
  const lists = fc.record(
    Object.fromEntries(
      Object.entries(spec.lists ?? {}).map(([name, field]) => [
        name,
        fc.array(fc.oneof({ weight: 4, arbitrary: field.good }, { weight: 1, arbitrary: field.bad }), { maxLength: 4 }),
      ]),
    ),
  ) as fc.Arbitrary<Record<string, string[]>>;
  const spoilings = names.length
    ? fc.array(fc.record({ name: fc.constantFrom(...names), how: fc.constantFrom<Spoiling>("missing", "bad", "bad", "bad", "twice", "file") }), { maxLength: 3 })
    : fc.constant([]);
  return fc
    .record({
      values: fieldValues,
      lists,
      spoilings,
      extras: fc.array(fc.tuple(junkKey, junkText), { maxLength: 2 }),
      encoding: fc.constantFrom<Encoding>("urlencoded", "urlencoded", "urlencoded", "multipart", "multipart", "multipart", "json", "text"),
      params: spec.params ?? fc.constant({}),
    })
    .map(({ values, lists, spoilings, extras, encoding, params }) => {
      const byName = new Map<string, [string, string][]>(names.map((name) => [name, [[name, values[name]!.good]]]));
      for (const { name, how } of spoilings) {
        const { good, bad } = values[name]!;
        byName.set(name, how === "missing" ? [] : how === "bad" ? [[name, bad]] : how === "twice" ? [[name, good], [name, bad]] : [[name, "FILE"]]);
      }
      const listEntries = Object.entries(lists).flatMap(([name, items]) => items.map((item) => [name, item] as [string, string]));
      return { entries: [...[...byName.values()].flat(), ...listEntries, ...extras], encoding, params };
    });
}

function requestFor(spec: FormSpec, form: FuzzForm): Request {
  if (form.encoding === "json" || form.encoding === "text") {
    const body = form.encoding === "json" ? JSON.stringify(Object.fromEntries(form.entries)) : form.entries.map((entry) => entry.join(":")).join("\n");
    const contentType = form.encoding === "json" ? "application/json" : "text/plain";
    return adminRequest(SHOP_DOMAIN, spec.path(), { body, headers: { "Content-Type": contentType } });
  }
  if (form.encoding === "multipart") {
    const data = new FormData();
    for (const [name, v] of form.entries) {
      if (v === "FILE") data.append(name, new Blob(["id,amount\n1,2"], { type: "text/csv" }), "upload.csv");
      else data.append(name, v);
    }
    return adminRequest(SHOP_DOMAIN, spec.path(), { form: data });
  }
  const params = new URLSearchParams();
  for (const [name, v] of form.entries) params.append(name, v === "FILE" ? "upload.csv" : v);
  return adminRequest(SHOP_DOMAIN, spec.path(), { form: params });
}

// ---- the shop's rows -----------------------------------------------------------------------------------------------

/** Every row the shop owns, in a stable order: what a refused form must leave exactly as it was. */
async function shopSnapshot(shopId: string): Promise<string> {
  const where = { shopId };
  const tables = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId } }),
    prisma.creator.findMany({ where }),
    prisma.discountCode.findMany({ where }),
    prisma.contract.findMany({ where }),
    prisma.order.findMany({ where }),
    prisma.attribution.findMany({ where }),
    prisma.attributionAudit.findMany({ where }),
    prisma.ledgerEntry.findMany({ where }),
    prisma.deliverable.findMany({ where }),
    prisma.creatorPeriod.findMany({ where }),
    prisma.payout.findMany({ where }),
    prisma.payoutItem.findMany({ where }),
    prisma.trackingLink.findMany({ where }),
    prisma.orderSync.findMany({ where }),
    prisma.statementSettings.findMany({ where }),
    prisma.statementRun.findMany({ where }),
    prisma.statement.findMany({ where }),
    prisma.statementDelivery.findMany({ where }),
    prisma.exchangeRate.findMany({ where }),
    prisma.creatorCost.findMany({ where }),
    prisma.experiment.findMany({ where }),
  ]);
  const sorted = tables.map((rows) =>
    Array.isArray(rows) ? [...rows].sort((a, b) => JSON.stringify(a, bigints).localeCompare(JSON.stringify(b, bigints))) : rows,
  );
  return JSON.stringify(sorted, bigints);
}

const bigints = (_key: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v);

/** The reason a refusal gives: field errors, a form error or message, or the response's text. */
async function reasonOf(result: Awaited<ReturnType<typeof callRoute>>): Promise<string> {
  if (result.response) return (await result.response.clone().text()).trim();
  const data = (result.data ?? {}) as Record<string, unknown>;
  const reasons: string[] = [];
  const fieldErrors = data.fieldErrors ?? data.codeFieldErrors;
  if (fieldErrors && typeof fieldErrors === "object") {
    for (const message of Object.values(fieldErrors)) if (typeof message === "string") reasons.push(message);
  }
  for (const key of ["formError", "error", "message", "title", "nothingPayable"]) {
    if (typeof data[key] === "string") reasons.push(data[key] as string);
  }
  return reasons.join("; ").trim();
}

describe("admin forms under arbitrary input", () => {
  for (const spec of SPECS) {
    it(`${spec.name}: no 5xx, no throw, every refusal says why and writes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(formArb(spec), async (form) => {
          const before = await shopSnapshot(shop.id);
          const result = await callRoute(spec.action as never, requestFor(spec, form), form.params);
          const reason = await reasonOf(result);
          if (result.status >= 500) {
            expect(result.status, `${result.status}: ${reason}`).toBe(503);
            expect(reason).toMatch(spec.environment503 ?? /^$ never/);
          }
          expect([200, 302, 400, 404, 409, 422, 503]).toContain(result.status);
          if (result.status >= 400) {
            expect(reason, `a ${result.status} without a reason`).not.toBe("");
            expect(await shopSnapshot(shop.id)).toBe(before);
          }
        }),
        { numRuns: 50 },
      );
    }, 120_000);
  }
});
