// Two shops with a full set of data each, every text of it carrying the shop's marker, and a snapshot of every row a
// shop owns: what the isolation tests call the other shop's routes, APIs and jobs with, and compare afterwards.
import { randomUUID } from "node:crypto";
import { Prisma, type Shop } from "@prisma/client";
import type { Queue } from "bullmq";
import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { latestClosedPeriod, type StatementPeriod } from "~/domain/statements/statement-periods";
import { DEFAULT_SURVEY_SETTINGS } from "~/domain/survey/settings";
import { addCreatorCost } from "~/models/creator-cost.server";
import { addDeliverable } from "~/models/deliverable.server";
import { createExperiment } from "~/models/experiment.server";
import { postAdjustment } from "~/models/ledger.server";
import { addExchangeRate, updateStatementSettings } from "~/models/statements.server";
import { createTrackingLink } from "~/models/tracking-link.server";
import type { SettleCreatorPeriodJob } from "~/queues.server";
import { requestCollectionSyncs } from "~/services/collection-sync.server";
import { deliverStatement } from "~/services/deliver-statement.server";
import { followTrackingLink } from "~/services/follow-tracking-link.server";
import { ingestOrder } from "~/services/ingest-order.server";
import { recordPayout } from "~/services/record-payout.server";
import { refreshShopRollups } from "~/services/refresh-rollups.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import type { StatementMailer } from "~/utils/mailer.server";
import { storeOfflineSession } from "../helpers/admin-requests";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder } from "../helpers/shopify-samples";

/** Settlements are not what these tests are about: the models' enqueues go nowhere. */
export const noQueue = (() => ({ addBulk: async () => [], add: async () => undefined })) as unknown as () => Queue<SettleCreatorPeriodJob>;

/** A mailer that accepts every statement without a server. */
export const acceptingMailer: StatementMailer = {
  fromAddress: "statements@creator-ledger.test",
  send: async () => ({ response: "250 OK: queued" }),
  close: () => undefined,
};

export interface SeededShop {
  shop: Shop;
  /** In every name, email, handle, code, label, description, reason and note of the shop's data. */
  marker: string;
  creatorIds: [string, string];
  discountCodes: [string, string];
  handles: [string, string];
  orderIds: string[];
  confirmationNumbers: string[];
  shopifyOrderGids: string[];
  linkIds: string[];
  linkSlugs: string[];
  clickIds: string[];
  costIds: string[];
  deliverableIds: string[];
  payoutIds: string[];
  ledgerEntryIds: string[];
  statementIds: string[];
  experimentId: string;
  collectionSyncId: string;
  orderSyncId: string;
  /** The closed statement period the shop's orders, statements and payouts are in. */
  period: StatementPeriod;
}

/**
 * A shop with two creators (codes, contracts, a tracking link with a click, a cost, a deliverable), two attributed
 * orders with commissions, one with a survey answer, an adjustment, a payout, sent statements, an experiment, an
 * exchange rate, statement settings, a collection sync, a failed import and rebuilt rollups.
 */
