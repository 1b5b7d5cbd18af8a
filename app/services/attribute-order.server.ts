import { randomUUID } from "node:crypto";
import type { Attribution, Order, Prisma, ReviewStatus, Shop } from "@prisma/client";
import { applyOverride, attributeOrder, HOLDING_FLAGS } from "~/domain/attribution/attribute-order";
import { hashEmail } from "~/domain/attribution/hash-email";
import { referencesOf } from "~/domain/attribution/references";
import { parseAttributionRules } from "~/domain/attribution/rules";
import { parseCustomerJourneySummary } from "~/domain/attribution/signals";
import { hostOf } from "~/domain/attribution/url-parts";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import type {
  AttributionFacts,
  CodeUsage,
  CreatorDirectory,
  CustomerAcquisition,
  Verdict,
} from "~/domain/attribution/types";
import type { NoteAttribute } from "~/domain/orders/order-facts";

type Tx = Prisma.TransactionClient;

export interface StoredVerdict {
  verdict: Verdict;
  attribution: Attribution;
  /** Who the order's commission goes to now: nobody while a flag awaits review or after a rejection. */
  commissionCreatorId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;
const BURST_BASELINE_HOURS = 7 * 24;

/**
 * Decides (again) who gets the credit for a stored order, from everything known about it now, and stores the
 * verdict. A merchant's override wins over the signals; a review decision stays while the credited creator does.
 */
export async function attributeStoredOrder(
  tx: Tx,
  shop: Shop,
  order: Order,
  /** What the caller read already: the customer's earliest earlier order, and whether the order was created just now. */
  known: { firstEarlier: EarlierOrder | null; created: boolean } | null = null,
): Promise<StoredVerdict> {
  const rules = parseAttributionRules(shop.attributionRules);
  // Raw SQL for the simple reads of this path: it runs for every order, and Prisma's query compiler costs more than them.
  const [survey] = order.confirmationNumber
    ? await tx.$queryRaw<{ creatorId: string | null; optionLabel: string; answeredAt: Date }[]>`
        SELECT "creatorId"::text AS "creatorId", "optionLabel", "answeredAt" FROM "SurveyResponse"
        WHERE "shopId" = ${shop.id}::uuid AND "confirmationNumber" = ${order.confirmationNumber}`
    : [];
  const facts: AttributionFacts = {
    orderedAt: order.processedAt.toISOString(),
    discountCodes: order.discountCodes,
    landingSite: order.landingSite,
    referringSite: order.referringSite,
    noteAttributes: (order.noteAttributes ?? []) as unknown as NoteAttribute[],
    journey: parseCustomerJourneySummary(order.customerJourney ?? null),
    survey: survey
      ? { creatorId: survey.creatorId, optionLabel: survey.optionLabel, answeredAt: survey.answeredAt.toISOString() }
      : null,
    newCustomer: order.newCustomer,
    customerGid: order.customerGid,
    customerEmailHash: order.customerEmailHash,
  };

  const acquisition = acquisitionFrom(known ? known.firstEarlier : await firstEarlierOrder(tx, shop.id, order));
  const directory = await loadDirectory(tx, shop.id, facts, acquisition);
  const codeUsage = await codeUsageOf(tx, shop.id, order, directory);
  const shopHosts = [shop.domain, hostOf(shop.storefrontUrl)].filter((host): host is string => !!host);
  const computed = attributeOrder({ facts, directory, rules, acquisition, codeUsage, shopHosts });

  // An order created in this transaction has no attribution yet.
  const existing = known?.created ? null : await tx.attribution.findUnique({ where: { orderId: order.id } });
  const verdict = existing?.overridden
    ? applyOverride(computed, { creatorId: existing.overrideCreatorId, reason: existing.overrideReason ?? "" })
    : computed;
  const reviewStatus = reviewStatusOf(verdict, existing);

  const columns = {
    creatorId: verdict.creatorId,
    method: verdict.method,
    confidence: verdict.confidence,
    rule: verdict.rule,
    evidence: verdict.evidence as unknown as Prisma.InputJsonArray,
    flags: verdict.flags,
    reviewStatus,
    reviewedAt: reviewStatus === existing?.reviewStatus ? existing.reviewedAt : null,
  };
  const attribution = existing
    ? await tx.attribution.update({ where: { orderId: order.id }, data: { ...columns, decidedAt: new Date() } })
    : await createAttribution(tx, shop.id, order.id, columns);
  return { verdict, attribution, commissionCreatorId: commissionCreatorOf(attribution) };
}

/** A new order's verdict. Raw SQL: every order gets one, and Prisma's query compiler costs more than the insert. */
async function createAttribution(
  tx: Tx,
  shopId: string,
  orderId: string,
  columns: Pick<Attribution, "creatorId" | "method" | "confidence" | "rule" | "flags" | "reviewStatus" | "reviewedAt"> & {
    evidence: Prisma.InputJsonArray;
  },
): Promise<Attribution> {
  const [attribution] = await tx.$queryRaw<Attribution[]>`
    INSERT INTO "Attribution" ("id", "shopId", "orderId", "creatorId", "method", "confidence", "rule", "evidence", "flags",
                               "reviewStatus", "reviewedAt", "decidedAt")
    VALUES (${randomUUID()}::uuid, ${shopId}::uuid, ${orderId}::uuid, ${columns.creatorId}::uuid,
            ${columns.method}::"AttributionMethod", ${columns.confidence}, ${columns.rule}, ${JSON.stringify(columns.evidence)}::jsonb,
            ${columns.flags}::text[], ${columns.reviewStatus}::"ReviewStatus", ${columns.reviewedAt}, ${new Date()})
    RETURNING *`;
  return attribution!;
}

/** Held (awaiting review) and rejected orders pay nobody; everything else pays the credited creator. */
export function commissionCreatorOf(attribution: Pick<Attribution, "creatorId" | "reviewStatus">): string | null {
  return attribution.reviewStatus === "PENDING" || attribution.reviewStatus === "REJECTED" ? null : attribution.creatorId;
}

/** Orders whose commission counts for their creator (for period totals such as tiers and caps). */
export const COMMISSIONABLE_REVIEW_STATUSES: ReviewStatus[] = ["NOT_NEEDED", "APPROVED"];

function reviewStatusOf(verdict: Verdict, existing: Attribution | null): ReviewStatus {
  if (verdict.method === "MANUAL_OVERRIDE") return "NOT_NEEDED";
  const decided = existing?.reviewStatus === "APPROVED" || existing?.reviewStatus === "REJECTED";
  if (decided && existing.creatorId === verdict.creatorId) return existing.reviewStatus;
  const holding = verdict.creatorId !== null && verdict.flags.some((flag) => HOLDING_FLAGS.includes(flag));
  return holding ? "PENDING" : "NOT_NEEDED";
}

/** The customer's first order placed before this one, with its credit (null creator and status: not attributed). */
export interface EarlierOrder {
  name: string;
  processedAt: Date;
  creatorId: string | null;
  reviewStatus: ReviewStatus | null;
}

/** The customer's first order before `order` (none for a guest checkout): it decides new-customer and acquisition. */
export async function firstEarlierOrder(
  tx: Tx,
  shopId: string,
  order: Pick<Order, "customerGid" | "processedAt">,
): Promise<EarlierOrder | null> {
  if (!order.customerGid) return null;
  const [first] = await tx.$queryRaw<EarlierOrder[]>`
    SELECT o."name", o."processedAt", a."creatorId"::text AS "creatorId", a."reviewStatus"::text AS "reviewStatus"
    FROM "Order" o LEFT JOIN "Attribution" a ON a."orderId" = o."id"
    WHERE o."shopId" = ${shopId}::uuid AND o."customerGid" = ${order.customerGid} AND o."processedAt" < ${order.processedAt}
    ORDER BY o."processedAt" ASC LIMIT 1`;
  return first ?? null;
}

/** The creator credited with the customer's first order, if any: who acquired them. */
function acquisitionFrom(first: EarlierOrder | null): CustomerAcquisition | null {
  const creatorId = first?.reviewStatus ? commissionCreatorOf({ creatorId: first.creatorId, reviewStatus: first.reviewStatus }) : null;
  return first && creatorId ? { creatorId, acquiredAt: first.processedAt.toISOString(), orderName: first.name } : null;
}

/** Only the creators, codes, links and clicks this order's signals can point at: shops have thousands. */
async function loadDirectory(
  tx: Tx,
  shopId: string,
  facts: AttributionFacts,
  acquisition: CustomerAcquisition | null,
): Promise<CreatorDirectory> {
  const refs = referencesOf(facts);
  const clickIds = refs.clickIds.filter((id) => UUID.test(id));
  const [codes, links, clicks] = await Promise.all([
    refs.codes.length
      ? tx.$queryRaw<{ code: string; creatorId: string }[]>`
          SELECT "code", "creatorId"::text AS "creatorId" FROM "DiscountCode"
          WHERE "shopId" = ${shopId}::uuid AND "normalizedCode" = ANY(${refs.codes}::text[])`
      : [],
    refs.linkSlugs.length
      ? tx.trackingLink.findMany({
          where: { shopId, slug: { in: refs.linkSlugs, mode: "insensitive" } },
          select: { slug: true, creatorId: true },
        })
      : [],
    clickIds.length
      ? tx.linkClick.findMany({
          where: { shopId, id: { in: clickIds } },
          select: { id: true, creatorId: true, occurredAt: true, link: { select: { slug: true } } },
        })
      : [],
  ]);
  const creatorIds = new Set<string>([
    ...codes.map((c) => c.creatorId),
    ...links.map((l) => l.creatorId),
    ...clicks.map((c) => c.creatorId),
    ...refs.creatorIds,
    ...(acquisition ? [acquisition.creatorId] : []),
  ]);
  // An empty list matches nothing, so one statement serves every combination of signals.
  const creators = await tx.$queryRaw<
    { id: string; handle: string; referrerDomains: string[]; customerGid: string | null; email: string | null }[]
  >`
    SELECT "id"::text AS "id", "handle", "referrerDomains", "customerGid", "email" FROM "Creator"
    WHERE "shopId" = ${shopId}::uuid
      AND ("id" = ANY(${[...creatorIds].filter((id) => UUID.test(id))}::uuid[])
           OR lower("handle") = ANY(SELECT lower(h) FROM unnest(${refs.handles}::text[]) AS h)
           OR "referrerDomains" && ${refs.referrerPrefixes}::text[])`;
  return {
    creators: creators.map((c) => ({
      id: c.id,
      handle: c.handle,
      referrerDomains: c.referrerDomains,
      customerGid: c.customerGid,
      emailHash: hashEmail(c.email),
    })),
    codes,
    links,
    clicks: clicks.map((c) => ({ id: c.id, linkSlug: c.link.slug, creatorId: c.creatorId, occurredAt: c.occurredAt.toISOString() })),
  };
}

/**
 * How often each creator code on the order was used in the hour before it, against its usual hourly rate. Strictly
 * before: the order's own row (and any placed the same millisecond) is not counted, and the read stays index-only.
 */
async function codeUsageOf(tx: Tx, shopId: string, order: Order, directory: CreatorDirectory): Promise<CodeUsage[]> {
  const creatorCodes = new Set(directory.codes.map((c) => normalizeDiscountCode(c.code)));
  const codes = order.normalizedDiscountCodes.filter((code) => creatorCodes.has(code));
  if (codes.length === 0) return [];
  const hourAgo = new Date(order.processedAt.getTime() - HOUR_MS);
  const baselineFrom = new Date(order.processedAt.getTime() - BURST_BASELINE_HOURS * HOUR_MS);
  const rows = await tx.$queryRaw<{ code: string; last_hour: bigint; before: bigint }[]>`
    SELECT code,
           count(*) FILTER (WHERE o."processedAt" >= ${hourAgo}) AS last_hour,
           count(*) FILTER (WHERE o."processedAt" < ${hourAgo}) AS before
    FROM (SELECT "normalizedCode" AS code, "processedAt" FROM "OrderDiscountCode"
          WHERE "shopId" = ${shopId}::uuid AND "normalizedCode" = ANY(${codes}::text[])
            AND "processedAt" >= ${baselineFrom} AND "processedAt" < ${order.processedAt}) AS o
    GROUP BY code`;
  return codes.map((code) => {
    const row = rows.find((r) => r.code === code);
    return {
      code,
      lastHour: Number(row?.last_hour ?? 0n),
      hourlyBaseline: Number(row?.before ?? 0n) / (BURST_BASELINE_HOURS - 1),
    };
  });
}
