import { randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { env } from "~/utils/env.server";

/** Where the creator shares the link: its utm_source. */
export const PLATFORMS = [
  "instagram",
  "tiktok",
  "youtube",
  "x",
  "facebook",
  "pinterest",
  "snapchat",
  "twitch",
  "newsletter",
  "blog",
  "other",
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const SLUG_LENGTH = 8;
const SLUG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const SLUG_PATTERN = /^[0-9A-Za-z]{8}$/;
/** Query parameters the redirect adds itself: a destination that sets them would send two of each. */
export const RESERVED_PARAMETERS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "ref", "cl_click"] as const;
const SLUG_ATTEMPTS = 5;
const CLICK_WINDOW_DAYS = 30;

export interface TrackingLinkRow {
  id: string;
  slug: string;
  /** The link the creator shares: `${SHOPIFY_APP_URL}/r/<slug>`. */
  url: string;
  label: string;
  destinationPath: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  archivedAt: Date | null;
  createdAt: Date;
  /** Human clicks (bots are never recorded) in the last 30 days, and ever. */
  clicksLast30Days: number;
  clicksTotal: number;
}

export type TrackingLinkFieldErrors = Partial<Record<"label" | "destinationPath" | "utmSource" | "utmCampaign", string>>;

export type CreateTrackingLinkResult =
  | { ok: true; link: { id: string; slug: string; url: string; label: string } }
  | { ok: false; fieldErrors: TrackingLinkFieldErrors };

/** The full link the creator shares. */
export function trackingLinkUrl(slug: string): string {
  return `${env().SHOPIFY_APP_URL.replace(/\/+$/, "")}/r/${slug}`;
}

/** 8 characters of 0-9A-Za-z, uniformly random (bytes ≥ 248 are drawn again so that no character is favoured). */
export function randomSlug(): string {
  let slug = "";
  while (slug.length < SLUG_LENGTH) {
    for (const byte of randomBytes(SLUG_LENGTH * 2)) {
      if (byte < 248 && slug.length < SLUG_LENGTH) slug += SLUG_ALPHABET[byte % 62];
    }
  }
  return slug;
}

/**
 * A storefront path with an optional query, as the redirect appends it to the storefront's address: starts with a
 * single "/", no fragment, no spaces, at most 500 characters. Returned as the browser would send it (non-ASCII
 * characters percent-encoded, "." and ".." segments resolved); null when it is not such a path.
 */
export function normalizeDestinationPath(value: string): string | null {
  if (!value.startsWith("/") || value.startsWith("//") || /[\s\\#]/.test(value) || /[\u0000-\u001f\u007f]/.test(value)) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value, "https://storefront.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "https://storefront.invalid") return null;
  // A lone "?" (empty query) says nothing: "/products?" is "/products".
  return url.pathname + url.search;
}

const createSchema = z.object({
  label: z
    .string()
    .trim()
    .min(1, "Enter a label, like “Bio link” or “Summer reel”")
    .max(80, "Keep the label to 80 characters or fewer"),
  destinationPath: z
    .string()
    .trim()
    .min(1, "Enter a page of your store, like / for the home page or /products/serum")
    .max(500, "Keep the page address to 500 characters or fewer")
    .transform((value, ctx) => {
      const path = normalizeDestinationPath(value);
      if (path === null) {
        ctx.addIssue({
          code: "custom",
          message: "Enter a page of your store starting with /, like /products/serum or /collections/summer?sort_by=price",
        });
        return z.NEVER;
      }
      const reserved = RESERVED_PARAMETERS.filter((name) => new URLSearchParams(path.split("?")[1] ?? "").has(name));
      if (reserved.length > 0) {
        ctx.addIssue({ code: "custom", message: `Leave out ${reserved.join(" and ")}: the link adds it for you` });
        return z.NEVER;
      }
      if (path.length > 500) {
        ctx.addIssue({ code: "custom", message: "Keep the page address to 500 characters or fewer" });
        return z.NEVER;
      }
      return path;
    }),
  utmSource: z.enum(PLATFORMS, { error: "Choose where the creator shares this link" }),
  utmCampaign: z
    .string()
    .trim()
    .max(100, "Keep the campaign to 100 characters or fewer")
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "Use letters, digits and punctuation only")
    .transform((value) => (value === "" ? null : value)),
});

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Creates a tracking link for the creator: `label`, `destinationPath` (default "/"), `utmSource` (one of PLATFORMS),
 * `utmCampaign` (optional: the creator's handle when blank). Null when the shop has no such creator.
 */
export async function createTrackingLink(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
  newSlug: () => string = randomSlug,
): Promise<CreateTrackingLinkResult | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  const creator = await prisma.creator.findFirst({ where: { id: creatorId, shopId }, select: { id: true, handle: true } });
  if (!creator) return null;

  const parsed = createSchema.safeParse({
    label: text(raw.label),
    destinationPath: raw.destinationPath === undefined ? "/" : text(raw.destinationPath),
    utmSource: text(raw.utmSource),
    utmCampaign: text(raw.utmCampaign),
  });
  if (!parsed.success) {
    const fieldErrors: TrackingLinkFieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as keyof TrackingLinkFieldErrors] ??= issue.message;
    return { ok: false, fieldErrors };
  }
  const { label, destinationPath, utmSource, utmCampaign } = parsed.data;

  // Slugs are global (one app domain serves every shop): 62⁸ of them make a collision rare, but never fatal.
  for (let attempt = 1; ; attempt++) {
    try {
      const link = await prisma.trackingLink.create({
        data: {
          shopId,
          creatorId,
          slug: newSlug(),
          label,
          destinationPath,
          utmSource,
          utmCampaign: utmCampaign ?? creator.handle,
        },
        select: { id: true, slug: true, label: true },
      });
      return { ok: true, link: { ...link, url: trackingLinkUrl(link.slug) } };
    } catch (error) {
      const slugTaken =
        error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && /slug/.test(JSON.stringify(error.meta ?? {}));
      if (!slugTaken || attempt >= SLUG_ATTEMPTS) throw error;
    }
  }
}

/** The creator's links, live ones first, newest first, with their click counts. Empty for another shop's creator. */
export async function listTrackingLinks(shopId: string, creatorId: string, now = new Date()): Promise<TrackingLinkRow[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  const since = new Date(now.getTime() - CLICK_WINDOW_DAYS * 86_400_000);
  const [links, total, recent] = await Promise.all([
    prisma.trackingLink.findMany({
      where: { shopId, creatorId },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    }),
    prisma.linkClick.groupBy({ by: ["linkId"], where: { shopId, creatorId }, _count: { _all: true } }),
    prisma.linkClick.groupBy({
      by: ["linkId"],
      where: { shopId, creatorId, occurredAt: { gte: since, lte: now } },
      _count: { _all: true },
    }),
  ]);
  const totals = new Map(total.map((row) => [row.linkId, row._count._all]));
  const recents = new Map(recent.map((row) => [row.linkId, row._count._all]));
  const rows = links.map((link) => ({
    id: link.id,
    slug: link.slug,
    url: trackingLinkUrl(link.slug),
    label: link.label,
    destinationPath: link.destinationPath,
    utmSource: link.utmSource,
    utmMedium: link.utmMedium,
    utmCampaign: link.utmCampaign,
    archivedAt: link.archivedAt,
    createdAt: link.createdAt,
    clicksLast30Days: recents.get(link.id) ?? 0,
    clicksTotal: totals.get(link.id) ?? 0,
  }));
  // Stable: within live and archived links, the newest first as fetched.
  return [...rows.filter((row) => !row.archivedAt), ...rows.filter((row) => row.archivedAt)];
}

/**
 * Archives a link (it leaves the creator's active list; shoppers following it are still redirected and counted, so
 * old posts keep working) or brings it back. Null when the shop's creator has no such link.
 */
export async function setTrackingLinkArchived(
  shopId: string,
  creatorId: string,
  linkId: string,
  archived: boolean,
  now = new Date(),
): Promise<{ id: string; label: string; archivedAt: Date | null } | null> {
  if (!z.guid().safeParse(creatorId).success || !z.guid().safeParse(linkId).success) return null;
  const link = await prisma.trackingLink.findFirst({
    where: { id: linkId, shopId, creatorId },
    select: { id: true, label: true, archivedAt: true },
  });
  if (!link) return null;
  // Archiving twice keeps the first date; unarchiving a live link changes nothing.
  if (Boolean(link.archivedAt) === archived) return link;
  return prisma.trackingLink.update({
    where: { id: link.id },
    data: { archivedAt: archived ? now : null },
    select: { id: true, label: true, archivedAt: true },
  });
}
