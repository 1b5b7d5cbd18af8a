import { randomUUID } from "node:crypto";
import { Prisma, type Contract, type Order, type Shop } from "@prisma/client";
import { COMMISSIONABLE_REVIEW_STATUSES } from "./attribute-order.server";
import { addDays } from "date-fns";
import type { CommissionOrder, Deliverable, Entitlement, PlannedEntry } from "~/domain/commissions/commission-facts";
import type { ContractTerms } from "~/domain/commissions/contract-terms";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { orderEntitlements } from "~/domain/commissions/order-entitlements";
import { payPeriodBounds, payPeriodOf } from "~/domain/commissions/pay-period";
import { periodDependsOnOrders, periodPaysWithoutOrders } from "~/domain/commissions/period-dependencies";
import { creatorPeriodEntitlements } from "~/domain/commissions/period-entitlements";
import {
  commissionLine,
  membershipsFrom,
  namesCollections,
  NO_MEMBERSHIPS,
  type CollectionMemberships,
} from "~/domain/commissions/rate-overrides";
import { reconcileEntries } from "~/domain/commissions/reconcile-entries";
import { versionInForce } from "~/domain/commissions/version-in-force";
import { reversalAvailableAt } from "~/domain/ledger/reversal-available-at";

export interface CreatorPeriodRef {
  shopId: string;
  creatorId: string;
  periodKey: string;
  /** The change this reference announces; the period job settles it or finds it already settled. */
  changeVersion: number;
}

type Tx = Prisma.TransactionClient;

/**
 * Brings the order's ledger entries in line with what the order earns now, for every creator it ever paid or
 * pays now. Returns the pay periods whose period-level pay (tiers, bonuses, caps, draws) the change affects.
 */
export async function postOrderCommissions(
  tx: Tx,
  shop: Shop,
  order: Order,
  creatorId: string | null,
  cause: string,
  /** created: the order was created in this transaction, so nothing is posted for it yet. */
  options: { created: boolean } = { created: false },
): Promise<CreatorPeriodRef[]> {
  const posted = options.created
    ? []
    : await tx.ledgerEntry.findMany({
        where: { shopId: shop.id, orderId: order.id },
        select: { creatorId: true, sourceKey: true, amountMinor: true, availableAt: true },
      });
  const creatorIds = new Set(posted.map((entry) => entry.creatorId));
  if (creatorId) creatorIds.add(creatorId);

  const periodKey = payPeriodOf(order.processedAt, shop.timezone);
  const changed: CreatorPeriodRef[] = [];
  for (const id of [...creatorIds].sort()) {
    const terms = id === creatorId ? await termsInForce(tx, shop.id, id, order.processedAt) : null;
    const memberships = terms && namesCollections(terms) ? await collectionMembershipsOf(tx, shop.id, [order]) : NO_MEMBERSHIPS;
    const expected = terms ? orderEntitlements(commissionOrderOf(order, memberships), terms) : [];
    const creatorPosted = posted.filter((entry) => entry.creatorId === id);
    const plan = reconcileEntries(expected, creatorPosted, {
      currencyCode: order.currencyCode,
      orderNames: { [order.id]: order.name },
      cause,
    });
    await appendEntries(tx, shop, id, plan, periodKey, (entry) =>
      entry.kind === "REVERSAL"
        ? reversalAvailableAt(creatorPosted, entry.sourceKey, new Date())
        : addDays(order.processedAt, shop.holdDays),
    );
    const currentTerms = terms ?? (await termsInForce(tx, shop.id, id, order.processedAt));
    // A period with orders is a period the contract is active in: its fixed pay is owed as well.
    if (currentTerms && (periodDependsOnOrders(currentTerms) || periodPaysWithoutOrders(currentTerms))) {
      changed.push(await markPeriodChanged(tx, { shopId: shop.id, creatorId: id, periodKey }));
    }
  }
  return changed;
}

/** Records that a creator's period needs settling; the returned version identifies this change. */
export async function markPeriodChanged(
  tx: Tx,
  ref: Omit<CreatorPeriodRef, "changeVersion">,
): Promise<CreatorPeriodRef> {
  const period = await tx.creatorPeriod.upsert({
    where: { creatorId_periodKey: { creatorId: ref.creatorId, periodKey: ref.periodKey } },
    create: { shopId: ref.shopId, creatorId: ref.creatorId, periodKey: ref.periodKey },
    update: { changeVersion: { increment: 1 } },
  });
  return { ...ref, changeVersion: period.changeVersion };
}

