import { z } from "zod";
import { CATALOG_COLLECTIONS_QUERY, CATALOG_PRODUCTS_QUERY, CATALOG_VARIANTS_QUERY, VARIANT_UNIT_COST_QUERY } from "~/shopify/admin-operations";
import { titlePrefixQuery } from "~/shopify/search-syntax";
import type { AdminGraphql } from "./admin-api.server";

/** What the pickers ask for: the kind (products and collections for contracts, variants for seeding costs), and what the merchant typed. */
export const catalogSearchSchema = z.object({
  type: z.enum(["PRODUCT", "COLLECTION", "VARIANT"], { error: "Search products, collections or variants" }),
  q: z.string().max(100, "Type at most 100 characters").default(""),
});

export type CatalogSearch = z.infer<typeof catalogSearchSchema>;

export interface CatalogMatch {
  type: CatalogSearch["type"];
  gid: string;
  title: string;
  /** A word on what was found: how many products a collection holds, a product that is not on sale, a variant's SKU and cost. */
  detail: string | null;
  /** Variants: what seeding cost needs to know (null for products and collections). */
  variant: VariantFacts | null;
}

/** A product variant as a seeding cost records it. */
export interface VariantFacts {
  gid: string;
  productGid: string;
  productTitle: string;
  /** "Default Title" for a product without options. */
  variantTitle: string;
  /** Product and variant title as Shopify shows them together ("Linen Shirt - M"). */
  displayName: string;
  sku: string | null;
  imageUrl: string | null;
  /** The variant's cost per item in Shopify (InventoryItem.unitCost); null when the merchant never entered one. */
  unitCost: { amount: string; currencyCode: string } | null;
}

/** How many matches a picker shows. */
export const CATALOG_SEARCH_LIMIT = 10;

const PRODUCT_STATUS_LABELS: Record<string, string> = { DRAFT: "Draft", ARCHIVED: "Archived", UNLISTED: "Unlisted" };

interface CostVariantNode {
  id: string;
  title: string;
  displayName: string;
  sku: string | null;
  image: { url: string } | null;
  product: { id: string; title: string; featuredMedia: { preview: { image: { url: string } | null } | null } | null };
  inventoryItem: { unitCost: { amount: string; currencyCode: string } | null };
}

/** The shop's products, collections or variants matching what the merchant typed. */
export async function searchCatalog(admin: AdminGraphql, search: CatalogSearch): Promise<CatalogMatch[]> {
  if (search.type === "VARIANT") {
    const data = await admin<{ productVariants: { nodes: CostVariantNode[] } }>(CATALOG_VARIANTS_QUERY, {
      query: anyFieldPrefixQuery(search.q),
      first: CATALOG_SEARCH_LIMIT,
    });
    return data.productVariants.nodes.map((node) => {
      const variant = variantFacts(node);
      return { type: "VARIANT", gid: variant.gid, title: variant.displayName, detail: variantDetail(variant), variant };
    });
  }
  const variables = { query: titlePrefixQuery(search.q), first: CATALOG_SEARCH_LIMIT };
  if (search.type === "PRODUCT") {
    const data = await admin<{ products: { nodes: { id: string; title: string; status: string }[] } }>(CATALOG_PRODUCTS_QUERY, variables);
    return data.products.nodes.map((product) => ({
      type: "PRODUCT",
      gid: product.id,
      title: product.title,
      detail: PRODUCT_STATUS_LABELS[product.status] ?? null,
      variant: null,
    }));
  }
  const data = await admin<{
    collections: { nodes: { id: string; title: string; productsCount: { count: number; precision: string } | null }[] };
  }>(CATALOG_COLLECTIONS_QUERY, variables);
  return data.collections.nodes.map((collection) => ({
    type: "COLLECTION",
    gid: collection.id,
    title: collection.title,
    detail: collection.productsCount ? productsCountLabel(collection.productsCount) : null,
    variant: null,
  }));
}

/** The variant as Shopify holds it now; null when the shop has no such variant (deleted since it was picked). */
export async function findVariant(admin: AdminGraphql, variantGid: string): Promise<VariantFacts | null> {
  const data = await admin<{ productVariant: CostVariantNode | null }>(VARIANT_UNIT_COST_QUERY, { id: variantGid });
  return data.productVariant ? variantFacts(data.productVariant) : null;
}

function variantFacts(node: CostVariantNode): VariantFacts {
  return {
    gid: node.id,
    productGid: node.product.id,
    productTitle: node.product.title,
    variantTitle: node.title,
    displayName: node.displayName,
    sku: node.sku === "" ? null : node.sku,
    imageUrl: node.image?.url ?? node.product.featuredMedia?.preview?.image?.url ?? null,
    unitCost: node.inventoryItem.unitCost,
  };
}

/** "SKU LIN-M · cost 12.5 USD", "no cost in Shopify". */
function variantDetail(variant: VariantFacts): string {
  const cost = variant.unitCost ? `cost ${variant.unitCost.amount} ${variant.unitCost.currencyCode}` : "no cost in Shopify";
  return variant.sku ? `SKU ${variant.sku} · ${cost}` : cost;
}

/** Search syntax's special characters; `*` is dropped instead (the query adds its own). */
const SPECIAL = /[\\:()"']/g;
const MAX_WORDS = 6;

/**
 * Words starting with each word typed, in any of the resource's default search fields: "linen m" → `linen* m*`.
 * Null for blank input: no filter.
 */
function anyFieldPrefixQuery(text: string): string | null {
  const words = text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/\*/g, ""))
    .filter((word) => word !== "" && !/^(AND|OR|NOT)$/.test(word))
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((word) => `${word.replace(/^-/, "").replace(SPECIAL, (char) => `\\${char}`)}*`).join(" ");
}

function productsCountLabel({ count, precision }: { count: number; precision: string }): string {
  const atLeast = precision === "AT_LEAST" ? "+" : "";
  return `${count}${atLeast} ${count === 1 && !atLeast ? "product" : "products"}`;
}
