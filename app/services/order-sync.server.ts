import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { Prisma, type OrderSync, type OrderSyncKind, type PrismaClient } from "@prisma/client";
import type { Queue } from "bullmq";
import { inboxJobId, JOB, type ProcessInboxEventJob } from "~/queues.server";
import { SHOPIFY_API_VERSION } from "~/shopify.server";
import {
  BULK_OPERATION_QUERY,
  BULK_OPERATION_RUN_QUERY_MUTATION,
  bulkOrdersQuery,
  ORDERS_COUNT_QUERY,
} from "~/shopify/admin-operations";
import type { AdminGraphql } from "./admin-api.server";

/** Inbox topic of an order read through Admin GraphQL; processed by the same pipeline as orders/updated. */
export const ORDERS_SYNC_TOPIC = "ORDERS_SYNC";
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
    // An import and a reconciliation may overlap (they feed the same idempotent inbox; Shopify runs up to five
    // bulk queries per shop), but two of the same kind would only repeat each other.
    const running = await tx.orderSync.findFirst({ where: { shopId, status: "RUNNING", kind } });
    if (running) {
      throw new OrderSyncRunningError(
        kind === "IMPORT" ? "An import is already running for this shop" : "A reconciliation is already running for this shop",
      );
    }
    return tx.orderSync.create({ data: { shopId, kind, updatedSince } });
  });
}

export async function latestOrderSync(db: PrismaClient, shopId: string, kind?: OrderSyncKind): Promise<OrderSync | null> {
  return db.orderSync.findFirst({ where: { shopId, ...(kind ? { kind } : {}) }, orderBy: { startedAt: "desc" } });
}

export type SyncStep =
  | { state: "started" | "running"; pollAgainMs: number }
  | { state: "done"; queued: number }
  | { state: "failed"; error: string };

export const BULK_POLL_MS = 2_000;
const INBOX_BATCH = 500;

/**
 * Moves a sync one step: starts Shopify's bulk operation over the shop's orders, then polls it, then streams its
 * JSONL result into the inbox, each order exactly like a webhook delivery. Every step can be repeated after a
 * crash: the operation id is stored, and re-reading the result only finds the rows it already inserted.
 */
export async function stepOrderSync(
  db: PrismaClient,
  admin: AdminGraphql,
  inbox: Queue<ProcessInboxEventJob>,
  syncId: string,
  download: (url: string) => Promise<Response> = (url) => fetch(url),
): Promise<SyncStep> {
  const sync = await db.orderSync.findUnique({ where: { id: syncId }, include: { shop: true } });
  if (!sync || sync.status !== "RUNNING") return { state: "done", queued: 0 };
  if (sync.shop.uninstalledAt) return fail(db, sync.id, "The app was uninstalled from the shop");
  const search = sync.updatedSince ? `updated_at:>='${sync.updatedSince.toISOString()}'` : null;

  if (!sync.bulkOperationGid) {
    const counted = await admin<{ ordersCount: { count: number } | null }>(ORDERS_COUNT_QUERY, { query: search });
    const started = await admin<{
      bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code: string | null }[] };
    }>(BULK_OPERATION_RUN_QUERY_MUTATION, { query: bulkOrdersQuery(search) });
    const { bulkOperation, userErrors } = started.bulkOperationRunQuery;
    if (!bulkOperation) {
      // Another app process (or the merchant's other sync) holds the shop's one bulk query: wait for it.
      if (userErrors.some((error) => error.code === "OPERATION_IN_PROGRESS")) return { state: "running", pollAgainMs: 10_000 };
      return fail(db, sync.id, `Shopify refused the bulk query: ${userErrors.map((e) => e.message).join("; ")}`);
    }
    await db.orderSync.update({
      where: { id: sync.id },
      data: { bulkOperationGid: bulkOperation.id, ordersTotal: counted.ordersCount?.count ?? null },
    });
    return { state: "started", pollAgainMs: BULK_POLL_MS };
  }

  const { bulkOperation } = await admin<{
    bulkOperation: { status: string; errorCode: string | null; url: string | null; rootObjectCount: string } | null;
  }>(BULK_OPERATION_QUERY, { id: sync.bulkOperationGid });
  if (!bulkOperation) return fail(db, sync.id, "Shopify no longer knows the bulk operation");
  if (bulkOperation.status === "CREATED" || bulkOperation.status === "RUNNING") return { state: "running", pollAgainMs: BULK_POLL_MS };
  if (bulkOperation.status !== "COMPLETED") {
    return fail(db, sync.id, `Shopify's bulk operation ended ${bulkOperation.status.toLowerCase()}${bulkOperation.errorCode ? ` (${bulkOperation.errorCode})` : ""}`);
  }

  const queued = bulkOperation.url ? await queueBulkResult(db, inbox, sync, await download(bulkOperation.url)) : 0;
  const latest = await db.$queryRaw<{ max: Date | null }[]>`
    SELECT max("shopifyUpdatedAt") AS max FROM "Order" WHERE "shopId" = ${sync.shopId}::uuid`;
  await db.$transaction([
    db.orderSync.update({ where: { id: sync.id }, data: { status: "SUCCEEDED", finishedAt: new Date(), ordersQueued: queued } }),
    db.shop.update({
      where: { id: sync.shopId },
      data: { ordersSyncedThrough: maxDate(sync.shop.ordersSyncedThrough, latest[0]?.max ?? sync.startedAt) },
    }),
  ]);
  return { state: "done", queued };
}

