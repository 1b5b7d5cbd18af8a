import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLICKS, DIRECTORY, LEO, MAYA, NINA, SARAH, daysBeforeOrder, utm, visit } from "./sample-directory";
import { factsOf, shopifyOrder, type LateFacts, type OrderChanges } from "./shopify-order-samples";
import { collectSignals, parseCustomerJourneySummary, type Signal } from "./signals";

const signalsOf = (order: OrderChanges = {}, late: LateFacts = {}) =>
  collectSignals(factsOf(shopifyOrder(order), late), DIRECTORY);
const brief = (signals: Signal[]) => signals.map((s) => [s.kind, s.source, s.value, s.creatorId]);

describe("collectSignals", () => {
  it("finds nothing on Shopify's example order", () => {
    expect(signalsOf()).toEqual([]);
  });

  it("matches discount codes in any spelling and says which code it was", () => {
    expect(signalsOf({ discountCodes: ["maya 15", "TENOFF", "  "] })).toEqual([
      {
        kind: "discount_code",
        source: "discount code",
        value: "maya 15",
        occurredAt: null,
        creatorId: MAYA,
        code: "MAYA15",
        note: null,
      },
      {
        kind: "discount_code",
        source: "discount code",
        value: "TENOFF",
        occurredAt: null,
        creatorId: null,
        code: null,
        note: "not a creator's code",
      },
    ]);
  });

  it("reads a tracking link's landing page: click, slug, ref and every UTM", () => {
    const signals = signalsOf({
      landingSite: `/products/serum?utm_source=maya&utm_medium=influencer&utm_campaign=Spring&utm_content=maya-spring&utm_term=glow&ref=Maya&cl_click=${CLICKS.maya.toUpperCase()}`,
    });
    expect(brief(signals)).toEqual([
      ["tracking_link", "landing page cl_click", CLICKS.maya.toUpperCase(), MAYA],
      ["tracking_link", "landing page utm_content", "maya-spring", MAYA],
      ["ref_param", "landing page ref", "Maya", MAYA],
      ["utm", "landing page utm_source", "maya", MAYA],
      ["utm", "landing page utm_medium", "influencer", null],
      ["utm", "landing page utm_campaign", "Spring", null],
      ["utm", "landing page utm_content", "maya-spring", null],
      ["utm", "landing page utm_term", "glow", null],
    ]);
    expect(signals[0]?.occurredAt).toBe(daysBeforeOrder(2));
    expect(signals[1]?.occurredAt).toBeNull();
  });

  it("shows a click id nobody recorded", () => {
    expect(signalsOf({ landingSite: "/?cl_click=forged" })).toEqual([
      expect.objectContaining({ kind: "tracking_link", creatorId: null, note: "no recorded click with this id" }),
    ]);
  });

  it("reads absolute landing sites and shrugs at garbage", () => {
    expect(brief(signalsOf({ landingSite: "https://glowlab.com/pages/about?ref=leo" }))).toEqual([
      ["ref_param", "landing page ref", "leo", LEO],
    ]);
    for (const landingSite of ["%%%?ref=%E0%A4%A", "javascript:alert(1)", "?&&==&ref", "http://[::1?ref=nobody"]) {
      expect(() => signalsOf({ landingSite })).not.toThrow();
    }
    expect(brief(signalsOf({ landingSite: "http://[::1?ref=nina" }))).toEqual([
      ["ref_param", "landing page ref", "nina", NINA],
    ]);
  });

  it("never throws on any landing site, referrer or cart attribute", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (landingSite, referringSite, value) => {
        const facts = factsOf(shopifyOrder({ landingSite, referringSite, noteAttributes: { ref: value } }));
        collectSignals(facts, DIRECTORY);
      }),
      { numRuns: 500 },
    );
  });

  it("reads the cart attributes referral apps set, in any case, by handle or by code", () => {
    const signals = signalsOf({
      noteAttributes: {
        REF: "nina",
        Creator: "SarahSkin",
        referral_code: "leo-summer",
        utm_campaign: "nobody",
        gift_note: "maya",
      },
    });
    expect(brief(signals)).toEqual([
      ["cart_attribute", 'cart attribute "REF"', "nina", NINA],
      ["cart_attribute", 'cart attribute "Creator"', "SarahSkin", SARAH],
      ["cart_attribute", 'cart attribute "referral_code"', "leo-summer", LEO],
      ["cart_attribute", 'cart attribute "utm_campaign"', "nobody", null],
    ]);
    expect(signals[2]?.code).toBe("LEO-SUMMER");
    expect(signals[1]?.code).toBeNull();
  });

  describe("referring site", () => {
    it.each([
      ["https://www.instagram.com/maya/p/1", [MAYA]],
      ["https://instagram.com/maya", [MAYA]],
      ["https://www.instagram.com/mayafan", [NINA]],
      ["https://www.tiktok.com/@nina/video/1", [NINA]],
      ["https://mayafit.com/", [MAYA]],
      ["https://blog.mayafit.com/", [null]],
      ["https://www.youtube.com/watch?v=1", [null]],
      ["not a url", [null]],
    ])("%s → %j", (referringSite, creators) => {
      expect(signalsOf({ referringSite }).map((s) => s.creatorId)).toEqual(creators);
    });

    it("credits each creator who declared the same most specific entry", () => {
      const directory = {
        ...DIRECTORY,
        creators: [...DIRECTORY.creators, { ...DIRECTORY.creators[0]!, id: "creator-twin", handle: "maya-twin" }],
      };
      const facts = factsOf(shopifyOrder({ referringSite: "https://instagram.com/maya/" }));
      expect(collectSignals(facts, directory).map((s) => s.creatorId)).toEqual(["creator-maya", "creator-twin"]);
    });

    it("says when a referrer names no creator", () => {
      expect(signalsOf({ referringSite: "https://www.google.com/" })[0]?.note).toBe("no creator declared this site");
      expect(signalsOf({ referringSite: "garbage text" })[0]?.note).toBe("not a web address");
    });
  });

  describe("customer journey", () => {
    it("reads both visits, dated by the visit", () => {
      const signals = signalsOf(
        {},
        {
          journey: {
            ready: true,
            firstVisit: visit(12, {
              landingPage: `/?ref=leo&cl_click=${CLICKS.leoRecent}&utm_source=fallback`,
              referrerUrl: "https://www.youtube.com/@leo/videos",
              utm: utm({ source: "leo", medium: "video" }),
            }),
            lastVisit: visit(1, {
              landingPage: "/?utm_campaign=maya&utm_content=maya-spring",
              referralCode: "NINA20",
              source: "Instagram",
            }),
          },
        },
      );
      expect(signals.map((s) => [s.kind, s.source, s.value, s.creatorId, s.occurredAt])).toEqual([
        ["customer_journey", "customer journey, first visit: utm_source", "leo", LEO, daysBeforeOrder(12)],
        ["customer_journey", "customer journey, first visit: landing page ref", "leo", LEO, daysBeforeOrder(12)],
        [
          "tracking_link",
          "customer journey, first visit: landing page cl_click",
          CLICKS.leoRecent,
          LEO,
          daysBeforeOrder(10),
        ],
        [
          "customer_journey",
          "customer journey, first visit: landing page cl_click",
          CLICKS.leoRecent,
          LEO,
          daysBeforeOrder(12),
        ],
        [
          "customer_journey",
          "customer journey, first visit: referrer",
          "https://www.youtube.com/@leo/videos",
          LEO,
          daysBeforeOrder(12),
        ],
        ["customer_journey", "customer journey, last visit: utm_campaign", "maya", MAYA, daysBeforeOrder(1)],
        ["customer_journey", "customer journey, last visit: utm_content", "maya-spring", MAYA, daysBeforeOrder(1)],
        ["customer_journey", "customer journey, last visit: referral code", "NINA20", NINA, daysBeforeOrder(1)],
      ]);
    });

    it("notes a journey Shopify has not finished", () => {
      expect(signalsOf({}, { journey: { ready: false, firstVisit: null, lastVisit: null } })).toEqual([
        {
          kind: "customer_journey",
          source: "customer journey",
          value: "not ready",
          occurredAt: null,
          creatorId: null,
          code: null,
          note: "Shopify has not finished this journey yet",
        },
      ]);
    });

    it("shows visits that name nobody", () => {
      const journey = { ready: true, firstVisit: null, lastVisit: visit(1, { referralCode: "friend-42" }) };
      expect(signalsOf({}, { journey })).toEqual([
        expect.objectContaining({ creatorId: null, note: "no creator has this handle or code" }),
      ]);
    });
  });

  it("shows a survey answer, with or without a creator", () => {
    const answeredAt = daysBeforeOrder(-0.1);
    expect(signalsOf({}, { survey: { creatorId: SARAH, optionLabel: "Sarah on TikTok", answeredAt } })).toEqual([
      {
        kind: "survey",
        source: "post-purchase survey",
        value: "Sarah on TikTok",
        occurredAt: answeredAt,
        creatorId: SARAH,
        code: null,
        note: null,
      },
    ]);
    expect(signalsOf({}, { survey: { creatorId: null, optionLabel: "Podcast", answeredAt } })).toEqual([
      expect.objectContaining({ value: "Podcast", creatorId: null, note: "the answer names no creator" }),
    ]);
  });

  it("settles directory rows that disagree by the lowest creator id", () => {
    const facts = factsOf(shopifyOrder({ discountCodes: ["DUO"], landingSite: "/?ref=duo" }));
    const rows = {
      ...DIRECTORY,
      creators: [
        { id: "creator-b", handle: "DUO", referrerDomains: [], customerGid: null, emailHash: null },
        { id: "creator-a", handle: "duo", referrerDomains: [], customerGid: null, emailHash: null },
      ],
      codes: [
        { code: "duo", creatorId: "creator-b" },
        { code: "DUO", creatorId: "creator-a" },
      ],
    };
    const reversed = { ...rows, creators: [...rows.creators].reverse(), codes: [...rows.codes].reverse() };
    expect(collectSignals(facts, rows).map((s) => s.creatorId)).toEqual(["creator-a", "creator-a"]);
    expect(collectSignals(facts, reversed)).toEqual(collectSignals(facts, rows));
  });
});

