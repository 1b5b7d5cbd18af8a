// Test support: one shop's creators as the attribution tests know them. Only tests import this file.
import { hashEmail } from "./hash-email";
import type { CreatorDirectory, JourneyVisit } from "./types";

export const ORDERED_AT = "2026-03-10T15:00:00.000Z";

/** An ISO time this many days (fractions allowed) before ORDERED_AT; negative for after it. */
export function daysBeforeOrder(days: number): string {
  return new Date(Date.parse(ORDERED_AT) - days * 86_400_000).toISOString();
}

export const MAYA = "creator-maya";
export const SARAH = "creator-sarah";
export const LEO = "creator-leo";
export const NINA = "creator-nina";

export const MAYA_CUSTOMER_GID = "gid://shopify/Customer/7001";
export const MAYA_EMAIL = "Maya@MayaFit.com";

export const CLICKS = {
  maya: "5f0c3b8e-2a41-4c9e-9d7b-0e6f1a2b3c4d",
  leoLongAgo: "9a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6",
  leoRecent: "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3",
  sarahAfterOrder: "c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b",
} as const;

export const DIRECTORY: CreatorDirectory = {
  creators: [
    {
      id: MAYA,
      handle: "maya",
      referrerDomains: ["instagram.com/maya", "mayafit.com"],
      customerGid: MAYA_CUSTOMER_GID,
      emailHash: hashEmail(MAYA_EMAIL),
    },
    {
      id: SARAH,
      handle: "SarahSkin",
      referrerDomains: [],
      customerGid: null,
      emailHash: hashEmail("sarah@example.com"),
    },
    { id: LEO, handle: "leo", referrerDomains: ["youtube.com/@leo"], customerGid: null, emailHash: null },
    {
      id: NINA,
      handle: "nina",
      referrerDomains: ["tiktok.com/@nina", "instagram.com"],
      customerGid: null,
      emailHash: null,
    },
  ],
  codes: [
    { code: "MAYA15", creatorId: MAYA },
    { code: "SARAH10", creatorId: SARAH },
    { code: "Leo-Summer", creatorId: LEO },
    { code: "NINA20", creatorId: NINA },
    { code: "WELCOME10", creatorId: LEO },
  ],
  links: [
    { slug: "maya-spring", creatorId: MAYA },
    { slug: "leo-yt", creatorId: LEO },
  ],
  clicks: [
    { id: CLICKS.maya, linkSlug: "maya-spring", creatorId: MAYA, occurredAt: daysBeforeOrder(2) },
    { id: CLICKS.leoLongAgo, linkSlug: "leo-yt", creatorId: LEO, occurredAt: daysBeforeOrder(45) },
    { id: CLICKS.leoRecent, linkSlug: "leo-yt", creatorId: LEO, occurredAt: daysBeforeOrder(10) },
    { id: CLICKS.sarahAfterOrder, linkSlug: "sarah-tt", creatorId: SARAH, occurredAt: daysBeforeOrder(-0.5) },
  ],
};

/** A journey visit as parseCustomerJourneySummary returns it. */
export function visit(daysBefore: number, fields: Partial<Omit<JourneyVisit, "occurredAt">> = {}): JourneyVisit {
  return {
    occurredAt: daysBeforeOrder(daysBefore),
    landingPage: null,
    referrerUrl: null,
    referralCode: null,
    source: null,
    utm: null,
    ...fields,
  };
}

export function utm(fields: Partial<Record<"source" | "medium" | "campaign" | "content" | "term", string>>) {
  return {
    source: fields.source ?? null,
    medium: fields.medium ?? null,
    campaign: fields.campaign ?? null,
    content: fields.content ?? null,
    term: fields.term ?? null,
  };
}
