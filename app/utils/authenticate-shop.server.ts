import type { Shop } from "@prisma/client";
import { requireShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

type AdminContext = Awaited<ReturnType<typeof authenticate.admin>>;

/** An admin page's request: Shopify's admin session and the app's row for that shop (404 if it never installed). */
export async function authenticateShop(request: Request): Promise<AdminContext & { shop: Shop }> {
  const context = await authenticate.admin(request);
  return { ...context, shop: await requireShop(context.session.shop) };
}
