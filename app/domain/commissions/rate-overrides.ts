import type { CommissionOrderLine } from "./commission-facts";
import type { ContractTerms, RateOverride } from "./contract-terms";

/*
 * Rates for specific products or collections (RateOverride on a revenue share). A product override applies to the
 * order lines of that product, which carry its gid; a collection override needs to know which products are in the
 * collection, which the app reads from Shopify for the collections some contract names (CollectionMemberships).
 */

/** Most overrides one revenue share takes: each is a row the merchant keeps up to date. */
export const MAX_RATE_OVERRIDES = 20;

export interface NamedCollection {
  gid: string;
  /** As the override names it (the title the merchant chose it by). */
  title: string;
}

/** The collections the terms pay a different rate on, each once, in the order the overrides list them. */
export function collectionsNamedBy(terms: ContractTerms): NamedCollection[] {
  const named = new Map<string, NamedCollection>();
  for (const component of terms.components) {
    if (component.kind !== "REVENUE_SHARE") continue;
    for (const override of component.overrides) {
      if (override.target.type === "COLLECTION" && !named.has(override.target.gid)) {
        named.set(override.target.gid, { gid: override.target.gid, title: override.target.title });
      }
    }
  }
  return [...named.values()];
}

/** Whether orders need their products' collections to be paid under these terms. */
export function namesCollections(terms: ContractTerms): boolean {
  return collectionsNamedBy(terms).length > 0;
}

/** Which of the shop's synced collections each product is in: product gid → collection gids. */
export type CollectionMemberships = ReadonlyMap<string, readonly string[]>;

export const NO_MEMBERSHIPS: CollectionMemberships = new Map();

export function membershipsFrom(rows: readonly { productGid: string; collectionGid: string }[]): CollectionMemberships {
  const memberships = new Map<string, string[]>();
  for (const row of rows) {
    const collections = memberships.get(row.productGid) ?? [];
    if (!collections.includes(row.collectionGid)) collections.push(row.collectionGid);
    memberships.set(row.productGid, collections);
  }
  for (const collections of memberships.values()) collections.sort();
  return memberships;
}

/** The collections a line's product is in (none for a line without a product, e.g. a custom item). */
export function collectionsOfLine(productGid: string | null, memberships: CollectionMemberships): string[] {
  return productGid === null ? [] : [...(memberships.get(productGid) ?? [])];
}

/**
 * The first override of each target that another override before it already names, as "path → message" for the
 * form (the engine would only ever use the first one, so a second is a mistake the merchant should see).
 */
export function duplicateOverrideTargets(overrides: readonly Pick<RateOverride, "target">[]): Map<number, string> {
  const seen = new Set<string>();
  const duplicates = new Map<number, string>();
  overrides.forEach((override, index) => {
    const key = `${override.target.type}/${override.target.gid}`;
    if (override.target.gid !== "" && seen.has(key)) {
      const what = override.target.type === "PRODUCT" ? "product" : "collection";
      duplicates.set(index, `This ${what} already has a rate above: change that one instead`);
    }
    seen.add(key);
  });
  return duplicates;
}

/** A line as the engine reads it: its product and the collections that product is in now. */
export function commissionLine(
  line: { productGid: string | null; netMinor: bigint },
  memberships: CollectionMemberships,
): CommissionOrderLine {
  return { productGid: line.productGid, collectionGids: collectionsOfLine(line.productGid, memberships), netMinor: line.netMinor };
}
