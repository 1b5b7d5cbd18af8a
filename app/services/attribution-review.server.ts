import type { Attribution, AttributionAuditAction, Prisma, ReviewStatus, Shop } from "@prisma/client";
import type { Queue } from "bullmq";
import { z } from "zod";
import { prisma } from "~/db.server";
import { enqueueSettlements } from "~/jobs/commissions-worker.server";
import { enqueueAfterCommit } from "~/models/contract.server";
import { commissionsQueue, type SettleCreatorPeriodJob } from "~/queues.server";
import { lockOrder, reattributeOrder } from "./ingest-order.server";
import type { CreatorPeriodRef } from "./post-commissions.server";
import { fieldErrorsOf } from "~/utils/field-errors";

/*
 * What a merchant decides about an order's credit by hand: an override (a creator, or nobody) that wins over the
 * signals until removed, and the review of a flagged order (approve: pay the creator; reject: pay nobody). Each
 * decision is one transaction: the Attribution row changes, an AttributionAudit row records who, when and why, and
 * the order is attributed again so its verdict and ledger follow. The pay periods it touched are settled after commit.
 */

export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 500;

type Tx = Prisma.TransactionClient;

export type ReviewFieldErrors = Partial<Record<"creatorId" | "reason", string>>;

export type ReviewResult =
  | {
      ok: true;
      attribution: Pick<Attribution, "creatorId" | "method" | "reviewStatus" | "overridden">;
      changedPeriods: CreatorPeriodRef[];
    }
  | { ok: false; fieldErrors: ReviewFieldErrors }
  | { ok: false; formError: string };

export interface ReviewOptions {
  now?: Date;
  queue?: () => Queue<SettleCreatorPeriodJob>;
}

const requiredReason = z
  .string({ error: "Enter a reason" })
  .trim()
  .min(REASON_MIN_LENGTH, `Enter a reason of at least ${REASON_MIN_LENGTH} characters: the audit trail keeps it`)
  .max(REASON_MAX_LENGTH, `Keep the reason to ${REASON_MAX_LENGTH} characters or fewer`);

const optionalReason = z
  .string({ error: "Enter a note, or leave it empty" })
  .trim()
  .max(REASON_MAX_LENGTH, `Keep the note to ${REASON_MAX_LENGTH} characters or fewer`);

const overrideSchema = z.object({
  creatorId: z.union([z.null(), z.guid({ error: "Choose one of your creators, or Nobody" })], {
    error: "Choose one of your creators, or Nobody",
  }),
  reason: requiredReason,
});

/**
 * Who is deciding, as the audit trail records them: the staff member's email or user id when the session is an
 * online one, else the session token's `sub` (Shopify's id of the staff member using the admin), else "staff".
 */
export function staffActor(context: {
  session: {
    onlineAccessInfo?: { associated_user?: { id?: number | string | null; email?: string | null } | null } | null;
  };
  sessionToken?: { sub?: string | null } | null;
}): string {
  const user = context.session.onlineAccessInfo?.associated_user;
  const actor = user?.email || (user?.id != null ? String(user.id) : "") || context.sessionToken?.sub || "staff";
  return actor.slice(0, 255);
}

const REVIEW_LABELS: Record<ReviewStatus, string> = {
  NOT_NEEDED: "it needs no review",
  PENDING: "it is waiting for review",
  APPROVED: "it was already approved",
  REJECTED: "it was already rejected",
};

/**
 * Credits the order to the chosen creator (or to nobody) whatever its signals say, until the override is removed.
 * Null when the shop has no such order.
 */
export async function overrideAttribution(
  shop: Shop,
  orderId: string,
  input: { creatorId: string | null; reason: string },
  actor: string,
  options: ReviewOptions = {},
): Promise<ReviewResult | null> {
  const parsed = overrideSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { creatorId, reason } = parsed.data;

  return decide(shop, orderId, actor, options, async (tx, attribution) => {
    if (creatorId !== null) {
      const creator = await tx.creator.findFirst({ where: { id: creatorId, shopId: shop.id }, select: { id: true } });
      if (!creator) return { ok: false, fieldErrors: { creatorId: "Choose one of your creators, or Nobody" } };
    }
    await tx.attribution.update({
      where: { id: attribution.id },
      data: { overridden: true, overrideCreatorId: creatorId, overrideReason: reason },
    });
    return { action: "OVERRIDE_SET", fromCreatorId: attribution.creatorId, reason };
  });
}