export type SettleOutcome = { settled: true; posted: number; next: CreatorPeriodRef | null } | { settled: false };

/**
 * Posts what the creator's period as a whole owes beyond its orders: retainer, base fee, flat fees, tier top-up,
 * bonus, cap and draw, recomputed from the period's facts. One settlement per creator and period at a time.
 */
export async function settleCreatorPeriod(tx: Tx, ref: Omit<CreatorPeriodRef, "changeVersion">): Promise<SettleOutcome> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`period/${ref.creatorId}/${ref.periodKey}`}, 0))`;
  const state = await tx.creatorPeriod.findUnique({
    where: { creatorId_periodKey: { creatorId: ref.creatorId, periodKey: ref.periodKey } },
  });
  if (!state || state.shopId !== ref.shopId || state.settledVersion >= state.changeVersion) return { settled: false };

  const shop = await tx.shop.findUniqueOrThrow({ where: { id: ref.shopId } });
  const { endExclusive, orders, deliverables } = await loadCreatorPeriod(tx, shop, ref.creatorId, ref.periodKey);
  const earlierDraws = await tx.ledgerEntry.aggregate({
    where: {
      shopId: shop.id,
      creatorId: ref.creatorId,
      periodKey: { lt: ref.periodKey },
      OR: [{ sourceKey: { endsWith: ":draw-advance" } }, { sourceKey: { endsWith: ":draw-recovery" } }],
    },
    _sum: { amountMinor: true },
  });

  const expected = creatorPeriodEntitlements({
    periodKey: ref.periodKey,
    versions: await contractVersions(tx, shop.id, ref.creatorId),
    orders,
    deliverables,
    drawOutstandingBefore: earlierDraws._sum.amountMinor ?? 0n,
    currencyCode: shop.currencyCode,
    timezone: shop.timezone,
  });
  // Only the period job's own sources: manual adjustments and order entries are not its to reconcile.
  const posted = await tx.ledgerEntry.findMany({
    where: {
      shopId: shop.id,
      creatorId: ref.creatorId,
      periodKey: ref.periodKey,
      OR: [{ sourceKey: { startsWith: "period:" } }, { sourceKey: { startsWith: "deliverable:" } }],
    },
    select: { sourceKey: true, amountMinor: true, availableAt: true },
  });
  const plan = reconcileEntries(expected, posted, {
    currencyCode: shop.currencyCode,
    deliverableTitles: Object.fromEntries(deliverables.map((d) => [d.id, d.title])),
    cause: "the period's facts changed",
  });
  await appendEntries(tx, shop, ref.creatorId, plan, ref.periodKey, (entry) =>
    entry.kind === "REVERSAL"
      ? reversalAvailableAt(posted, entry.sourceKey, new Date())
      : addDays(endExclusive, isFixedPay(entry) ? 0 : shop.holdDays),
  );
  await tx.creatorPeriod.update({ where: { id: state.id }, data: { settledVersion: state.changeVersion } });

  // A draw carried into the next period changes what that period recovers.
  const drawChanged = plan.some((entry) => /:draw-(advance|recovery)$/.test(entry.sourceKey));
  const nextPeriodKey = payPeriodOf(endExclusive, shop.timezone);
  const next =
    drawChanged && (await tx.creatorPeriod.findUnique({ where: { creatorId_periodKey: { creatorId: ref.creatorId, periodKey: nextPeriodKey } } }))
      ? await markPeriodChanged(tx, { shopId: shop.id, creatorId: ref.creatorId, periodKey: nextPeriodKey })
      : null;
  return { settled: true, posted: plan.length, next };
}

/**
 * What a creator's pay period is made of: the attributed orders placed in it (held or rejected ones do not count)
 * and the deliverables delivered in it. The settlement and the contract preview read the same facts.
 */
export async function loadCreatorPeriod(
  db: Tx,
  shop: Pick<Shop, "id" | "timezone">,
  creatorId: string,
  periodKey: string,
): Promise<{ start: Date; endExclusive: Date; orders: CommissionOrder[]; deliverables: Deliverable[] }> {
  const { start, endExclusive } = payPeriodBounds(periodKey, shop.timezone);
  const [orders, deliverables] = await Promise.all([
    db.order.findMany({
      where: {
        shopId: shop.id,
        processedAt: { gte: start, lt: endExclusive },
        attribution: { creatorId, reviewStatus: { in: COMMISSIONABLE_REVIEW_STATUSES } },
      },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
    }),
    db.deliverable.findMany({
      where: { shopId: shop.id, creatorId, deliveredAt: { gte: start, lt: endExclusive } },
      orderBy: [{ deliveredAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const memberships = await collectionMembershipsOf(db, shop.id, orders);
  return { start, endExclusive, orders: orders.map((order) => commissionOrderOf(order, memberships)), deliverables };
}

function isFixedPay(entry: Pick<Entitlement, "kind">): boolean {
  return entry.kind === "RETAINER" || entry.kind === "BASE_FEE" || entry.kind === "FLAT_FEE";
}

async function appendEntries(
  tx: Tx,
  shop: Shop,
  creatorId: string,
  plan: PlannedEntry[],
  periodKey: string,
  availableAt: (entry: PlannedEntry) => Date,
): Promise<void> {
  if (plan.length === 0) return;
  const createdAt = new Date();
  // Raw SQL: every order posts here, and Prisma's query compiler costs more than the insert. Source keys repeat
  // across creators (an order that changes hands), the idempotency key must not.
  const rows = plan.map(
    (entry) => Prisma.sql`(${randomUUID()}::uuid, ${shop.id}::uuid, ${creatorId}::uuid, ${entry.orderId ?? null}::uuid,
      ${entry.kind}::"LedgerEntryKind", ${entry.sourceKey}, ${entry.periodKey ?? periodKey}, ${availableAt(entry)},
      ${entry.amountMinor}, ${shop.currencyCode}, ${`${creatorId}/${entry.idempotencyKey}`}, ${entry.reason}, ${createdAt})`,
  );
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("id", "shopId", "creatorId", "orderId", "kind", "sourceKey", "periodKey", "availableAt",
                               "amountMinor", "currencyCode", "idempotencyKey", "reason", "createdAt")
    VALUES ${Prisma.join(rows)}`;
}

