import type { Shop } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { fieldErrorsOf } from "~/utils/field-errors";

export interface ShopDetails {
  domain: string;
  name: string;
  currencyCode: string;
  timezone: string;
  /** The shop's primary domain, where tracking links send shoppers. */
  storefrontUrl?: string | null;
}

/** Called after Shopify installs (or re-installs) the app in a store. */
export async function installShop(details: ShopDetails): Promise<Shop> {
  const { domain, ...rest } = details;
  return prisma.shop.upsert({
    where: { domain },
    create: { domain, ...rest },
    update: { ...rest, lastInstalledAt: new Date(), uninstalledAt: null },
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

export const shopSettingsSchema = z.object({
  holdDays: z.coerce
    .number({ error: "Enter a number of days" })
    .int("Enter a whole number of days")
    .min(0, "Hold days cannot be negative")
    .max(365, "Hold commissions for at most 365 days"),
});

export type ShopSettingsErrors = Partial<Record<keyof z.input<typeof shopSettingsSchema>, string>>;

/** Applies to entries posted from now on: an entry's availability is fixed when it is posted. */
export async function updateShopSettings(
  shopId: string,
  raw: Record<string, unknown>,
): Promise<{ ok: true; shop: Shop } | { ok: false; fieldErrors: ShopSettingsErrors }> {
  const parsed = shopSettingsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return { ok: true, shop: await prisma.shop.update({ where: { id: shopId }, data: parsed.data }) };
}
