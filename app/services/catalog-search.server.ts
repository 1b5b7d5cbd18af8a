import { z } from "zod";
import { CATALOG_COLLECTIONS_QUERY, CATALOG_PRODUCTS_QUERY } from "~/shopify/admin-operations";
import { titlePrefixQuery } from "~/shopify/search-syntax";
import type { AdminGraphql } from "./admin-api.server";

/** What the contract form's product and collection pickers ask for: the kind, and what the merchant typed. */
export const catalogSearchSchema = z.object({
  type: z.enum(["PRODUCT", "COLLECTION"], { error: "Search products or collections" }),
  q: z.string().max(100, "Type at most 100 characters").default(""),
});

export type CatalogSearch = z.infer<typeof catalogSearchSchema>;

export interface CatalogMatch {
  type: CatalogSearch["type"];
  gid: string;
  title: string;
  /** A word on what was found: how many products a collection holds, or a product that is not on sale. */
  detail: string | null;
}

/** How many matches a picker shows. */
export const CATALOG_SEARCH_LIMIT = 10;

const PRODUCT_STATUS_LABELS: Record<string, string> = { DRAFT: "Draft", ARCHIVED: "Archived", UNLISTED: "Unlisted" };

/** The shop's products or collections whose titles have words starting with each word typed, by title. */
export async function searchCatalog(admin: AdminGraphql, search: CatalogSearch): Promise<CatalogMatch[]> {
  const variables = { query: titlePrefixQuery(search.q), first: CATALOG_SEARCH_LIMIT };
  if (search.type === "PRODUCT") {
    const data = await admin<{ products: { nodes: { id: string; title: string; status: string }[] } }>(CATALOG_PRODUCTS_QUERY, variables);
    return data.products.nodes.map((product) => ({
      type: "PRODUCT",
      gid: product.id,
      title: product.title,
      detail: PRODUCT_STATUS_LABELS[product.status] ?? null,
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
  }));
}

function productsCountLabel({ count, precision }: { count: number; precision: string }): string {
  const atLeast = precision === "AT_LEAST" ? "+" : "";
  return `${count}${atLeast} ${count === 1 && !atLeast ? "product" : "products"}`;
}