/** Removes the merchant's override: the order is credited by its signals again. */
export async function clearOverride(
  shop: Shop,
  orderId: string,
  input: { reason: string },
  actor: string,
  options: ReviewOptions = {},
): Promise<ReviewResult | null> {
  const parsed = z.object({ reason: requiredReason }).safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { reason } = parsed.data;

  return decide(shop, orderId, actor, options, async (tx, attribution) => {
    if (!attribution.overridden) return { ok: false, formError: "This order has no override to remove." };
    await tx.attribution.update({
      where: { id: attribution.id },
      data: { overridden: false, overrideCreatorId: null, overrideReason: null },
    });
    return { action: "OVERRIDE_CLEARED", fromCreatorId: attribution.creatorId, reason };
  });
}

/** A flagged order's creator is paid after all: its held commission is posted. */
export async function approveReview(
  shop: Shop,
  orderId: string,
  input: { reason?: string | null },
  actor: string,
  options: ReviewOptions = {},
): Promise<ReviewResult | null> {
  const parsed = z.object({ reason: optionalReason }).safeParse({ reason: input.reason ?? "" });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return review(shop, orderId, "APPROVED", parsed.data.reason, actor, options);
}

/** A flagged order pays nobody; it keeps its credited creator, so reports still show where it came from. */
export async function rejectReview(
  shop: Shop,
  orderId: string,
  input: { reason: string },
  actor: string,
  options: ReviewOptions = {},
): Promise<ReviewResult | null> {
  const parsed = z.object({ reason: requiredReason }).safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return review(shop, orderId, "REJECTED", parsed.data.reason, actor, options);
}

function review(
  shop: Shop,
  orderId: string,
  decision: "APPROVED" | "REJECTED",
  reason: string,
  actor: string,
  options: ReviewOptions,
): Promise<ReviewResult | null> {
  const now = options.now ?? new Date();
  return decide(shop, orderId, actor, options, async (tx, attribution) => {
    if (attribution.reviewStatus !== "PENDING") {
      return {
        ok: false,
        formError: `This order cannot be ${decision === "APPROVED" ? "approved" : "rejected"}: ${
          REVIEW_LABELS[attribution.reviewStatus]
        }.`,
      };
    }
    await tx.attribution.update({ where: { id: attribution.id }, data: { reviewStatus: decision, reviewedAt: now } });
    return {
      action: decision === "APPROVED" ? "REVIEW_APPROVED" : "REVIEW_REJECTED",
      fromCreatorId: attribution.creatorId,
      reason,
    };
  });
}

interface Change {
  action: AttributionAuditAction;
  /** Who the order credited before the change. */
  fromCreatorId: string | null;
  reason: string;
}

type Refusal = Extract<ReviewResult, { ok: false }>;

/**
 * The transaction every decision shares: the order (scoped by shop), the per-order lock ingestion takes, the
 * attribution read under it, the change, the re-attribution and the audit row; then the settlements, after commit.
 * A refusal writes nothing. Null when the shop has no such order.
 */
async function decide(
  shop: Shop,
  orderId: string,
  actor: string,
  options: ReviewOptions,
  change: (tx: Tx, attribution: Attribution) => Promise<Change | Refusal>,
): Promise<ReviewResult | null> {
  if (!z.guid().safeParse(orderId).success) return null;
  const outcome = await prisma.$transaction(
    async (tx): Promise<ReviewResult | null> => {
      const order = await tx.order.findFirst({
        where: { id: orderId, shopId: shop.id },
        select: { id: true, shopifyOrderGid: true },
      });
      if (!order) return null;
      // The lock ingestion and reattributeOrder take (they take it again: it is re-entrant in one transaction), so a
      // webhook for this order waits for the decision and then sees it, and the decision sees the latest verdict.
      await lockOrder(tx, shop.id, order.shopifyOrderGid);
      const attribution = await tx.attribution.findFirst({ where: { orderId: order.id, shopId: shop.id } });
      if (!attribution)
        return { ok: false, formError: "This order has not been attributed yet: try again in a minute." };

      const decided = await change(tx, attribution);
      if ("ok" in decided) return decided;

      const reattributed = await reattributeOrder(tx, shop, order.id);
      if (!reattributed) throw new Error(`Order ${order.id} disappeared while its attribution was being changed`);
      const after = await tx.attribution.findUniqueOrThrow({
        where: { orderId: order.id },
        select: { creatorId: true, method: true, reviewStatus: true, overridden: true },
      });
      await tx.attributionAudit.create({
        data: {
          shopId: shop.id,
          orderId: order.id,
          action: decided.action,
          fromCreatorId: decided.fromCreatorId,
          toCreatorId: after.creatorId,
          reason: decided.reason,
          actor,
        },
      });
      return { ok: true, attribution: after, changedPeriods: reattributed.changedPeriods };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  if (outcome?.ok && outcome.changedPeriods.length > 0) {
    const queue = options.queue ?? commissionsQueue;
    await enqueueAfterCommit(() => enqueueSettlements(queue(), outcome.changedPeriods), { shopId: shop.id, orderId });
  }
  return outcome;
}

