import { describe, expect, it } from "vitest";
import { referencesOf } from "./references";
import { CLICKS, utm, visit } from "./sample-directory";
import { factsOf, shopifyOrder } from "./shopify-order-samples";

describe("referencesOf", () => {
  it("has nothing to look up on Shopify's example order", () => {
    expect(referencesOf(factsOf(shopifyOrder()))).toEqual({
      codes: [],
      handles: [],
      linkSlugs: [],
      clickIds: [],
      referrerPrefixes: [],
      creatorIds: [],
    });
  });

  it("collects every code, handle, slug, click, referrer and creator the order can point at", () => {
    const order = shopifyOrder({
      discountCodes: ["maya 15", "TENOFF", "MAYA15"],
      landingSite: `/products/serum?utm_source=Maya&utm_medium=influencer&utm_campaign=spring&utm_content=Maya-Spring&ref=maya&cl_click=${CLICKS.maya.toUpperCase()}`,
      referringSite: "https://www.instagram.com/maya/p/1/",
      noteAttributes: { Referred_By: "Leo", gift_message: "for nina" },
    });
    const facts = factsOf(order, {
      journey: {
        ready: true,
        firstVisit: visit(12, {
          landingPage: `/?ref=sarahskin&cl_click=${CLICKS.leoRecent}&utm_content=leo-yt`,
          referrerUrl: "https://www.youtube.com/@leo",
          utm: utm({ source: "youtube", campaign: "leo" }),
        }),
        lastVisit: visit(1, { referralCode: "nina20", utm: utm({ content: "maya-spring" }) }),
      },
      survey: { creatorId: "creator-sarah", optionLabel: "Sarah", answeredAt: "2026-03-11T00:00:00Z" },
    });
    expect(referencesOf(facts)).toEqual({
      codes: ["LEO", "MAYA15", "NINA20", "TENOFF"],
      handles: ["leo", "leo-yt", "maya", "maya-spring", "nina20", "sarahskin", "spring", "youtube"],
      linkSlugs: ["leo-yt", "maya-spring"],
      clickIds: [CLICKS.leoRecent, CLICKS.maya].sort(),
      referrerPrefixes: [
        "instagram.com",
        "instagram.com/maya",
        "instagram.com/maya/p",
        "instagram.com/maya/p/1",
        "youtube.com",
        "youtube.com/@leo",
      ],
      creatorIds: ["creator-sarah"],
    });
  });

  it("survives garbage", () => {
    const facts = factsOf(shopifyOrder({ landingSite: "%%%?&&ref=&=", referringSite: "::::" }));
    expect(referencesOf(facts)).toMatchObject({ handles: [], referrerPrefixes: [] });
  });
});
