import { TZDate } from "@date-fns/tz";
import type { OrderSync, Shop } from "@prisma/client";
import { format, subDays } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import { ORDERS_SYNC_TOPIC, latestOrderSync } from "~/services/order-sync.server";

export interface OrderSyncProgress {
  id: string;
  kind: OrderSync["kind"];
  status: OrderSync["status"];
  updatedSince: string | null;
  ordersTotal: number | null;
  ordersQueued: number;
  /** Orders of this sync that went through the pipeline (attributed and commissioned). */
  ordersProcessed: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export async function orderSyncProgress(shop: Shop): Promise<{ latestImport: OrderSyncProgress | null; latestReconcile: OrderSyncProgress | null }> {
  const [latestImport, latestReconcile] = await Promise.all([
    latestOrderSync(prisma, shop.id, "IMPORT"),
    latestOrderSync(prisma, shop.id, "RECONCILE"),
  ]);
  return { latestImport: latestImport && (await progressOf(shop, latestImport)), latestReconcile: latestReconcile && (await progressOf(shop, latestReconcile)) };
}

async function progressOf(shop: Shop, sync: OrderSync): Promise<OrderSyncProgress> {
  const ordersProcessed = await prisma.inboxEvent.count({
    where: { shopDomain: shop.domain, webhookId: sync.id, topic: ORDERS_SYNC_TOPIC, processedAt: { not: null } },
  });
  return {
    id: sync.id,
    kind: sync.kind,
    status: sync.status,
    updatedSince: sync.updatedSince?.toISOString() ?? null,
    ordersTotal: sync.ordersTotal,
    ordersQueued: sync.ordersQueued,
    ordersProcessed,
    startedAt: sync.startedAt.toISOString(),
    finishedAt: sync.finishedAt?.toISOString() ?? null,
    error: sync.error,
  };
}

export const importFormSchema = z.object({
  since: z
    .string({ error: "Enter a date like 2026-01-31, or leave it blank for all orders" })
    .trim()
    .refine((value) => value === "" || /^\d{4}-\d{2}-\d{2}$/.test(value), "Enter a date like 2026-01-31, or leave it blank for all orders"),
});

/** The import's start in the shop's timezone; blank = the shop's whole history. */
export function importSince(shop: Shop, raw: Record<string, unknown>, now = new Date()):
  | { ok: true; since: Date | null }
  | { ok: false; fieldErrors: { since: string } } {
  const parsed = importFormSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: { since: parsed.error.issues[0]!.message } };
  if (parsed.data.since === "") return { ok: true, since: null };
  const [year, month, day] = parsed.data.since.split("-").map(Number) as [number, number, number];
  const since = new TZDate(year, month - 1, day, shop.timezone);
  if (Number.isNaN(since.getTime()) || since.getDate() !== day) return { ok: false, fieldErrors: { since: "That date does not exist" } };
  if (since > now) return { ok: false, fieldErrors: { since: "Choose a date in the past" } };
  return { ok: true, since: new Date(since.getTime()) };
}

export function defaultImportSince(shop: Shop, now = new Date()): string {
  return format(new TZDate(subDays(now, 90).getTime(), shop.timezone), "yyyy-MM-dd");
}