describe("parseCustomerJourneySummary", () => {
  const graphqlVisit = {
    occurredAt: "2026-03-08T10:15:00Z",
    landingPage: "https://glowlab.com/products/serum?utm_source=maya&ref=maya",
    referrerUrl: "https://l.instagram.com/",
    referralCode: "maya",
    source: "Instagram",
    utmParameters: { source: "maya", medium: "influencer", campaign: "spring", content: null, term: null },
  };

  it("maps Shopify's customerJourneySummary", () => {
    expect(
      parseCustomerJourneySummary({
        ready: true,
        firstVisit: graphqlVisit,
        lastVisit: { ...graphqlVisit, utmParameters: null },
      }),
    ).toEqual({
      ready: true,
      firstVisit: {
        occurredAt: "2026-03-08T10:15:00Z",
        landingPage: "https://glowlab.com/products/serum?utm_source=maya&ref=maya",
        referrerUrl: "https://l.instagram.com/",
        referralCode: "maya",
        source: "Instagram",
        utm: { source: "maya", medium: "influencer", campaign: "spring", content: null, term: null },
      },
      lastVisit: {
        occurredAt: "2026-03-08T10:15:00Z",
        landingPage: "https://glowlab.com/products/serum?utm_source=maya&ref=maya",
        referrerUrl: "https://l.instagram.com/",
        referralCode: "maya",
        source: "Instagram",
        utm: null,
      },
    });
  });

  it("reads back what it produced, as Order.customerJourney stores it", () => {
    const journey = parseCustomerJourneySummary({ ready: true, firstVisit: graphqlVisit, lastVisit: graphqlVisit });
    expect(parseCustomerJourneySummary(JSON.parse(JSON.stringify(journey)))).toEqual(journey);
  });

  it.each([null, undefined, "ready", 42, []])("is null for %j", (node) => {
    expect(parseCustomerJourneySummary(node)).toBeNull();
  });

  it("keeps a journey that is not ready yet, without visits", () => {
    expect(parseCustomerJourneySummary({ ready: false, firstVisit: null, lastVisit: null })).toEqual({
      ready: false,
      firstVisit: null,
      lastVisit: null,
    });
    expect(parseCustomerJourneySummary({ ready: false })).toEqual({ ready: false, firstVisit: null, lastVisit: null });
  });

  it("drops a visit it cannot date and blanks empty texts", () => {
    const parsed = parseCustomerJourneySummary({
      ready: true,
      firstVisit: { ...graphqlVisit, occurredAt: "yesterday" },
      lastVisit: {
        occurredAt: "2026-03-09T08:00:00-05:00",
        landingPage: "",
        referralCode: "  ",
        utmParameters: { source: "" },
      },
    });
    expect(parsed).toEqual({
      ready: true,
      firstVisit: null,
      lastVisit: {
        occurredAt: "2026-03-09T08:00:00-05:00",
        landingPage: null,
        referrerUrl: null,
        referralCode: null,
        source: null,
        utm: null,
      },
    });
  });

  it("reads only fields Shopify's Admin API has (2026-07)", () => {
    const file = "node_modules/@shopify/dev-mcp/dist/data/admin_2026-07.json.gz";
    const schema = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as {
      data: { __schema: { types: { name: string; fields: { name: string }[] | null }[] } };
    };
    const fieldsOf = (type: string) =>
      schema.data.__schema.types.find((t) => t.name === type)?.fields?.map((field) => field.name) ?? [];
    expect(fieldsOf("CustomerJourneySummary")).toEqual(expect.arrayContaining(["ready", "firstVisit", "lastVisit"]));
    expect(fieldsOf("CustomerVisit")).toEqual(
      expect.arrayContaining(["occurredAt", "landingPage", "referrerUrl", "referralCode", "source", "utmParameters"]),
    );
    expect(fieldsOf("UTMParameters")).toEqual(
      expect.arrayContaining(["source", "medium", "campaign", "content", "term"]),
    );
  });
});
