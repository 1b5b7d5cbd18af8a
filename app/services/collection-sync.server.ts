import type { CollectionSync, Prisma, PrismaClient, Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { parseCollectionPayload } from "~/domain/catalog/parse-collection-payload";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { collectionsNamedBy, type NamedCollection } from "~/domain/commissions/rate-overrides";
import { ordersInOpenPeriods } from "~/domain/ledger/open-periods";
import { COLLECTION_PRODUCTS_QUERY } from "~/shopify/admin-operations";
import type { AdminGraphql } from "./admin-api.server";
import { commissionCreatorOf } from "./attribute-order.server";
import { lockOrder } from "./ingest-order.server";
import { postOrderCommissions, type CreatorPeriodRef } from "./post-commissions.server";

/*
 * Collection rates need to know which products a collection holds. The app reads that from Shopify for the
 * collections some contract names, and only those: a CollectionSync row per collection, its products in
 * CollectionProduct. A pass reads the collection page by page (250 products each, Shopify's most), one
 * shopify-admin job per page, resuming from the stored cursor after a throttle or a crash. When a pass changes
 * which products the collection holds, the orders with those products are posted again for the creators whose
 * contracts name the collection, in their pay periods not yet paid out (posting appends only the difference).
 *
 * A pass is asked for when a contract version naming the collection is saved, when Shopify sends
 * collections/update or collections/delete, and daily (smart collections change without a webhook when a
 * product's attributes change).
 */

type Tx = Prisma.TransactionClient;

/** A collection's products are read again at least this often. */
export const COLLECTION_REFRESH_EVERY_MS = 24 * 3_600_000;
/** A sync with work left that nothing touched for this long lost its job (Redis flushed, worker killed). */
export const COLLECTION_SYNC_STALLED_AFTER_MS = 60_000;
const REPOST_BATCH = 25;

/** A sync whose next step a shopify-admin job should run; `step` tells one sync's jobs apart (job ids). */
export interface CollectionSyncStepRef {
  shopId: string;
  syncId: string;
  step: string;
}

export type CollectionSyncOutcome =
  | { state: "missing" | "idle" }
  | { state: "reading"; productsRead: number; next: CollectionSyncStepRef }
  | {
      state: "synced" | "deleted" | "failed";
      changedProducts: number;
      repostedOrders: number;
      changedPeriods: CreatorPeriodRef[];
      /** Asked for again while this pass ran: another pass follows. */
      next: CollectionSyncStepRef | null;
    };

/**
 * Asks for a pass over each collection (creating its sync on first use). A sync already reading finishes its pass
 * and then starts another, since the request came after it started; the others are queued now, and their refs
 * returned for the caller to enqueue once its transaction has committed.
 */
export async function requestCollectionSyncs(
  tx: Tx,
  shopId: string,
  collections: readonly NamedCollection[],
  now = new Date(),
): Promise<CollectionSyncStepRef[]> {
  const refs: CollectionSyncStepRef[] = [];
  for (const collection of collections) {
    const sync = await tx.collectionSync.upsert({
      where: { shopId_collectionGid: { shopId, collectionGid: collection.gid } },
      create: { shopId, collectionGid: collection.gid, title: collection.title, requestedAt: now },
      update: { requestedAt: now },
    });
    if (sync.status === "RUNNING") continue;
    if (sync.status !== "QUEUED") {
      await tx.collectionSync.update({ where: { id: sync.id }, data: { status: "QUEUED", error: null } });
    }
    refs.push({ shopId, syncId: sync.id, step: `r${now.getTime()}` });
  }
  return refs;
}

/**
 * collections/update and collections/delete: a collection some contract names is read again (a deleted one reads
 * as gone). Collections no contract names are none of the app's business.
 */
export async function applyCollectionWebhook(tx: Tx, shop: Shop, payload: unknown, now = new Date()): Promise<CollectionSyncStepRef[]> {
  const { collectionGid, title } = parseCollectionPayload(payload);
  const sync = await tx.collectionSync.findUnique({ where: { shopId_collectionGid: { shopId: shop.id, collectionGid } } });
  if (!sync) return [];
  return requestCollectionSyncs(tx, shop.id, [{ gid: collectionGid, title: title ?? sync.title }], now);
}

/**
 * Runs the sync's next step: posts the orders of a finished pass's changes if that is left to do, starts a queued
 * pass, or reads the next page of the current one (finishing the pass after its last page).
 */
export async function stepCollectionSync(
  db: PrismaClient,
  admin: AdminGraphql,
  syncId: string,
  now = new Date(),
): Promise<CollectionSyncOutcome> {
  let sync = await db.collectionSync.findUnique({ where: { id: syncId } });
  if (!sync) return { state: "missing" };
  const changedPeriods: CreatorPeriodRef[] = [];
  let repostedOrders = 0;
  let changedProducts = 0;

  if (sync.status !== "RUNNING" && sync.changedProductGids.length > 0) {
    // The last pass's changes are not all posted yet (a crash, or a request came first): post them before reading on.
    changedProducts = sync.changedProductGids.length;
    const reposted = await repostChangedProducts(db, sync);
    repostedOrders += reposted.orders;
    changedPeriods.push(...reposted.changedPeriods);
    sync = await db.collectionSync.findUniqueOrThrow({ where: { id: syncId } });
  }

  if (sync.status === "QUEUED") {
    const started = await db.collectionSync.updateMany({
      where: { id: sync.id, status: "QUEUED", pass: sync.pass },
      data: { status: "RUNNING", pass: sync.pass + 1, cursor: null, productsRead: 0, startedAt: now, error: null },
    });
    if (started.count === 0) return { state: "idle" };
    sync = await db.collectionSync.findUniqueOrThrow({ where: { id: syncId } });
  }

  if (sync.status !== "RUNNING") {
    if (changedPeriods.length === 0 && repostedOrders === 0 && changedProducts === 0) return { state: "idle" };
    const state = sync.status === "DELETED" ? "deleted" : sync.status === "FAILED" ? "failed" : "synced";
    return { state, changedProducts, repostedOrders, changedPeriods, next: null };
  }

  const page = await readPage(db, admin, sync, now);
  if (page.state !== "finished") return page;

  const finished = await db.collectionSync.findUniqueOrThrow({ where: { id: syncId } });
  const reposted = await repostChangedProducts(db, finished);
  changedPeriods.push(...reposted.changedPeriods);
  // A request that came while the pass ran may have missed pages already read: read the collection again.
  const again = await db.collectionSync.updateMany({
    where: { id: syncId, status: finished.status, requestedAt: { gt: finished.startedAt ?? now } },
    data: { status: "QUEUED" },
  });
  return {
    state: page.gone ? "deleted" : "synced",
    changedProducts: page.changedProducts,
    repostedOrders: repostedOrders + reposted.orders,
    changedPeriods,
    next: again.count > 0 ? { shopId: sync.shopId, syncId, step: `again-${finished.pass}` } : null,
  };
}

type PageOutcome =
  | { state: "idle" }
  | { state: "reading"; productsRead: number; next: CollectionSyncStepRef }
  | { state: "finished"; gone: boolean; changedProducts: number };

async function readPage(db: PrismaClient, admin: AdminGraphql, sync: CollectionSync, now: Date): Promise<PageOutcome> {
  const data = await admin<{
    collection: {
      title: string;
      products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } | null;
  }>(COLLECTION_PRODUCTS_QUERY, { id: sync.collectionGid, after: sync.cursor });

  return db.$transaction(async (tx): Promise<PageOutcome> => {
    const [current] = await tx.$queryRaw<{ status: string; pass: number; cursor: string | null }[]>`
      SELECT status::text AS status, pass, cursor FROM "CollectionSync" WHERE id = ${sync.id}::uuid FOR UPDATE`;
    // Another job read this page first (a duplicate step): its outcome stands.
    if (!current || current.status !== "RUNNING" || current.pass !== sync.pass || current.cursor !== sync.cursor) {
      return { state: "idle" };
    }
    const collection = data.collection;
    if (!collection) return { state: "finished", gone: true, changedProducts: await finishPass(tx, sync, null, now) };

    const productGids = collection.products.nodes.map((product) => product.id);
    if (productGids.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "CollectionProduct" ("syncId", "shopId", "collectionGid", "productGid", "addedInPass", "seenInPass")
        SELECT ${sync.id}::uuid, ${sync.shopId}::uuid, ${sync.collectionGid}, gid, ${sync.pass}, ${sync.pass}
        FROM unnest(${productGids}::text[]) AS gid
        ON CONFLICT ("syncId", "productGid") DO UPDATE SET "seenInPass" = EXCLUDED."seenInPass"`;
    }
    const productsRead = sync.productsRead + productGids.length;
    const { hasNextPage, endCursor } = collection.products.pageInfo;
    if (hasNextPage && endCursor) {
      await tx.collectionSync.update({
        where: { id: sync.id },
        data: { cursor: endCursor, productsRead, title: collection.title },
      });
      return { state: "reading", productsRead, next: { shopId: sync.shopId, syncId: sync.id, step: `p${sync.pass}-${productsRead}` } };
    }
    await tx.collectionSync.update({ where: { id: sync.id }, data: { productsRead, title: collection.title } });
    return { state: "finished", gone: false, changedProducts: await finishPass(tx, sync, collection.title, now) };
  });
}

/**
 * The pass has read every page (or found the collection gone): products it did not see are no longer in the
 * collection, and every product added or removed is recorded for its orders to be posted again.
 */
async function finishPass(tx: Tx, sync: CollectionSync, title: string | null, now: Date): Promise<number> {
  const removed = await tx.$queryRaw<{ productGid: string }[]>`
    DELETE FROM "CollectionProduct"
    WHERE "syncId" = ${sync.id}::uuid AND (${title === null}::boolean OR "seenInPass" < ${sync.pass}::int)
    RETURNING "productGid"`;
  const added = await tx.collectionProduct.findMany({
    where: { syncId: sync.id, addedInPass: sync.pass },
    select: { productGid: true },
  });
  const changed = [...added.map((row) => row.productGid), ...removed.map((row) => row.productGid)];
  const [row] = await tx.$queryRaw<{ changed: number }[]>`
    UPDATE "CollectionSync"
    SET status = ${title === null ? "DELETED" : "SYNCED"}::"CollectionSyncStatus",
        cursor = NULL,
        "syncedAt" = ${now},
        "updatedAt" = ${now},
        "changedProductGids" = ARRAY(SELECT DISTINCT unnest("changedProductGids" || ${changed}::text[]) ORDER BY 1)
    WHERE id = ${sync.id}::uuid
    RETURNING cardinality("changedProductGids")::int AS changed`;
  return row?.changed ?? 0;
}

/**
 * Posts again the orders with a changed product, for the creators whose contracts name the collection, in their
 * pay periods no payout has touched; then forgets the changes it handled.
 */
async function repostChangedProducts(
  db: PrismaClient,
  sync: Pick<CollectionSync, "id" | "shopId" | "collectionGid" | "title" | "changedProductGids">,
): Promise<{ orders: number; changedPeriods: CreatorPeriodRef[] }> {
  const changed = sync.changedProductGids;
  if (changed.length === 0) return { orders: 0, changedPeriods: [] };
  const shop = await db.shop.findUniqueOrThrow({ where: { id: sync.shopId } });
  const creatorIds = await creatorsNamingCollection(db, shop.id, sync.collectionGid);
  const changedPeriods: CreatorPeriodRef[] = [];
  let orders: { id: string; creatorId: string; processedAt: Date }[] = [];
  if (creatorIds.length > 0) {
    const candidates = await db.$queryRaw<{ id: string; creatorId: string; processedAt: Date }[]>`
      SELECT o.id::text AS id, a."creatorId"::text AS "creatorId", o."processedAt"
      FROM "Order" o JOIN "Attribution" a ON a."orderId" = o.id
      WHERE o."shopId" = ${shop.id}::uuid
        AND a."creatorId" = ANY(${creatorIds}::uuid[])
        AND EXISTS (
          SELECT 1 FROM jsonb_array_elements(o.lines) AS line WHERE line->>'productGid' = ANY(${changed}::text[])
        )
      ORDER BY o."processedAt", o.id`;
    const paidPeriods = await db.$queryRaw<{ creatorId: string; periodKey: string }[]>`
      SELECT DISTINCT e."creatorId"::text AS "creatorId", e."periodKey"
      FROM "LedgerEntry" e JOIN "PayoutItem" p ON p."ledgerEntryId" = e.id
      WHERE e."shopId" = ${shop.id}::uuid AND e."creatorId" = ANY(${creatorIds}::uuid[]) AND e."periodKey" IS NOT NULL`;
    orders = ordersInOpenPeriods(candidates, paidPeriods, shop.timezone);
  }

  const cause = `the products of collection ${sync.title} changed`;
  for (let start = 0; start < orders.length; start += REPOST_BATCH) {
    const batch = orders.slice(start, start + REPOST_BATCH);
    const periods = await db.$transaction(
      async (tx) => {
        const refs: CreatorPeriodRef[] = [];
        for (const { id } of batch) refs.push(...(await repostOrder(tx, shop, id, cause)));
        return refs;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    changedPeriods.push(...periods);
  }
  await db.$executeRaw`
    UPDATE "CollectionSync"
    SET "changedProductGids" = ARRAY(SELECT unnest("changedProductGids") EXCEPT SELECT unnest(${changed}::text[]) ORDER BY 1),
        "updatedAt" = now()
    WHERE id = ${sync.id}::uuid`;
  return { orders: orders.length, changedPeriods };
}

/** The order's ledger brought in line with what it earns now, for whoever its credit goes to (not re-attributed). */
async function repostOrder(tx: Tx, shop: Shop, orderId: string, cause: string): Promise<CreatorPeriodRef[]> {
  const found = await tx.order.findUnique({ where: { id: orderId }, select: { shopifyOrderGid: true } });
  if (!found) return [];
  await lockOrder(tx, shop.id, found.shopifyOrderGid);
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { attribution: true } });
  const { attribution, ...row } = order;
  return postOrderCommissions(tx, shop, row, attribution ? commissionCreatorOf(attribution) : null, cause);
}

/** Creators with a contract version (past, current or scheduled) that pays a rate on the collection. */
async function creatorsNamingCollection(db: PrismaClient | Tx, shopId: string, collectionGid: string): Promise<string[]> {
  const contracts = await db.contract.findMany({ where: { shopId }, select: { creatorId: true, terms: true } });
  const creators = new Set<string>();
  for (const contract of contracts) {
    if (collectionsNamedBy(parseTerms(contract.terms)).some((collection) => collection.gid === collectionGid)) {
      creators.add(contract.creatorId);
    }
  }
  return [...creators].sort();
}

/**
 * The last job of a pass failed for good: the products read before stay (the daily refresh tries again), and those
 * the failed pass added already count for orders posted since, so the orders posted before are posted again too.
 */
/** Marks the shop's sync failed (the job's shop id and sync id must agree: a job names both). */
export async function failCollectionSync(db: PrismaClient, ref: { shopId: string; syncId: string }, message: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "CollectionSync"
    SET status = 'FAILED'::"CollectionSyncStatus",
        cursor = NULL,
        error = ${message.slice(0, 2000)},
        "updatedAt" = now(),
        "changedProductGids" = ARRAY(
          SELECT DISTINCT unnest("changedProductGids" || ARRAY(
            SELECT p."productGid" FROM "CollectionProduct" p
            WHERE p."syncId" = "CollectionSync".id AND p."addedInPass" = "CollectionSync".pass AND status = 'RUNNING'
          )) ORDER BY 1)
    WHERE id = ${ref.syncId}::uuid AND "shopId" = ${ref.shopId}::uuid AND status IN ('QUEUED', 'RUNNING')`;
}

/**
 * What the shopify-admin sweeper enqueues: syncs due their daily pass (those no contract names any more are
 * dropped instead), and syncs with work left whose job was lost.
 */
export async function collectionSyncStepsDue(db: PrismaClient, now = new Date(), limit = 200): Promise<CollectionSyncStepRef[]> {
  const refreshBefore = new Date(now.getTime() - COLLECTION_REFRESH_EVERY_MS);
  const due = await db.collectionSync.findMany({
    where: {
      shop: { uninstalledAt: null },
      changedProductGids: { isEmpty: true },
      OR: [
        { status: "SYNCED", syncedAt: { lt: refreshBefore } },
        // A failed pass is tried again a day later, not at every sweep; a deleted collection is only dropped.
        { status: { in: ["FAILED", "DELETED"] }, updatedAt: { lt: refreshBefore } },
      ],
    },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  const refs: CollectionSyncStepRef[] = [];
  const namedByShop = new Map<string, Set<string>>();
  for (const sync of due) {
    let named = namedByShop.get(sync.shopId);
    if (!named) {
      const contracts = await db.contract.findMany({ where: { shopId: sync.shopId }, select: { terms: true } });
      named = new Set(contracts.flatMap((contract) => collectionsNamedBy(parseTerms(contract.terms)).map((c) => c.gid)));
      namedByShop.set(sync.shopId, named);
    }
    if (!named.has(sync.collectionGid)) {
      // No contract pays a rate on it any more: its products are not needed.
      await db.collectionSync.delete({ where: { id: sync.id } });
      continue;
    }
    if (sync.status === "DELETED") {
      // Still named by a contract: looked at again in a day.
      await db.collectionSync.update({ where: { id: sync.id }, data: { updatedAt: now } });
      continue;
    }
    refs.push(...(await db.$transaction((tx) => requestCollectionSyncs(tx, sync.shopId, [{ gid: sync.collectionGid, title: sync.title }], now))));
  }

  const stalled = await db.collectionSync.findMany({
    where: {
      updatedAt: { lt: new Date(now.getTime() - COLLECTION_SYNC_STALLED_AFTER_MS) },
      shop: { uninstalledAt: null },
      OR: [{ status: { in: ["QUEUED", "RUNNING"] } }, { changedProductGids: { isEmpty: false } }],
    },
    select: { id: true, shopId: true },
    take: limit,
  });
  const minute = Math.floor(now.getTime() / 60_000);
  for (const sync of stalled) {
    if (!refs.some((ref) => ref.syncId === sync.id)) refs.push({ shopId: sync.shopId, syncId: sync.id, step: `sweep-${minute}` });
  }
  return refs;
}

export interface CollectionSyncView {
  gid: string;
  title: string;
  status: CollectionSync["status"];
  productsCount: number;
  syncedAt: Date | null;
  error: string | null;
}

/** How far the app has read the collections given (for the contract page); a collection never asked for is absent. */
export async function collectionSyncViews(
  shopId: string,
  collectionGids: readonly string[],
  db: PrismaClient = prisma,
): Promise<CollectionSyncView[]> {
  if (collectionGids.length === 0) return [];
  const syncs = await db.collectionSync.findMany({
    where: { shopId, collectionGid: { in: [...collectionGids] } },
    include: { _count: { select: { products: true } } },
  });
  return syncs.map((sync) => ({
    gid: sync.collectionGid,
    title: sync.title,
    status: sync.status,
    productsCount: sync._count.products,
    syncedAt: sync.syncedAt,
    error: sync.error,
  }));
}
