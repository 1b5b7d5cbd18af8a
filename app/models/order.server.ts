import { TZDate } from "@date-fns/tz";
import type { AttributionAuditAction, AttributionMethod, LedgerEntryKind, Prisma, ReviewStatus } from "@prisma/client";
import { format } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import type { Evidence } from "~/domain/attribution/types";
import { entryStatus, type EntryStatus } from "~/domain/ledger/entry-status";
import { formatMoney } from "~/domain/money";
import { orderAdminUrl } from "./ledger.server";

/*
 * The shop's orders as the merchant reads them: a list with who each one credits, and one order with everything the
 * app knows about it (its facts, the verdict and its evidence, its ledger entries and who changed its credit by hand).
 * Every query is scoped by shop: another shop's order id is as unknown here as a made-up one.
 */

export const ORDERS_PAGE_SIZE = 50;

export const ATTRIBUTION_METHODS = [
  "DISCOUNT_CODE",
  "TRACKING_LINK",
  "UTM",
  "REF_PARAM",
  "CART_ATTRIBUTE",
  "REFERRING_SITE",
  "CUSTOMER_JOURNEY",
  "SURVEY",
  "CUSTOMER_LOCK",
  "MANUAL_OVERRIDE",
  "NONE",
] as const satisfies readonly AttributionMethod[];

export const REVIEW_STATUSES = [
  "PENDING",
  "APPROVED",
  "REJECTED",
  "NOT_NEEDED",
] as const satisfies readonly ReviewStatus[];

/** `?creator=none` lists the orders that credit nobody. */
export const NO_CREATOR = "none";

const isGuid = (value: string) => z.guid().safeParse(value).success;

/** Date and time in the shop's timezone: "Nov 5, 2026, 9:41 AM". */
export function shopDateTime(date: Date, timezone: string): string {
  return format(new TZDate(date.getTime(), timezone), "MMM d, yyyy, h:mm a");
}

export function shopDate(date: Date, timezone: string): string {
  return format(new TZDate(date.getTime(), timezone), "MMM d, yyyy");
}

// ---------- Creators to choose from ----------

export interface CreatorOption {
  id: string;
  name: string;
}

/** The shop's creators by name: the list's filter and the override's choice. */
export async function listCreatorOptions(shopId: string): Promise<CreatorOption[]> {
  return prisma.creator.findMany({
    where: { shopId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true },
  });
}

// ---------- The list ----------

export interface OrderListQuery {
  /** A creator id, NO_CREATOR, or null for any. */
  creator: string | null;
  method: AttributionMethod | null;
  review: ReviewStatus | null;
  /** Part of the order's name ("1001" finds #1001); empty = every order. */
  search: string;
  /** Where the page starts: after (older than) or before (newer than) an order already shown. */
  cursor: { direction: "after" | "before"; processedAt: Date; id: string } | null;
}

// Year 0 is ISO 8601's and JavaScript's 1 BC, but no year to PostgreSQL, which refuses the whole query: no order's.
const cursorSchema = z.tuple([z.iso.datetime().refine((value) => !value.startsWith("0000-")), z.guid()]);

/** An opaque position in the list (processedAt and id of an order), safe in a URL. */
export function encodeOrderCursor(order: { processedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([order.processedAt.toISOString(), order.id])).toString("base64url");
}

