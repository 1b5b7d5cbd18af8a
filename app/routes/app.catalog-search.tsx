import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { AdminApiThrottledError, adminGraphqlFrom } from "~/services/admin-api.server";
import { catalogSearchSchema, searchCatalog, type CatalogMatch } from "~/services/catalog-search.server";
import { authenticate } from "~/shopify.server";

/**
 * JSON for the pickers: /app/catalog-search?type=PRODUCT|COLLECTION|VARIANT&q=… (products and collections for the
 * contract form, variants with their cost per item for a seeding cost; 400 for a malformed request, which the
 * pickers never send).
 */
export type CatalogSearchJson = { matches: CatalogMatch[]; error: null } | { matches: []; error: string };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  const url = new URL(request.url);
  const parsed = catalogSearchSchema.safeParse({ type: url.searchParams.get("type"), q: url.searchParams.get("q") ?? undefined });
  if (!parsed.success) {
    return data<CatalogSearchJson>({ matches: [], error: parsed.error.issues[0]?.message ?? "Check the search" }, { status: 400 });
  }
  try {
    return data<CatalogSearchJson>({ matches: await searchCatalog(adminGraphqlFrom(admin), parsed.data), error: null });
  } catch (error) {
    // The picker shows the message in its list; an error status would take the whole page to its error boundary for
    // a moment's throttling.
    if (error instanceof AdminApiThrottledError) {
      return data<CatalogSearchJson>({ matches: [], error: "Shopify is busy right now: type again in a moment" });
    }
    throw error;
  }
};
