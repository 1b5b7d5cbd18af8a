import { Prisma, type OrderSync, type OrderSyncKind, type PrismaClient } from "@prisma/client";
import type { Queue } from "bullmq";
import { inboxJobId, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { SHOPIFY_API_VERSION } from "~/shopify.server";
import { ORDERS_COUNT_QUERY, ORDERS_PAGE_QUERY } from "~/shopify/admin-operations";
import type { AdminGraphql } from "./admin-api.server";

/** Inbox topic of an order read through Admin GraphQL; processed by the same pipeline as orders/updated. */
export const ORDERS_SYNC_TOPIC = "ORDERS_SYNC";
export const ORDERS_PAGE_SIZE = 50;
/** Reconciliation re-reads a little before the last sync: orders updated while it ran are not skipped. */
export const RECONCILE_OVERLAP_MS = 10 * 60_000;
export const RECONCILE_EVERY_MS = 15 * 60_000;

export class OrderSyncRunningError extends Error {
  override name = "OrderSyncRunningError";
}

/** Starts an import (or a reconciliation) unless one is already running for the shop. */
export async function startOrderSync(
  db: PrismaClient,
  shopId: string,
  kind: OrderSyncKind,
  updatedSince: Date | null,
): Promise<OrderSync> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`order-sync/${shopId}`}, 0))`;
    const running = await tx.orderSync.findFirst({ where: { shopId, status: "RUNNING" } });
    if (running) {
      throw new OrderSyncRunningError(
        running.kind === "IMPORT" ? "An import is already running for this shop" : "A reconciliation is running; try again in a minute",
      );
    }
    return tx.orderSync.create({ data: { shopId, kind, updatedSince } });
  });
}

export async function latestOrderSync(db: PrismaClient, shopId: string, kind?: OrderSyncKind): Promise<OrderSync | null> {
  return db.orderSync.findFirst({ where: { shopId, ...(kind ? { kind } : {}) }, orderBy: { startedAt: "desc" } });
}

export interface SyncPageResult {
  done: boolean;
  queued: number;
}

/**
 * Reads one page of the shop's orders and puts each order into the inbox, exactly like a webhook delivery (an
 * order already seen at the same updatedAt is a duplicate and skipped). The cursor is saved with the page, so a
 * crash or a throttle resumes where it stopped.
 */
export async function syncOrdersPage(
  db: PrismaClient,
  admin: AdminGraphql,
  inbox: Queue<ProcessInboxEventJob>,
  syncId: string,
): Promise<SyncPageResult> {
  const sync = await db.orderSync.findUnique({ where: { id: syncId }, include: { shop: true } });
  if (!sync || sync.status !== "RUNNING") return { done: true, queued: 0 };
  if (sync.shop.uninstalledAt) {
    await finish(db, sync.id, "FAILED", "The app was uninstalled from the shop");
    return { done: true, queued: 0 };
  }
  const query = sync.updatedSince ? `updated_at:>='${sync.updatedSince.toISOString()}'` : null;
  if (sync.ordersTotal === null) {
    const counted = await admin<{ ordersCount: { count: number } | null }>(ORDERS_COUNT_QUERY, { query });
    await db.orderSync.update({ where: { id: sync.id }, data: { ordersTotal: counted.ordersCount?.count ?? null } });
  }

  const page = await admin<{
    orders: { nodes: { id: string; updatedAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  }>(ORDERS_PAGE_QUERY, { first: ORDERS_PAGE_SIZE, after: sync.cursor, query });
  const events = page.orders.nodes.map((node) => ({
    shopDomain: sync.shop.domain,
    eventId: `sync-${node.id}-${node.updatedAt}`,
    payload: node,
  }));
  const inserted = events.length
    ? await db.$queryRaw<{ eventId: string }[]>`
        INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
        SELECT gen_random_uuid(), e."shopDomain", e."eventId", ${sync.id}, ${ORDERS_SYNC_TOPIC}, ${SHOPIFY_API_VERSION}, now(), e.payload
        FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS e("shopDomain" text, "eventId" text, payload jsonb)
        ON CONFLICT ("shopDomain", "eventId") DO NOTHING
        RETURNING "eventId"`
    : [];

  const done = !page.orders.pageInfo.hasNextPage;
  const latest = page.orders.nodes.reduce<Date | null>((max, node) => {
    const at = new Date(node.updatedAt);
    return !max || at > max ? at : max;
  }, null);
  await db.$transaction([
    db.orderSync.update({
      where: { id: sync.id },
      data: {
        cursor: page.orders.pageInfo.endCursor ?? sync.cursor,
        ordersQueued: { increment: events.length },
        ...(done ? { status: "SUCCEEDED", finishedAt: new Date() } : {}),
      },
    }),
    ...(done
      ? [
          db.shop.update({
            where: { id: sync.shopId },
            data: { ordersSyncedThrough: maxDate(sync.shop.ordersSyncedThrough, latest ?? sync.startedAt) },
          }),
        ]
      : []),
  ]);
  if (inserted.length) {
    await inbox.addBulk(
      inserted.map(({ eventId }) => {
        const data = { shopDomain: sync.shop.domain, eventId };
        return { name: JOB.processInboxEvent, data, opts: { jobId: inboxJobId(data) } };
      }),
    );
  }
  return { done, queued: events.length };
}

export async function failOrderSync(db: PrismaClient, syncId: string, error: string): Promise<void> {
  await finish(db, syncId, "FAILED", error);
}

async function finish(db: PrismaClient, syncId: string, status: "SUCCEEDED" | "FAILED", error: string | null) {
  await db.orderSync.updateMany({
    where: { id: syncId, status: "RUNNING" },
    data: { status, finishedAt: new Date(), error: error?.slice(0, 2000) ?? null },
  });
}

/** Installed shops due a reconciliation: no sync running, and the last one finished a while ago. */
export async function shopsDueForReconcile(db: PrismaClient, now = new Date()) {
  return db.$queryRaw<{ id: string; ordersSyncedThrough: Date | null }[]>(Prisma.sql`
    SELECT s.id, s."ordersSyncedThrough"
    FROM "Shop" s
    WHERE s."uninstalledAt" IS NULL
      AND EXISTS (SELECT 1 FROM "Session" x WHERE x.shop = s.domain AND x."isOnline" = false)
      AND NOT EXISTS (SELECT 1 FROM "OrderSync" r WHERE r."shopId" = s.id AND r.status = 'RUNNING')
      AND NOT EXISTS (
        SELECT 1 FROM "OrderSync" r WHERE r."shopId" = s.id
          AND r."startedAt" > ${new Date(now.getTime() - RECONCILE_EVERY_MS).toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
}

export function reconcileSince(ordersSyncedThrough: Date | null, now = new Date()): Date {
  // A shop never synced reconciles the last day: older history is what the merchant's import is for.
  const from = ordersSyncedThrough ?? new Date(now.getTime() - 24 * 3_600_000);
  return new Date(from.getTime() - RECONCILE_OVERLAP_MS);
}

function maxDate(a: Date | null, b: Date): Date {
  return a && a > b ? a : b;
}
