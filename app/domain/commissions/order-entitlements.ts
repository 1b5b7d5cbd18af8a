import { formatMoney } from "../money";
import {
  formatPercent,
  orderSourceKey,
  type CommissionOrder,
  type CommissionOrderLine,
  type Entitlement,
} from "./commission-facts";
import type { Component, ContractTerms, RateOverride, RevenueBasis } from "./contract-terms";
import { percentToBasisPoints, roundedShare } from "./revenue-share";

type RevenueShare = Extract<Component, { kind: "REVENUE_SHARE" }>;
type Cpa = Extract<Component, { kind: "CPA" }>;
type TieredRevenueShare = Extract<Component, { kind: "TIERED_REVENUE_SHARE" }>;

/**
 * What one order earns its creator under the contract, given the order as it is now: a revenue share, a CPA and
 * the first tier of a tiered share (the period job tops tiers up once the period's total is known). A cancelled
 * order earns nothing, so reconciling reverses whatever it had earned.
 */
export function orderEntitlements(order: CommissionOrder, terms: ContractTerms | null): Entitlement[] {
  if (terms === null || order.cancelled) return [];
  const entitlements: Entitlement[] = [];
  for (const component of terms.components) {
    const entitlement = componentEntitlement(order, component, terms.revenueBasis);
    if (entitlement && entitlement.amountMinor !== 0n) entitlements.push(entitlement);
  }
  return entitlements;
}

function componentEntitlement(order: CommissionOrder, component: Component, basis: RevenueBasis): Entitlement | null {
  switch (component.kind) {
    case "REVENUE_SHARE":
      return revenueShare(order, component, basis);
    case "CPA":
      return cpa(order, component);
    case "TIERED_REVENUE_SHARE":
      return firstTierShare(order, component, basis);
    default:
      return null; // paid per period or per deliverable
  }
}

/** The order's revenue as the contract counts it: net merchandise, plus shipping and taxes when the basis says so. */
export function orderRevenueMinor(order: CommissionOrder, basis: RevenueBasis): bigint {
  return (
    order.netMerchandiseMinor +
    (basis.includeShipping ? order.shippingMinor : 0n) +
    (basis.includeTaxes ? order.taxMinor : 0n)
  );
}

/**
 * Lines matching an override earn its rate; everything else (the rest of net merchandise, shipping, taxes) earns
 * the default rate. The default part is net merchandise minus the overridden lines, so the order's net stays the
 * authority even if its lines were not passed. The whole order is one ledger entry, so the exact sum is rounded once.
 */
function revenueShare(order: CommissionOrder, component: RevenueShare, basis: RevenueBasis): Entitlement {
  const money = (minor: bigint) => formatMoney(minor, order.currencyCode);
  const defaultBasisPoints = percentToBasisPoints(component.percent);

  const overridden = new Map<RateOverride, bigint>();
  for (const line of order.lines) {
    const override = overrideFor(line, component.overrides);
    if (override) overridden.set(override, (overridden.get(override) ?? 0n) + line.netMinor);
  }
  const overriddenNet = [...overridden.values()].reduce((sum, net) => sum + net, 0n);
  const defaultMerchandise = order.netMerchandiseMinor - overriddenNet;
  const shipping = basis.includeShipping ? order.shippingMinor : 0n;
  const taxes = basis.includeTaxes ? order.taxMinor : 0n;

  // Amounts times basis points: exact, in ten-thousandths of a minor unit; roundedShare(weighted, 1) divides by
  // 10 000 with the one rounding rule.
  let weighted = (defaultMerchandise + shipping + taxes) * defaultBasisPoints;
  for (const [override, net] of overridden) weighted += net * percentToBasisPoints(override.percent);
  const amountMinor = roundedShare(weighted, 1n);

  const defaultParts: [bigint, string][] = [[defaultMerchandise, `${money(defaultMerchandise)} net merchandise`]];
  if (basis.includeShipping) defaultParts.push([shipping, `${money(shipping)} shipping`]);
  if (basis.includeTaxes) defaultParts.push([taxes, `${money(taxes)} taxes`]);

  let reason: string;
  if (overridden.size === 0) {
    const defaultBasis = defaultParts.map(([, words]) => words).join(" + ");
    reason = `${formatPercent(component.percent)} revenue share of ${defaultBasis} on order ${order.orderName}`;
  } else {
    // Next to overrides, parts of the default basis that are zero only add noise.
    const defaultBasis = defaultParts
      .filter(([amount]) => amount !== 0n)
      .map(([, words]) => words)
      .join(" + ");
    const parts = [...overridden].map(
      ([override, net]) => `${formatPercent(override.percent)} of ${money(net)} on ${override.target.title}`,
    );
    if (defaultBasis !== "") parts.unshift(`${formatPercent(component.percent)} of ${defaultBasis}`);
    reason = `Revenue share on order ${order.orderName}: ${parts.join(", ")}`;
  }
  return {
    sourceKey: orderSourceKey(order.orderId, "revenue-share"),
    kind: "COMMISSION",
    orderId: order.orderId,
    periodKey: null,
    amountMinor,
    reason,
  };
}

