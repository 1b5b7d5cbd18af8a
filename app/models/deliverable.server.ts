import { TZDate } from "@date-fns/tz";
import type { Queue } from "bullmq";
import { format, isMatch } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import { payPeriodOf } from "~/domain/commissions/pay-period";
import { enqueueSettlements } from "~/jobs/commissions-worker.server";
import { commissionsQueue, type SettleCreatorPeriodJob } from "~/queues.server";
import { markPeriodChanged, type CreatorPeriodRef } from "~/services/post-commissions.server";
import { DELIVERABLE_KINDS, enqueueAfterCommit } from "./contract.server";
import { fieldErrorsOf } from "~/utils/field-errors";

export interface DeliverableRow {
  id: string;
  kind: (typeof DELIVERABLE_KINDS)[number];
  title: string;
  url: string | null;
  deliveredAt: Date;
}

/** The form's fields: `kind`, `title`, `url` (optional), `deliveredOn` (YYYY-MM-DD in the shop's timezone). */
export type DeliverableFieldErrors = Partial<Record<"kind" | "title" | "url" | "deliveredOn", string>>;

export type AddDeliverableResult =
  | { ok: true; deliverableId: string; period: CreatorPeriodRef }
  | { ok: false; fieldErrors: DeliverableFieldErrors };

/** The creator's deliverables, most recently delivered first. */
export async function listDeliverables(shopId: string, creatorId: string): Promise<DeliverableRow[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  return prisma.deliverable.findMany({
    where: { shopId, creatorId },
    orderBy: [{ deliveredAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, kind: true, title: true, url: true, deliveredAt: true },
  });
}

function deliverableSchema(timezone: string, now: Date) {
  const today = format(new TZDate(now.getTime(), timezone), "yyyy-MM-dd");
  return z.object({
    kind: z.enum(DELIVERABLE_KINDS, { error: "Choose what the creator delivered" }),
    title: z
      .string()
      .trim()
      .min(1, "Enter a title, like “Unboxing video”")
      .max(200, "Keep the title under 200 characters"),
    url: z
      .string()
      .trim()
      .max(2048, "The link is too long")
      .transform((value) => (value === "" ? null : value))
      .pipe(z.url({ protocol: /^https?$/, error: "Enter a link starting with https://, or leave it blank" }).nullable()),
    deliveredOn: z
      .string()
      .trim()
      .min(1, "Enter the day it was delivered")
      .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isMatch(value, "yyyy-MM-dd"), {
        error: "Enter a date like 2026-11-05",
        abort: true,
      })
      .refine((value) => value <= today, "Choose today or an earlier day: a deliverable cannot be delivered in the future"),
  });
}

/**
 * Records a deliverable. Flat-fee contracts pay per deliverable, so the pay period it was delivered in is settled
 * again (the settlement is enqueued after commit). Null when the shop has no such creator.
 */
export async function addDeliverable(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
  now = new Date(),
  queue: () => Queue<SettleCreatorPeriodJob> = commissionsQueue,
): Promise<AddDeliverableResult | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  const [shop, creator] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId } }),
    prisma.creator.findFirst({ where: { id: creatorId, shopId }, select: { id: true } }),
  ]);
  if (!shop || !creator) return null;

  const parsed = deliverableSchema(shop.timezone, now).safeParse({
    kind: text(raw.kind),
    title: text(raw.title),
    url: text(raw.url),
    deliveredOn: text(raw.deliveredOn),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { kind, title, url, deliveredOn } = parsed.data;
  const deliveredAt = deliveryInstant(deliveredOn, shop.timezone, now);

  const { deliverable, period } = await prisma.$transaction(async (tx) => {
    const deliverable = await tx.deliverable.create({ data: { shopId, creatorId, kind, title, url, deliveredAt } });
    const period = await markPeriodChanged(tx, { shopId, creatorId, periodKey: payPeriodOf(deliveredAt, shop.timezone) });
    return { deliverable, period };
  });
  await enqueueAfterCommit(() => enqueueSettlements(queue(), [period]), { shopId, creatorId, periodKey: period.periodKey });
  return { ok: true, deliverableId: deliverable.id, period };
}

/**
 * Noon of the day in the shop's timezone (so the day reads the same in UTC for all but the farthest timezones),
 * or now when noon today has not come yet: a deliverable is never recorded in the future.
 */
function deliveryInstant(day: string, timezone: string, now: Date): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const noon = new Date(new TZDate(year, month - 1, date, 12, 0, 0, timezone).getTime());
  return noon > now ? now : noon;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
