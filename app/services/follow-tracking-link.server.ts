import { createHash, createHmac, randomUUID } from "node:crypto";
import { isbot } from "isbot";
import { prisma } from "~/db.server";
import { normalizeDestinationPath, SLUG_PATTERN } from "~/models/tracking-link.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

/** What the redirect needs about a link, read in one query. */
export interface LinkTarget {
  id: string;
  shopId: string;
  creatorId: string;
  slug: string;
  destinationPath: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  handle: string;
  shopDomain: string;
  storefrontUrl: string | null;
}

const NO_STORE = { "Cache-Control": "no-store" } as const;

/**
 * GET /r/<slug>: sends the shopper to the store with the link's UTMs, the creator's `ref` and, when the click was
 * recorded, `cl_click=<click id>` (what ties the order back to the click). Archived links keep working so that old
 * posts do not break. Bots, link previews, prefetches, requests without a user agent and HEAD requests are
 * redirected but not counted. Counting never stands in the shopper's way: if it fails, they are redirected anyway.
 */
export async function followTrackingLink(request: Request, slug: string, now = new Date()): Promise<Response> {
  let target: LinkTarget | null;
  try {
    target = SLUG_PATTERN.test(slug) ? await findLinkTarget(slug) : null;
  } catch (error) {
    logger.error({ err: error }, "tracking link lookup failed");
    return new Response("This link is unavailable right now. Please try again in a minute.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "30", ...NO_STORE },
    });
  }
  if (!target) {
    return new Response("This link does not exist", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...NO_STORE },
    });
  }

  let clickId: string | null = null;
  if (isHumanVisit(request)) {
    try {
      clickId = await recordClick(target, visitorHash(clientIp(request), request.headers.get("user-agent") ?? "", now), now);
    } catch (error) {
      logger.error({ err: error, linkId: target.id }, "tracking link click not recorded; the shopper is redirected anyway");
    }
  }
  return new Response(null, {
    status: 302,
    headers: {
      Location: storefrontRedirectUrl(target, clickId),
      "Referrer-Policy": "no-referrer-when-downgrade",
      ...NO_STORE,
    },
  });
}

/** A shopper opening the link, as opposed to a crawler, a link preview, a prefetch or a HEAD request. */
export function isHumanVisit(request: Request): boolean {
  if (request.method !== "GET") return false;
  const userAgent = request.headers.get("user-agent")?.trim() ?? "";
  if (userAgent === "" || isbot(userAgent)) return false;
  // Speculative loads are not visits; the browser asks again (no-store) when the shopper actually follows the link.
  const purpose = `${request.headers.get("sec-purpose") ?? ""} ${request.headers.get("purpose") ?? ""}`.toLowerCase();
  return !/prefetch|prerender/.test(purpose);
}

/**
 * The shopper's address as the first proxy saw it (X-Forwarded-For's first hop). The Remix server does not hand
 * loaders the socket's address, so without a proxy in front the address part is empty (the user agent remains).
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
}

/**
 * Counts unique visitors per day without keeping who they are: SHA-256 over a salt that changes every UTC day
 * (HMAC of the date under the app's secret, so nobody can rebuild it), the IP and the user agent. Neither the IP nor
 * the user agent is stored, and yesterday's hashes cannot be matched with today's.
 */
export function visitorHash(ip: string, userAgent: string, now: Date, secret = env().SHOPIFY_API_SECRET): string {
  const salt = createHmac("sha256", secret).update(`link-click-visitor:${now.toISOString().slice(0, 10)}`).digest();
  return createHash("sha256").update(salt).update("\n").update(ip).update("\n").update(userAgent).digest("hex");
}

/**
 * The store page with the link's parameters; the destination's own query comes first, untouched. A stored destination
 * that is not a storefront path (only a write that skipped the form's checks could store one: "@evil.example" would
 * make the storefront's host a user name) sends the shopper to the home page instead.
 */
export function storefrontRedirectUrl(target: LinkTarget, clickId: string | null): string {
  const parameters = new URLSearchParams({
    utm_source: target.utmSource,
    utm_medium: target.utmMedium,
    utm_campaign: target.utmCampaign,
    utm_content: target.slug,
    ref: target.handle,
  });
  if (clickId) parameters.set("cl_click", clickId);
  const destinationPath = normalizeDestinationPath(target.destinationPath) ?? "/";
  const separator = destinationPath.includes("?") ? "&" : "?";
  return `${storefrontBase(target)}${destinationPath}${separator}${parameters}`;
}

/** The shop's primary domain when known, else its myshopify domain; no trailing slash. */
export function storefrontBase(target: Pick<LinkTarget, "storefrontUrl" | "shopDomain">): string {
  if (target.storefrontUrl) {
    try {
      const url = new URL(target.storefrontUrl);
      if (url.protocol === "https:" || url.protocol === "http:") return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    } catch {
      // Not an address: the myshopify domain always works.
    }
  }
  return `https://${target.shopDomain}`;
}

/** Slugs are global: the app's one domain serves every shop. One query, the link with its creator and shop. */
async function findLinkTarget(slug: string): Promise<LinkTarget | null> {
  const rows = await prisma.$queryRaw<LinkTarget[]>`
    SELECT l."id", l."shopId", l."creatorId", l."slug", l."destinationPath", l."utmSource", l."utmMedium", l."utmCampaign",
           c."handle", s."domain" AS "shopDomain", s."storefrontUrl"
    FROM "TrackingLink" l
    JOIN "Creator" c ON c."id" = l."creatorId" AND c."shopId" = l."shopId"
    JOIN "Shop" s ON s."id" = l."shopId"
    WHERE l."slug" = ${slug}
    LIMIT 1`;
  return rows[0] ?? null;
}

/** One INSERT (the route is hit hard): the id is made here, so nothing needs to be read back. */
async function recordClick(target: LinkTarget, hash: string, now: Date): Promise<string> {
  const id = randomUUID();
  await prisma.$executeRaw`
    INSERT INTO "LinkClick" ("id", "shopId", "linkId", "creatorId", "occurredAt", "visitorHash")
    VALUES (${id}::uuid, ${target.shopId}::uuid, ${target.id}::uuid, ${target.creatorId}::uuid,
            ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${hash})`;
  return id;
}