export async function seedShop(marker: string): Promise<SeededShop> {
  const lower = marker.toLowerCase();
  const now = new Date();
  const created = await createTestShop();
  // No hold: the commissions are payable at once, so the shop has a payout.
  await prisma.shop.update({
    where: { id: created.id },
    data: {
      name: `${marker} Store`,
      holdDays: 0,
      storefrontUrl: `https://${lower}.example.com`,
      surveySettings: { ...DEFAULT_SURVEY_SETTINGS, randomize: false } as object,
    },
  });
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: created.id } });
  await storeOfflineSession(shop.domain);

  const creators = await Promise.all(
    ["one", "two"].map((n) =>
      createTestCreator(shop.id, {
        name: `${marker} Creator ${n}`,
        email: `${lower}-${n}@example.com`,
        handle: `${lower}-${n}`,
        discountCode: `${marker}${n.toUpperCase()}`,
        referrerDomains: `${lower}-${n}.example.com`,
      }),
    ),
  );
  const [first, second] = creators as [(typeof creators)[number], (typeof creators)[number]];
  await prisma.creator.updateMany({
    where: { shopId: shop.id },
    data: { paypalEmail: `${lower}-paypal@example.com`, niche: `${marker} niche` },
  });

  const link = await createTrackingLink(shop.id, first.id, { label: `${marker} bio link`, utmSource: "instagram", utmCampaign: `${lower}-spring` });
  if (!link?.ok) throw new Error(`seedShop: tracking link ${JSON.stringify(link)}`);
  const clicked = await followTrackingLink(
    new Request(`http://localhost:3000/r/${link.link.slug}`, { headers: { "user-agent": "Mozilla/5.0 (Macintosh) Safari/605.1.15" } }),
    link.link.slug,
  );
  const clickId = new URL(clicked.headers.get("Location")!).searchParams.get("cl_click");
  if (!clickId) throw new Error("seedShop: the click was not recorded");

  const cost = await addCreatorCost(
    shop.id,
    first.id,
    { kind: "FLAT_FEE", description: `${marker} sponsorship`, incurredOn: dayOf(now), amount: "50.00" },
    async () => null,
  );
  if (!cost?.ok) throw new Error(`seedShop: cost ${JSON.stringify(cost)}`);
  const deliverable = await addDeliverable(
    shop.id,
    first.id,
    { kind: "VIDEO", title: `${marker} unboxing`, url: `https://${lower}.example.com/video`, deliveredOn: dayOf(now) },
    now,
    noQueue,
  );
  if (!deliverable?.ok) throw new Error(`seedShop: deliverable ${JSON.stringify(deliverable)}`);

  // Orders in the latest closed statement period, credited by each creator's code.
  const period = latestClosedPeriod("MONTHLY", shop.timezone, now);
  const orders = [];
  for (const [index, creator] of creators.entries()) {
    const payload = sampleOrder({
      codes: [creator.discountCodes[0]!.code],
      customerId: 8_000_000 + Math.floor(Math.random() * 1_000_000),
      processedAt: new Date(period.start.getTime() + (index + 1) * 86_400_000).toISOString(),
    });
    payload.name = `#${marker}-${1001 + index}`;
    payload.note = `${marker} note`;
    await prisma.$transaction((tx) => ingestOrder(tx, shop, parseOrderPayload(payload)));
    orders.push(await prisma.order.findUniqueOrThrow({ where: { shopId_shopifyOrderGid: { shopId: shop.id, shopifyOrderGid: payload.admin_graphql_api_id } } }));
  }
  const answered = orders[0]!;
  await recordSurveyAnswer(prisma, shop.id, {
    confirmationNumber: answered.confirmationNumber!,
    optionKey: "other",
    optionLabel: "Other",
    creatorId: null,
    otherText: `${marker} podcast`,
    surface: "THANK_YOU",
  });

  const adjustment = await postAdjustment(shop.id, second.id, { amount: "12.50", reason: `${marker} welcome bonus`, formToken: randomUUID() });
  if (!adjustment?.ok) throw new Error(`seedShop: adjustment ${JSON.stringify(adjustment)}`);
  const payout = await recordPayout(shop.id, first.id, { method: "PAYPAL", reference: `${marker}-REF`, note: `${marker} payout`, fxRate: null, paidAt: now });
  if (!payout?.ok) throw new Error(`seedShop: payout ${JSON.stringify(payout)}`);

  await updateStatementSettings(shop.id, { cadence: "MONTHLY", autoSend: "on", fromName: `${marker} Payouts`, replyTo: `${lower}-replies@example.com`, logoUrl: "" });
  await addExchangeRate(shop.id, shop.currencyCode, { currencyCode: "EUR", rate: "0.9" });
  for (const creator of creators) {
    const outcome = await deliverStatement(acceptingMailer, { shopId: shop.id, creatorId: creator.id, periodKey: period.key, requestedBy: `${lower}-staff` });
    if (outcome?.outcome !== "SENT") throw new Error(`seedShop: statement ${JSON.stringify(outcome)}`);
  }

  const experiment = await createExperiment(shop, {
    name: `${marker} spring holdout`,
    design: "PERIOD_HOLDOUT",
    creatorIds: [first.id],
    exposedRegions: "",
    controlRegions: "",
    startsOn: "2025-06-10",
    endsOn: "2025-06-20",
    baselineStartsOn: "2025-05-01",
    baselineEndsOn: "2025-05-20",
    notes: `${marker} notes`,
  });
  if (!experiment.ok) throw new Error(`seedShop: experiment ${JSON.stringify(experiment)}`);

  const [collection] = await prisma.$transaction((tx) =>
    requestCollectionSyncs(tx, shop.id, [{ gid: `gid://shopify/Collection/${Date.now()}${Math.floor(Math.random() * 1000)}`, title: `${marker} Summer` }], now),
  );
  const orderSync = await prisma.orderSync.create({
    data: { shopId: shop.id, kind: "IMPORT", status: "FAILED", finishedAt: now, error: `${marker} import failed` },
  });
  await refreshShopRollups(prisma, shop.id);

  const [entries, statements] = await Promise.all([
    prisma.ledgerEntry.findMany({ where: { shopId: shop.id }, select: { id: true } }),
    prisma.statement.findMany({ where: { shopId: shop.id }, select: { id: true } }),
  ]);
  return {
    shop,
    marker,
    creatorIds: [first.id, second.id],
    discountCodes: [first.discountCodes[0]!.code, second.discountCodes[0]!.code],
    handles: [first.handle, second.handle],
    orderIds: orders.map((order) => order.id),
    confirmationNumbers: orders.map((order) => order.confirmationNumber!),
    shopifyOrderGids: orders.map((order) => order.shopifyOrderGid),
    linkIds: [(await prisma.trackingLink.findUniqueOrThrow({ where: { slug: link.link.slug } })).id],
    linkSlugs: [link.link.slug],
    clickIds: [clickId],
    costIds: [cost.costId],
    deliverableIds: [deliverable.deliverableId],
    payoutIds: [payout.payoutId],
    ledgerEntryIds: entries.map((entry) => entry.id),
    statementIds: statements.map((statement) => statement.id),
    experimentId: experiment.experimentId,
    collectionSyncId: collection!.syncId,
    orderSyncId: orderSync.id,
    period,
  };
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------- Snapshots ----------

