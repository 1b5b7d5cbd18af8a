import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";

export interface ShopDetails {
  domain: string;
  name: string;
  currencyCode: string;
  timezone: string;
}

/** Called after Shopify installs (or re-installs) the app in a store. */
export async function installShop(details: ShopDetails): Promise<Shop> {
  const { domain, ...rest } = details;
  return prisma.shop.upsert({
    where: { domain },
    create: { domain, ...rest },
    update: { ...rest, uninstalledAt: null },
  });
}

export async function findShopByDomain(domain: string): Promise<Shop | null> {
  return prisma.shop.findUnique({ where: { domain } });
}

/** The shop behind an authenticated admin session; a session is only ever created for an installed shop. */
export async function requireShop(domain: string): Promise<Shop> {
  const shop = await findShopByDomain(domain);
  if (!shop) throw new Response(`Shop ${domain} has not installed Creator Ledger`, { status: 404 });
  return shop;
}