function decodeOrderCursor(value: string | null): { processedAt: Date; id: string } | null {
  if (!value || value.length > 200) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? { processedAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

const listQuerySchema = z.object({
  creator: z
    .string()
    .refine((value) => value === NO_CREATOR || isGuid(value))
    .nullable()
    .catch(null),
  method: z.enum(ATTRIBUTION_METHODS).nullable().catch(null),
  review: z.enum(REVIEW_STATUSES).nullable().catch(null),
  // PostgreSQL text cannot hold a NUL, so no order name has one: it is dropped rather than sent to the database,
  // which refuses the whole query.
  search: z.string().trim().max(100).catch("").transform((value) => value.replaceAll("\u0000", "")),
});

/**
 * Reads `?creator=&method=&review=&q=&after=|before=` leniently: an unknown value is left out (the list shows more,
 * never an error page). `review=needs-review` is the same as `review=pending`.
 */
export function parseOrderListQuery(params: URLSearchParams): OrderListQuery {
  const review = params.get("review")?.toUpperCase().replace(/-/g, "_");
  const filters = listQuerySchema.parse({
    creator: params.get("creator"),
    method: params.get("method")?.toUpperCase() ?? null,
    review: review === "NEEDS_REVIEW" ? "PENDING" : review ?? null,
    search: params.get("q") ?? "",
  });
  const after = decodeOrderCursor(params.get("after"));
  const before = after ? null : decodeOrderCursor(params.get("before"));
  return {
    ...filters,
    cursor: after ? { direction: "after", ...after } : before ? { direction: "before", ...before } : null,
  };
}

export interface OrderListRow {
  id: string;
  name: string;
  processedAt: string;
  netMerchandise: string;
  cancelled: boolean;
  test: boolean;
  creator: CreatorOption | null;
  method: AttributionMethod | null;
  confidence: number | null;
  flags: string[];
  reviewStatus: ReviewStatus | null;
  overridden: boolean;
}

export interface OrderListPage {
  orders: OrderListRow[];
  /** Cursors of the neighbouring pages; null where there is none. */
  previousCursor: string | null;
  nextCursor: string | null;
  /** Whether the shop has any order at all (an empty filtered list is not an empty shop). */
  shopHasOrders: boolean;
}

function listWhere(shopId: string, query: OrderListQuery): Prisma.OrderWhereInput {
  const attribution: Prisma.AttributionWhereInput = {};
  if (query.creator === NO_CREATOR) attribution.creatorId = null;
  else if (query.creator) attribution.creatorId = query.creator;
  if (query.method) attribution.method = query.method;
  if (query.review) attribution.reviewStatus = query.review;
  const filtered = Object.keys(attribution).length > 0;
  return {
    shopId,
    ...(query.search ? { name: { contains: query.search, mode: "insensitive" } } : {}),
    ...(filtered ? { attribution: { is: attribution } } : {}),
  };
}

/** The shop's orders, newest first, a page of ORDERS_PAGE_SIZE at a time. */
export async function listOrders(shopId: string, timezone: string, query: OrderListQuery): Promise<OrderListPage> {
  const where = listWhere(shopId, query);
  const { cursor } = query;
  // Pages walk (processedAt, id) downwards; a "before" page walks upwards from its cursor and is turned around.
  const position: Prisma.OrderWhereInput | null = cursor
    ? cursor.direction === "after"
      ? {
          OR: [{ processedAt: { lt: cursor.processedAt } }, { processedAt: cursor.processedAt, id: { lt: cursor.id } }],
        }
      : {
          OR: [{ processedAt: { gt: cursor.processedAt } }, { processedAt: cursor.processedAt, id: { gt: cursor.id } }],
        }
    : null;
  const ascending = cursor?.direction === "before";
  const rows = await prisma.order.findMany({
    where: position ? { AND: [where, position] } : where,
    orderBy: ascending ? [{ processedAt: "asc" }, { id: "asc" }] : [{ processedAt: "desc" }, { id: "desc" }],
    // One more than a page tells whether there is another one beyond it.
    take: ORDERS_PAGE_SIZE + 1,
    select: {
      id: true,
      name: true,
      processedAt: true,
      netMerchandiseMinor: true,
      currencyCode: true,
      cancelledAt: true,
      test: true,
      attribution: {
        select: {
          method: true,
          confidence: true,
          flags: true,
          reviewStatus: true,
          overridden: true,
          creator: { select: { id: true, name: true } },
        },
      },
    },
  });
  const more = rows.length > ORDERS_PAGE_SIZE;
  const page = rows.slice(0, ORDERS_PAGE_SIZE);
  if (ascending) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const shopHasOrders = page.length > 0 || (await prisma.order.count({ where: { shopId }, take: 1 })) > 0;

  return {
    orders: page.map((row) => ({
      id: row.id,
      name: row.name,
      processedAt: shopDateTime(row.processedAt, timezone),
      netMerchandise: formatMoney(row.netMerchandiseMinor, row.currencyCode),
      cancelled: row.cancelledAt !== null,
      test: row.test,
      creator: row.attribution?.creator ?? null,
      method: row.attribution?.method ?? null,
      confidence: row.attribution?.confidence ?? null,
      flags: row.attribution?.flags ?? [],
      reviewStatus: row.attribution?.reviewStatus ?? null,
      overridden: row.attribution?.overridden ?? false,
    })),
    // Going back from the first page of newer orders, or forward from the last of older ones, is always possible.
    previousCursor: first && (ascending ? more : cursor !== null) ? encodeOrderCursor(first) : null,
    nextCursor: last && (ascending || more) ? encodeOrderCursor(last) : null,
    shopHasOrders,
  };
}

// ---------- One order ----------

export interface EvidenceView extends Omit<Evidence, "signal"> {
  /** A SignalKind, "customer_lock" or "override" (kept as stored, so a kind added later still shows). */
  signal: string;
  /** occurredAt in the shop's timezone. */
  occurredAtText: string | null;
  /** The creator the signal points at, by name. */
  creatorName: string | null;
}

export interface JourneyVisitView {
  occurredAt: string | null;
  landingPage: string | null;
  referrerUrl: string | null;
  referralCode: string | null;
  source: string | null;
  /** "utm_source=instagram · utm_campaign=maya" */
  utm: string | null;
}

export interface OrderLedgerEntryView {
  id: string;
  kind: LedgerEntryKind;
  creatorName: string;
  amount: string;
  reason: string;
  status: EntryStatus;
  postedOn: string;
  availableOn: string;
}

export interface AuditView {
  id: string;
  action: AttributionAuditAction;
  from: string | null;
  to: string | null;
  reason: string;
  actor: string;
  at: string;
}

export interface OrderDetail {
  id: string;
  name: string;
  adminUrl: string;
  processedAt: string;
  cancelledAt: string | null;
  financialStatus: string | null;
  test: boolean;
  newCustomer: boolean;
  netMerchandise: string;
  subtotal: string;
  facts: {
    discountCodes: string[];
    landingSite: string | null;
    referringSite: string | null;
    cartAttributes: { name: string; value: string }[];
    confirmationNumber: string | null;
    journey: {
      status: "PENDING" | "READY" | "UNAVAILABLE";
      firstVisit: JourneyVisitView | null;
      lastVisit: JourneyVisitView | null;
    };
    survey: { answer: string; otherText: string | null; creatorName: string | null; answeredAt: string } | null;
  };
  attribution: {
    creator: CreatorOption | null;
    method: AttributionMethod;
    confidence: number;
    rule: string;
    evidence: EvidenceView[];
    flags: string[];
    reviewStatus: ReviewStatus;
    reviewedAt: string | null;
    decidedAt: string;
    override: { creator: CreatorOption | null; reason: string } | null;
  } | null;
  ledger: OrderLedgerEntryView[];
  audits: AuditView[];
}

const storedEvidenceSchema = z.array(
  z.object({
    signal: z.string().catch("discount_code"),
    source: z.string().catch(""),
    value: z.string().catch(""),
    occurredAt: z.string().nullable().catch(null),
    creatorId: z.string().nullable().catch(null),
    matched: z.boolean().catch(false),
    decisive: z.boolean().catch(false),
    note: z.string().catch(""),
  }),
);

const visitSchema = z
  .object({
    occurredAt: z.string().nullable().catch(null),
    landingPage: z.string().nullable().catch(null),
    referrerUrl: z.string().nullable().catch(null),
    referralCode: z.string().nullable().catch(null),
    source: z.string().nullable().catch(null),
    utm: z.record(z.string(), z.string().nullable()).nullable().catch(null),
  })
  .nullable()
  .catch(null);

const journeySchema = z
  .object({ firstVisit: visitSchema.default(null), lastVisit: visitSchema.default(null) })
  .nullable()
  .catch(null);

const noteAttributesSchema = z.array(z.object({ name: z.string(), value: z.string() })).catch([]);

/** Everything the app knows about one of the shop's orders; null for an unknown id or another shop's order. */
export async function getOrderDetail(
  shopId: string,
  orderId: string,
  timezone: string,
  now = new Date(),
): Promise<OrderDetail | null> {
  if (!isGuid(orderId)) return null;
  const order = await prisma.order.findFirst({ where: { id: orderId, shopId }, include: { attribution: true } });
  if (!order) return null;
  const [survey, entries, audits] = await Promise.all([
    order.confirmationNumber
      ? prisma.surveyResponse.findUnique({
          where: { shopId_confirmationNumber: { shopId, confirmationNumber: order.confirmationNumber } },
        })
      : null,
    prisma.ledgerEntry.findMany({
      where: { shopId, orderId: order.id },
      orderBy: [{ createdAt: "asc" }, { idempotencyKey: "asc" }],
      include: { payoutItem: { select: { id: true } } },
    }),
    prisma.attributionAudit.findMany({
      where: { shopId, orderId: order.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
  ]);

  const attribution = order.attribution;
  const evidence = attribution ? parseEvidence(attribution.evidence) : [];
  const creatorIds = new Set<string>(
    [
      attribution?.creatorId,
      attribution?.overrideCreatorId,
      survey?.creatorId,
      ...evidence.map((item) => item.creatorId),
      ...entries.map((entry) => entry.creatorId),
      ...audits.flatMap((audit) => [audit.fromCreatorId, audit.toCreatorId]),
    ].filter((id): id is string => !!id && isGuid(id)),
  );
  const creators = creatorIds.size
    ? await prisma.creator.findMany({
        where: { shopId, id: { in: [...creatorIds] } },
        select: { id: true, name: true },
      })
    : [];
  const names = new Map(creators.map((creator) => [creator.id, creator.name]));
  // A creator removed since keeps their place in the history, without a name.
  const nameOf = (id: string | null | undefined) => (id ? names.get(id) ?? "A removed creator" : null);
  const optionOf = (id: string | null | undefined) => (id ? { id, name: nameOf(id)! } : null);
  const journey = journeySchema.parse(order.customerJourney ?? null);

  return {
    id: order.id,
    name: order.name,
    adminUrl: orderAdminUrl(order.shopifyOrderGid),
    processedAt: shopDateTime(order.processedAt, timezone),
    cancelledAt: order.cancelledAt ? shopDateTime(order.cancelledAt, timezone) : null,
    financialStatus: order.financialStatus,
    test: order.test,
    newCustomer: order.newCustomer,
    netMerchandise: formatMoney(order.netMerchandiseMinor, order.currencyCode),
    subtotal: formatMoney(order.subtotalMinor, order.currencyCode),
    facts: {
      discountCodes: order.discountCodes,
      landingSite: order.landingSite,
      referringSite: order.referringSite,
      cartAttributes: noteAttributesSchema.parse(order.noteAttributes),
      confirmationNumber: order.confirmationNumber,
      journey: {
        status: order.journeyStatus,
        firstVisit: journey?.firstVisit ? visitView(journey.firstVisit, timezone) : null,
        lastVisit: journey?.lastVisit ? visitView(journey.lastVisit, timezone) : null,
      },
      survey: survey
        ? {
            answer: survey.optionLabel,
            otherText: survey.otherText,
            creatorName: nameOf(survey.creatorId),
            answeredAt: shopDateTime(survey.answeredAt, timezone),
          }
        : null,
    },
    attribution: attribution
      ? {
          creator: optionOf(attribution.creatorId),
          method: attribution.method,
          confidence: attribution.confidence,
          rule: attribution.rule,
          evidence: evidence.map((item) => ({
            ...item,
            occurredAtText: item.occurredAt ? instantText(item.occurredAt, timezone) : null,
            creatorName: nameOf(item.creatorId),
          })),
          flags: attribution.flags,
          reviewStatus: attribution.reviewStatus,
          reviewedAt: attribution.reviewedAt ? shopDateTime(attribution.reviewedAt, timezone) : null,
          decidedAt: shopDateTime(attribution.decidedAt, timezone),
          override: attribution.overridden
            ? { creator: optionOf(attribution.overrideCreatorId), reason: attribution.overrideReason ?? "" }
            : null,
        }
      : null,
    ledger: entries.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      creatorName: nameOf(entry.creatorId)!,
      amount: formatMoney(entry.amountMinor, entry.currencyCode),
      reason: entry.reason,
      status: entryStatus({ availableAt: entry.availableAt, paid: entry.payoutItem !== null }, now),
      postedOn: shopDate(entry.createdAt, timezone),
      availableOn: shopDate(entry.availableAt, timezone),
    })),
    audits: audits.map((audit) => ({
      id: audit.id,
      action: audit.action,
      from: nameOf(audit.fromCreatorId),
      to: nameOf(audit.toCreatorId),
      reason: audit.reason,
      actor: audit.actor,
      at: shopDateTime(audit.createdAt, timezone),
    })),
  };
}

/** The stored evidence, read leniently: rows written before a field existed still show. */
function parseEvidence(stored: Prisma.JsonValue): z.output<typeof storedEvidenceSchema> {
  const parsed = storedEvidenceSchema.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

function visitView(visit: NonNullable<z.output<typeof visitSchema>>, timezone: string): JourneyVisitView {
  const utm = visit.utm
    ? Object.entries(visit.utm)
        .filter((entry): entry is [string, string] => !!entry[1])
        .map(([key, value]) => `utm_${key}=${value}`)
        .join(" · ")
    : "";
  return {
    occurredAt: visit.occurredAt ? instantText(visit.occurredAt, timezone) : null,
    landingPage: visit.landingPage,
    referrerUrl: visit.referrerUrl,
    referralCode: visit.referralCode,
    source: visit.source,
    utm: utm === "" ? null : utm,
  };
}

function instantText(iso: string, timezone: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : shopDateTime(new Date(time), timezone);
}