/** Every model with a shopId column, read from Prisma's schema: a model added later is snapshotted too. */
const SHOP_SCOPED_MODELS = Prisma.dmmf.datamodel.models
  .filter((model) => model.fields.some((field) => field.name === "shopId" && field.kind === "scalar"))
  .map((model) => model.name);

type Delegate = { findMany(args: { where: Record<string, unknown> }): Promise<Record<string, unknown>[]> };

function delegateOf(model: string): Delegate {
  return (prisma as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
}

const serialize = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === "bigint") return `${item}n`;
    if (item instanceof Prisma.Decimal) return item.toFixed();
    return item;
  });

/**
 * Every row the shop owns, each serialized whole (every column), sorted: the shop's row, its sessions and inbox, and
 * every shop-scoped table. Equal snapshots mean nothing of the shop was written.
 */
export async function snapshotShop(shop: Pick<Shop, "id" | "domain">): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  const rows = async (name: string, read: Promise<unknown[]>) => {
    snapshot[name] = (await read).map(serialize).sort();
  };
  await Promise.all([
    rows("Shop", prisma.shop.findMany({ where: { id: shop.id } })),
    rows("Session", prisma.session.findMany({ where: { shop: shop.domain } })),
    rows("InboxEvent", prisma.inboxEvent.findMany({ where: { shopDomain: shop.domain } })),
    ...SHOP_SCOPED_MODELS.map((model) => rows(model, delegateOf(model).findMany({ where: { shopId: shop.id } }))),
  ]);
  return snapshot;
}

/** The ids of every row in a snapshot: none of them may appear in another shop's answers. */
export function idsIn(snapshot: Record<string, string[]>): string[] {
  const ids = new Set<string>();
  for (const rows of Object.values(snapshot)) {
    for (const row of rows) {
      const id = (JSON.parse(row) as { id?: unknown }).id;
      if (typeof id === "string") ids.add(id);
    }
  }
  return [...ids];
}

/** What a response carries, as text: JSON for data (streamed promises awaited), the body for a Response. */
export async function responseText(result: { response: Response | null; data: unknown }): Promise<string> {
  if (result.response) return result.response.clone().text();
  return serialize(await settle(result.data));
}

async function settle(value: unknown): Promise<unknown> {
  if (value instanceof Promise) return settle(await value);
  if (Array.isArray(value)) return Promise.all(value.map(settle));
  if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof Prisma.Decimal)) {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await settle(item)] as const)));
  }
  return value;
}

/** The other shop's secrets the text contains (ids of its rows, its marker, its domain); [] when none. */
export function leakedSecrets(text: string, other: { marker: string; domain: string; ids: readonly string[] }): string[] {
  const haystack = text.toLowerCase();
  return [other.marker, other.domain, ...other.ids].filter((secret) => haystack.includes(secret.toLowerCase()));
}