async function termsInForce(tx: Tx, shopId: string, creatorId: string, at: Date): Promise<ContractTerms | null> {
  return versionInForce(await contractVersions(tx, shopId, creatorId), at)?.terms ?? null;
}

async function contractVersions(tx: Tx, shopId: string, creatorId: string) {
  // Two versions effective at the same instant: the one saved later wins. Raw SQL: this runs for every order, and
  // Prisma's query compiler costs more than the query.
  const rows = await tx.$queryRaw<Pick<Contract, "effectiveFrom" | "terms">[]>`
    SELECT "effectiveFrom", "terms" FROM "Contract" WHERE "shopId" = ${shopId}::uuid AND "creatorId" = ${creatorId}::uuid
    ORDER BY "effectiveFrom" ASC, "createdAt" ASC`;
  return rows.map((row) => ({ effectiveFrom: row.effectiveFrom, terms: parseTerms(row.terms) }));
}

/** The lines ingestion stored on the order: each line's product and share of net merchandise. */
function storedLines(order: Pick<Order, "lines">): { productGid: string | null; netMinor: bigint }[] {
  const lines = (order.lines as { productGid: string | null; netMinor: string }[] | null) ?? [];
  return lines.map((line) => ({ productGid: line.productGid, netMinor: BigInt(line.netMinor) }));
}

/** Which synced collections the orders' products are in (CollectionProduct, kept by the collection sync). */
export async function collectionMembershipsOf(
  db: Tx,
  shopId: string,
  orders: readonly Pick<Order, "lines">[],
): Promise<CollectionMemberships> {
  const productGids = [
    ...new Set(orders.flatMap((order) => storedLines(order).flatMap((line) => (line.productGid ? [line.productGid] : [])))),
  ];
  if (productGids.length === 0) return NO_MEMBERSHIPS;
  const rows = await db.collectionProduct.findMany({
    where: { shopId, productGid: { in: productGids } },
    select: { productGid: true, collectionGid: true },
  });
  return membershipsFrom(rows);
}

/** The order as the commission engine reads it; its lines carry the collections their products are in now. */
export function commissionOrderOf(order: Order, memberships: CollectionMemberships = NO_MEMBERSHIPS): CommissionOrder {
  return {
    orderId: order.id,
    orderName: order.name,
    placedAt: order.processedAt,
    currencyCode: order.currencyCode,
    netMerchandiseMinor: order.netMerchandiseMinor,
    shippingMinor: order.shippingMinor,
    taxMinor: order.totalTaxMinor,
    cancelled: order.cancelledAt !== null,
    newCustomer: order.newCustomer,
    lines: storedLines(order).map((line) => commissionLine(line, memberships)),
  };
}
