import Decimal from "decimal.js";
import type { DeliverableKind } from "./contract-terms";

/**
 * The words the commission engine speaks: the facts it is given (orders, deliverables), what a creator is owed
 * for each source of pay (an entitlement), and the ledger entries that bring the ledger in line with it.
 * Amounts are integer minor units of the shop currency.
 */

export interface CommissionOrderLine {
  productGid: string | null;
  collectionGids: string[];
  /** The line's share of net merchandise after discounts and refunds. */
  netMinor: bigint;
}

/** An order attributed to the creator, as it stands now. */
export interface CommissionOrder {
  orderId: string;
  /** What the merchant sees, e.g. "#1001"; reasons name the order by it. */
  orderName: string;
  placedAt: Date;
  currencyCode: string;
  /** Merchandise after discounts, edits and refunds; without shipping or taxes. */
  netMerchandiseMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  cancelled: boolean;
  /** The customer's first order in the shop. */
  newCustomer: boolean;
  /**
   * When present, the lines sum to netMerchandiseMinor. When empty, rate overrides cannot apply and the whole net
   * earns the default rate.
   */
  lines: CommissionOrderLine[];
}

/** A piece of content the creator delivered (a post, a video...), paid by a flat fee when the contract has one. */
export interface Deliverable {
  id: string;
  kind: DeliverableKind;
  deliveredAt: Date;
  title: string;
}

export type LedgerEntryKind =
  | "COMMISSION"
  | "CPA"
  | "TIER_ADJUSTMENT"
  | "BONUS"
  | "RETAINER"
  | "BASE_FEE"
  | "FLAT_FEE"
  | "CAP_ADJUSTMENT"
  | "DRAW_ADVANCE"
  | "DRAW_RECOVERY"
  | "ADJUSTMENT"
  | "REVERSAL";

/**
 * What the creator is owed for one source of pay, given the facts now. The ledger for a sourceKey must sum to
 * amountMinor; reconcileEntries posts the difference.
 */
export interface Entitlement {
  sourceKey: string;
  kind: LedgerEntryKind;
  orderId: string | null;
  periodKey: string | null;
  amountMinor: bigint;
  reason: string;
}

/** A ledger entry already written, as far as reconciling needs it. */
export interface PostedEntry {
  sourceKey: string;
  amountMinor: bigint;
  /**
   * Where the entry belongs, when the caller has it (the ledger row does): a reversal of a source no longer owed
   * keeps it, which a deliverable's key alone cannot tell (it names no period).
   */
  orderId?: string | null;
  periodKey?: string | null;
}

/** A ledger entry to append; the idempotency key is unique in the ledger, so a replay or a race cannot post twice. */
export interface PlannedEntry {
  sourceKey: string;
  kind: LedgerEntryKind;
  orderId: string | null;
  periodKey: string | null;
  amountMinor: bigint;
  idempotencyKey: string;
  reason: string;
}

export type OrderSource = "revenue-share" | "cpa" | "tiered";
export type PeriodSource =
  | "tier-adjustment"
  | "bonus"
  | "retainer"
  | "base-fee"
  | "cap"
  | "draw-advance"
  | "draw-recovery";

/*
 * Source keys are stable per source of pay: the same order, period component or deliverable always maps to the
 * same key, whatever its amount, so the ledger can be summed per key and compared with what is owed now.
 */
export function orderSourceKey(orderId: string, source: OrderSource): string {
  return `order:${orderId}:${source}`;
}

export function periodSourceKey(periodKey: string, source: PeriodSource): string {
  return `period:${periodKey}:${source}`;
}

export function deliverableSourceKey(deliverableId: string): string {
  return `deliverable:${deliverableId}:flat-fee`;
}

export type ParsedSourceKey =
  | { scope: "order"; orderId: string; source: OrderSource }
  | { scope: "period"; periodKey: string; source: PeriodSource }
  | { scope: "deliverable"; deliverableId: string; source: "flat-fee" };

/**
 * Ids may contain colons (Shopify GIDs do), so the scope is before the first colon and the source after the last.
 * Null for keys this engine did not make (a manual adjustment's, say).
 */
export function parseSourceKey(sourceKey: string): ParsedSourceKey | null {
  const first = sourceKey.indexOf(":");
  const last = sourceKey.lastIndexOf(":");
  if (first < 0 || last <= first + 1) return null;
  const scope = sourceKey.slice(0, first);
  const id = sourceKey.slice(first + 1, last);
  const source = sourceKey.slice(last + 1);
  if (scope === "order" && (ORDER_SOURCES as readonly string[]).includes(source)) {
    return { scope, orderId: id, source: source as OrderSource };
  }
  if (scope === "period" && (PERIOD_SOURCES as readonly string[]).includes(source)) {
    return { scope, periodKey: id, source: source as PeriodSource };
  }
  if (scope === "deliverable" && source === "flat-fee") return { scope, deliverableId: id, source };
  return null;
}

const ORDER_SOURCES = ["revenue-share", "cpa", "tiered"] as const satisfies readonly OrderSource[];
const PERIOD_SOURCES = [
  "tier-adjustment",
  "bonus",
  "retainer",
  "base-fee",
  "cap",
  "draw-advance",
  "draw-recovery",
] as const satisfies readonly PeriodSource[];

/** Contract percents are strings with up to two decimals; reasons always show two ("12.50%"). */
export function formatPercent(percent: string): string {
  return `${new Decimal(percent).toFixed(2)}%`;
}