/** Streams the JSONL (an order's line items and shipping lines follow it, naming it in __parentId) into the inbox. */
async function queueBulkResult(
  db: PrismaClient,
  inbox: Queue<ProcessInboxEventJob>,
  sync: OrderSync & { shop: { domain: string } },
  response: Response,
): Promise<number> {
  if (!response.ok || !response.body) throw new Error(`Downloading the bulk result failed: HTTP ${response.status}`);
  const lines = createInterface({ input: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), crlfDelay: Infinity });
  let queued = 0;
  let batch: BulkOrder[] = [];
  let current: BulkOrder | null = null;
  const flush = async () => {
    if (batch.length === 0) return;
    await queueOrders(db, inbox, sync, batch);
    queued += batch.length;
    batch = [];
    await db.orderSync.update({ where: { id: sync.id }, data: { ordersQueued: queued } });
  };
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const object = JSON.parse(line) as Record<string, unknown> & { id?: string; __parentId?: string };
    if (!object.__parentId) {
      if (current) batch.push(current);
      if (batch.length >= INBOX_BATCH) await flush();
      current = { ...object, lineItems: { nodes: [] }, shippingLines: { nodes: [] } } as unknown as BulkOrder;
      continue;
    }
    if (!current || object.__parentId !== current.id) throw new Error(`Bulk result line for ${object.__parentId} is not after its order`);
    const { __parentId: _parent, ...child } = object;
    if (child.id?.startsWith("gid://shopify/LineItem/")) current.lineItems.nodes.push(child);
    else if (child.id?.startsWith("gid://shopify/ShippingLine/")) current.shippingLines.nodes.push(child);
  }
  if (current) batch.push(current);
  await flush();
  return queued;
}

type BulkOrder = Record<string, unknown> & {
  id: string;
  updatedAt: string;
  lineItems: { nodes: unknown[] };
  shippingLines: { nodes: unknown[] };
};

async function queueOrders(db: PrismaClient, inbox: Queue<ProcessInboxEventJob>, sync: OrderSync & { shop: { domain: string } }, orders: BulkOrder[]) {
  // Keyed by the sync too: each sync accounts for (and shows progress on) every order it read; an order read twice
  // is processed twice, which changes nothing (the newest updated_at wins, the ledger takes only differences).
  const events = orders.map((order) => ({
    shopDomain: sync.shop.domain,
    eventId: `sync-${sync.id}-${order.id}-${order.updatedAt}`,
    payload: order,
  }));
  const inserted = await db.$queryRaw<{ eventId: string }[]>`
    INSERT INTO "InboxEvent" ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
    SELECT gen_random_uuid(), e."shopDomain", e."eventId", ${sync.id}, ${ORDERS_SYNC_TOPIC}, ${SHOPIFY_API_VERSION}, now(), e.payload
    FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS e("shopDomain" text, "eventId" text, payload jsonb)
    ON CONFLICT ("shopDomain", "eventId") DO NOTHING
    RETURNING "eventId"`;
  if (inserted.length === 0) return;
  await inbox.addBulk(
    inserted.map(({ eventId }) => {
      const data = { shopId: sync.shopId, shopDomain: sync.shop.domain, eventId };
      return { name: JOB.processInboxEvent, data, opts: { jobId: inboxJobId(data) } };
    }),
  );
}

async function fail(db: PrismaClient, syncId: string, error: string): Promise<SyncStep> {
  await finish(db, { id: syncId }, "FAILED", error);
  return { state: "failed", error };
}

/** Marks the shop's sync failed (the job's shop id and sync id must agree: a job names both). */
export async function failOrderSync(db: PrismaClient, ref: { shopId: string; syncId: string }, error: string): Promise<void> {
  await finish(db, { id: ref.syncId, shopId: ref.shopId }, "FAILED", error);
}

async function finish(db: PrismaClient, sync: { id: string; shopId?: string }, status: "SUCCEEDED" | "FAILED", error: string | null) {
  await db.orderSync.updateMany({
    where: { ...sync, status: "RUNNING" },
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
      AND NOT EXISTS (SELECT 1 FROM "OrderSync" r WHERE r."shopId" = s.id AND r.status = 'RUNNING' AND r.kind = 'RECONCILE')
      AND NOT EXISTS (
        SELECT 1 FROM "OrderSync" r WHERE r."shopId" = s.id AND r.kind = 'RECONCILE'
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