/** A product override is more specific than a collection override, so it wins; among equals, the first listed wins. */
function overrideFor(line: CommissionOrderLine, overrides: readonly RateOverride[]): RateOverride | undefined {
  return (
    overrides.find(
      (o) => o.target.type === "PRODUCT" && line.productGid !== null && o.target.gid === line.productGid,
    ) ?? overrides.find((o) => o.target.type === "COLLECTION" && line.collectionGids.includes(o.target.gid))
  );
}

function cpa(order: CommissionOrder, component: Cpa): Entitlement | null {
  if (component.newCustomersOnly && !order.newCustomer) return null;
  const amount = formatMoney(component.amountMinor, order.currencyCode);
  return {
    sourceKey: orderSourceKey(order.orderId, "cpa"),
    kind: "CPA",
    orderId: order.orderId,
    periodKey: null,
    amountMinor: component.amountMinor,
    reason: component.newCustomersOnly
      ? `${amount} CPA for order ${order.orderName} from a new customer`
      : `${amount} CPA for order ${order.orderName}`,
  };
}

/**
 * Posted as soon as the order arrives, at the first tier's rate, so the creator sees pay without waiting for the
 * period to close; the period's tier adjustment adds the rest.
 */
function firstTierShare(order: CommissionOrder, component: TieredRevenueShare, basis: RevenueBasis): Entitlement {
  const firstTier = firstTierOf(component);
  const revenue = orderRevenueMinor(order, basis);
  return {
    sourceKey: orderSourceKey(order.orderId, "tiered"),
    kind: "COMMISSION",
    orderId: order.orderId,
    periodKey: null,
    amountMinor: firstTierShareMinor(order, component, basis),
    reason:
      `${formatPercent(firstTier.percent)} first-tier revenue share of ${formatMoney(revenue, order.currencyCode)} ` +
      `${basisLabel(basis)} on order ${order.orderName} (higher tiers settle when the period closes)`,
  };
}

/** What an order posts for a tiered revenue share; the period's tier adjustment counts on exactly this amount. */
export function firstTierShareMinor(
  order: CommissionOrder,
  component: TieredRevenueShare,
  basis: RevenueBasis,
): bigint {
  if (order.cancelled) return 0n;
  return roundedShare(orderRevenueMinor(order, basis), percentToBasisPoints(firstTierOf(component).percent));
}

function firstTierOf(component: TieredRevenueShare) {
  const firstTier = component.tiers[0];
  if (!firstTier) throw new RangeError("A tiered revenue share needs at least one tier");
  return firstTier;
}

/** "net merchandise", "net merchandise and shipping", "net merchandise, shipping and taxes". */
export function basisLabel(basis: RevenueBasis): string {
  const parts = ["net merchandise"];
  if (basis.includeShipping) parts.push("shipping");
  if (basis.includeTaxes) parts.push("taxes");
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
