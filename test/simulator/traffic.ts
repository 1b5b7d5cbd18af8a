// How shoppers reach the store, for the attribution signals an order carries: a creator's code typed at
// checkout, a tracking link's UTMs and ref parameter, a ref cart attribute, a creator's page as referrer, a journey
// whose first visit came from a creator's link days earlier, a code leaked to a coupon site, or plain organic
// traffic. Each generated order takes one of these, drawn from the generator's seeded faker.
import type { Faker } from "@faker-js/faker";

export interface CreatorSignals {
  /** The creator's handle, as their links carry it (utm_campaign, ref). */
  handle: string;
  /** The creator's discount code, when they have one. */
  code?: string;
  /** The slug of the creator's tracking link (utm_content). */
  linkSlug?: string;
  /** A page of the creator's that links to the shop, e.g. https://www.youtube.com/@sarah. */
  referrer?: string;
  /** Click ids the app issued for the creator's link; orders from the link carry one as cl_click. */
  clickIds?: readonly string[];
}

export const ATTRIBUTION_SIGNALS = [
  "code",
  "utm-link",
  "ref-param",
  "note-attribute",
  "referrer",
  "journey-only",
  "coupon-site",
] as const;
export type AttributionSignal = (typeof ATTRIBUTION_SIGNALS)[number];

/** A shopper's session on the storefront. */
export interface Visit {
  occurredAt: Date;
  /** Path and query of the first page, as the order's landing_site. */
  landingSite: string | null;
  referringSite: string | null;
}

export interface OrderTraffic {
  landingSite: string | null;
  referringSite: string | null;
  noteAttributes: { name: string; value: string }[];
  /** The shopper's first session, when an earlier one than the converting session led to the order. */
  firstVisit: Visit | null;
  /** The creator's code as the generator should apply it (spelling varies later). */
  code: string | null;
  /** Which creator the order should be credited to, and through which signal; null for organic orders. */
  attribution: { handle: string; signal: AttributionSignal } | null;
}

export interface TrafficContext {
  faker: Faker;
  shopDomain: string;
  placedAt: Date;
  /** A storefront product page path, e.g. /products/linen-shirt. */
  productPath: () => string;
}

/** Returns the click id an order from the creator's tracking link carries, or null for none. */
export type ClickIdProvider = (creator: CreatorSignals) => string | null | undefined;

export class UnusableSignalsError extends Error {}

const SIGNAL_WEIGHTS: Record<AttributionSignal, number> = {
  code: 3,
  "utm-link": 3,
  "ref-param": 1,
  "note-attribute": 1,
  referrer: 1,
  "journey-only": 1,
  "coupon-site": 1,
};

const INSTAGRAM_LINK_SHIM = "https://l.instagram.com/";
const SOCIAL_REFERRERS = ["https://www.instagram.com/", "https://www.tiktok.com/", "https://www.youtube.com/", null, null];
const SEARCH_REFERRERS = ["https://www.google.com/", "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/", null, null];
const DAY_MS = 86_400_000;

/** The signals this creator can produce: a code is needed to type one, a page of theirs to refer from. */
export function signalsAvailableTo(creator: CreatorSignals): AttributionSignal[] {
  return ATTRIBUTION_SIGNALS.filter((signal) => {
    if (signal === "code" || signal === "coupon-site") return Boolean(creator.code?.trim());
    if (signal === "referrer") return Boolean(creator.referrer);
    return true;
  });
}

/** An order credited to `creator` through one signal drawn from `allowed` (default: all the creator can produce). */
export function creatorTraffic(
  context: TrafficContext,
  creator: CreatorSignals,
  allowed: readonly AttributionSignal[] = ATTRIBUTION_SIGNALS,
  clickId?: ClickIdProvider,
): OrderTraffic {
  const f = context.faker;
  const usable = signalsAvailableTo(creator).filter((signal) => allowed.includes(signal));
  if (usable.length === 0) {
    throw new UnusableSignalsError(`Creator ${creator.handle} can carry none of the signals ${allowed.join(", ")}`);
  }
  const signal = f.helpers.weightedArrayElement(usable.map((value) => ({ value, weight: SIGNAL_WEIGHTS[value] })));
  const handle = encodeURIComponent(creator.handle);
  const page = () => (f.datatype.boolean(0.5) ? "/" : context.productPath());
  const base = { noteAttributes: [], firstVisit: null, code: null, attribution: { handle: creator.handle, signal } };

  switch (signal) {
    case "code":
      // A shopper with a creator's code mostly types the store's address, or comes from the creator's own page.
      return {
        ...base,
        code: creator.code!,
        landingSite: page(),
        referringSite: f.helpers.weightedArrayElement<string | null>([
          { weight: 5, value: null },
          ...(creator.referrer ? [{ weight: 4, value: creator.referrer }] : []),
          { weight: 1, value: "https://www.google.com/" },
        ]),
      };
    case "utm-link":
      return {
        ...base,
        landingSite: trackingLink(context.productPath(), creator, clickId?.(creator) ?? null),
        referringSite: f.datatype.boolean(0.7) ? INSTAGRAM_LINK_SHIM : null,
      };
    case "ref-param":
      return { ...base, landingSite: `${page()}?ref=${handle}`, referringSite: f.helpers.arrayElement(SOCIAL_REFERRERS) };
    case "note-attribute":
      return { ...base, noteAttributes: [{ name: "ref", value: creator.handle }], landingSite: page(), referringSite: null };
    case "referrer":
      return { ...base, landingSite: page(), referringSite: creator.referrer! };
    case "journey-only": {
      // The shopper came through the creator's link days ago and returned directly to buy: only the journey knows.
      const daysEarlier = f.number.int({ min: 1, max: 14 });
      return {
        ...base,
        landingSite: null,
        referringSite: null,
        firstVisit: {
          occurredAt: new Date(context.placedAt.getTime() - daysEarlier * DAY_MS - f.number.int({ min: 0, max: 20 * 3_600_000 })),
          landingSite: trackingLink(context.productPath(), creator, null),
          referringSite: INSTAGRAM_LINK_SHIM,
        },
      };
    }
    case "coupon-site": {
      // The creator's code, found on a coupon site instead of through the creator.
      const store = context.shopDomain.replace(/\.myshopify\.com$/, "");
      return { ...base, code: creator.code!, landingSite: "/", referringSite: `https://www.retailmenot.com/view/${store}` };
    }
  }
}

/** An order no creator brought: search or direct traffic, sometimes after an earlier search visit. */
export function organicTraffic(context: TrafficContext): OrderTraffic {
  const f = context.faker;
  const landingSite = f.datatype.boolean(0.5) ? "/" : context.productPath();
  const referringSite = f.helpers.arrayElement(SEARCH_REFERRERS);
  const firstVisit = f.datatype.boolean(0.2)
    ? {
        occurredAt: new Date(context.placedAt.getTime() - f.number.int({ min: 1, max: 10 }) * DAY_MS),
        landingSite: context.productPath(),
        referringSite: "https://www.google.com/",
      }
    : null;
  return { landingSite, referringSite, noteAttributes: [], firstVisit, code: null, attribution: null };
}

function trackingLink(path: string, creator: CreatorSignals, clickId: string | null): string {
  const params = new URLSearchParams({ utm_source: "instagram", utm_medium: "influencer", utm_campaign: creator.handle });
  if (creator.linkSlug) params.set("utm_content", creator.linkSlug);
  params.set("ref", creator.handle);
  if (clickId) params.set("cl_click", clickId);
  return `${path}?${params.toString()}`;
}
