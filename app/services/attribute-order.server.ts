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
export async function attributeStoredOrder(tx: Tx, shop: Shop, order: Order): Promise<StoredVerdict> {
  const rules = parseAttributionRules(shop.attributionRules);
  const survey = order.confirmationNumber
    ? await tx.surveyResponse.findUnique({
        where: { shopId_confirmationNumber: { shopId: shop.id, confirmationNumber: order.confirmationNumber } },
      })
    : null;
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

  const acquisition = await acquisitionOf(tx, shop.id, order);
  const directory = await loadDirectory(tx, shop.id, facts, acquisition);
  const codeUsage = await codeUsageOf(tx, shop.id, order, directory);
  const shopHosts = [shop.domain, hostOf(shop.storefrontUrl)].filter((host): host is string => !!host);
  const computed = attributeOrder({ facts, directory, rules, acquisition, codeUsage, shopHosts });

  const existing = await tx.attribution.findUnique({ where: { orderId: order.id } });
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
  const attribution = await tx.attribution.upsert({
    where: { orderId: order.id },
    create: { shopId: shop.id, orderId: order.id, ...columns },
    update: { ...columns, decidedAt: new Date() },
  });
  return { verdict, attribution, commissionCreatorId: commissionCreatorOf(attribution) };
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

/** The creator credited with the customer's first order, if any: who acquired them. */
async function acquisitionOf(tx: Tx, shopId: string, order: Order): Promise<CustomerAcquisition | null> {
  if (!order.customerGid) return null;
  const first = await tx.order.findFirst({
    where: { shopId, customerGid: order.customerGid, processedAt: { lt: order.processedAt } },
    orderBy: { processedAt: "asc" },
    select: { name: true, processedAt: true, attribution: { select: { creatorId: true, reviewStatus: true } } },
  });
  const creatorId = first?.attribution ? commissionCreatorOf(first.attribution) : null;
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
      ? tx.discountCode.findMany({ where: { shopId, normalizedCode: { in: refs.codes } }, select: { code: true, creatorId: true } })
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
  const creators = await tx.creator.findMany({
    where: {
      shopId,
      OR: [
        { id: { in: [...creatorIds].filter((id) => UUID.test(id)) } },
        ...(refs.handles.length ? [{ handle: { in: refs.handles, mode: "insensitive" as const } }] : []),
        ...(refs.referrerPrefixes.length ? [{ referrerDomains: { hasSome: refs.referrerPrefixes } }] : []),
      ],
    },
    select: { id: true, handle: true, referrerDomains: true, customerGid: true, email: true },
  });
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

/** How often each creator code on the order was used in the hour before it, against its usual hourly rate. */
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
    FROM unnest(${codes}::text[]) AS code
    JOIN "Order" o ON o."shopId" = ${shopId}::uuid AND o."normalizedDiscountCodes" @> ARRAY[code]
    WHERE o."processedAt" >= ${baselineFrom} AND o."processedAt" < ${order.processedAt} AND o.id <> ${order.id}::uuid
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
