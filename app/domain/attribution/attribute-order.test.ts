import { describe, expect, it } from "vitest";
import { applyOverride, attributeOrder, HOLDING_FLAGS } from "./attribute-order";
import { hashEmail } from "./hash-email";
import { DEFAULT_ATTRIBUTION_RULES } from "./rules";
import {
  CLICKS,
  DIRECTORY,
  LEO,
  MAYA,
  MAYA_CUSTOMER_GID,
  MAYA_EMAIL,
  NINA,
  ORDERED_AT,
  SARAH,
  daysBeforeOrder,
  utm,
  visit,
} from "./sample-directory";
import { factsOf, shopifyOrder, type LateFacts, type OrderChanges } from "./shopify-order-samples";
import type {
  AttributionFlag,
  AttributionInput,
  AttributionMethod,
  AttributionRules,
  CodeUsage,
  CreatorDirectory,
  CustomerAcquisition,
  Verdict,
} from "./types";

const SHOP_HOSTS = ["glow-lab.myshopify.com", "glowlab.com"];

interface Case {
  order?: OrderChanges;
  late?: LateFacts;
  rules?: Partial<AttributionRules>;
  acquisition?: CustomerAcquisition | null;
  codeUsage?: CodeUsage[];
  directory?: CreatorDirectory;
}

function inputOf(c: Case): AttributionInput {
  return {
    facts: factsOf(shopifyOrder({ processedAt: ORDERED_AT, ...c.order }), c.late),
    directory: c.directory ?? DIRECTORY,
    rules: { ...DEFAULT_ATTRIBUTION_RULES, ...c.rules },
    acquisition: c.acquisition ?? null,
    codeUsage: c.codeUsage ?? [],
    shopHosts: SHOP_HOSTS,
  };
}

const attribute = (c: Case): Verdict => attributeOrder(inputOf(c));

const acquiredBy = (creatorId: string, daysBefore: number): CustomerAcquisition => ({
  creatorId,
  acquiredAt: daysBeforeOrder(daysBefore),
  orderName: "#1001",
});

const lockForLife = { customerLock: { enabled: true, days: null } };
const returning = { newCustomer: false };

interface Expected {
  creatorId: string | null;
  method: AttributionMethod;
  confidence: number;
  flags?: AttributionFlag[];
}

// Realistic orders: Shopify's example order with what shoppers' browsers, themes and Shopify put on it.
const cases: [string, Case, Expected][] = [
  [
    "Shopify's REST example: TENOFF from otherexample.com is nobody's code",
    {
      order: {
        discountCodes: ["TENOFF"],
        landingSite: "http://www.example.com?source=abc",
        referringSite: "http://www.otherexample.com",
      },
    },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "Shopify's REST example once TENOFF is linked to a creator",
    {
      order: {
        discountCodes: ["TENOFF"],
        landingSite: "http://www.example.com?source=abc",
        referringSite: "http://www.otherexample.com",
      },
      directory: { ...DIRECTORY, codes: [...DIRECTORY.codes, { code: "TenOff", creatorId: SARAH }] },
    },
    { creatorId: SARAH, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  ["Shopify's example order as published: no signals", {}, { creatorId: null, method: "NONE", confidence: 0 }],
  [
    "a creator code typed in lower case with a stray space",
    { order: { discountCodes: ["maya 15 "] } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  [
    "a code with the creator's UTM link agreeing",
    {
      order: {
        discountCodes: ["MAYA15"],
        landingSite: "/products/serum?utm_source=maya&utm_medium=influencer&utm_campaign=spring",
      },
    },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 95 },
  ],
  [
    "a code while another creator's ref link brought the shopper",
    { order: { discountCodes: ["MAYA15"], landingSite: "/?ref=leo" } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 65, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "a tracking link with its recorded click, ref and UTMs",
    {
      order: {
        landingSite: `/products/serum?utm_source=maya&utm_medium=influencer&utm_campaign=spring&utm_content=maya-spring&ref=maya&cl_click=${CLICKS.maya}`,
      },
    },
    { creatorId: MAYA, method: "TRACKING_LINK", confidence: 95 },
  ],
  [
    "a tracking link's slug in utm_content without a click id",
    { order: { landingSite: "https://glowlab.com/?utm_content=LEO-YT" } },
    { creatorId: LEO, method: "TRACKING_LINK", confidence: 85 },
  ],
  [
    "a click 45 days before the order, outside the 30-day window",
    { order: { landingSite: `/?cl_click=${CLICKS.leoLongAgo}` } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "the same click with a 60-day window",
    { order: { landingSite: `/?cl_click=${CLICKS.leoLongAgo}` }, rules: { windowDays: 60 } },
    { creatorId: LEO, method: "TRACKING_LINK", confidence: 85 },
  ],
  [
    "a click recorded after the order",
    { order: { landingSite: `/?cl_click=${CLICKS.sarahAfterOrder}` } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a ref parameter in another case than the handle",
    { order: { landingSite: "/collections/all?ref=sarahskin" } },
    { creatorId: SARAH, method: "REF_PARAM", confidence: 80 },
  ],
  [
    "a ref parameter nobody has",
    { order: { landingSite: "/collections/all?ref=summer-sale" } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "utm_campaign naming a creator",
    { order: { landingSite: "/?utm_source=youtube&utm_medium=video&utm_campaign=Leo" } },
    { creatorId: LEO, method: "UTM", confidence: 75 },
  ],
  [
    "generic social UTMs",
    { order: { landingSite: "/?utm_source=instagram&utm_medium=social&utm_campaign=spring_launch" } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a referral app's cart attribute with the handle",
    { order: { noteAttributes: { Referred_By: "maya", gift_message: "Happy birthday!" } } },
    { creatorId: MAYA, method: "CART_ATTRIBUTE", confidence: 75 },
  ],
  [
    "a cart attribute holding a creator's code",
    { order: { noteAttributes: { referral_code: "nina20" } } },
    { creatorId: NINA, method: "CART_ATTRIBUTE", confidence: 75 },
  ],
  [
    "a gift message that happens to name a creator",
    { order: { noteAttributes: { gift_message: "maya" } } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a referral from the creator's Instagram profile",
    { order: { referringSite: "https://www.instagram.com/maya/p/C1x9/" } },
    { creatorId: MAYA, method: "REFERRING_SITE", confidence: 60 },
  ],
  [
    "a referral from another Instagram page goes to the creator who declared all of instagram.com",
    { order: { referringSite: "https://www.instagram.com/mayafan" } },
    { creatorId: NINA, method: "REFERRING_SITE", confidence: 60 },
  ],
  [
    "a referral from Google",
    { order: { referringSite: "https://www.google.com/" } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "the customer journey's last visit from the creator's UTM link",
    {
      late: {
        journey: {
          ready: true,
          firstVisit: visit(3, { source: "Instagram", referrerUrl: "https://l.instagram.com/" }),
          lastVisit: visit(1, { utm: utm({ source: "maya", medium: "influencer" }), landingPage: "/?utm_source=maya" }),
        },
      },
    },
    { creatorId: MAYA, method: "CUSTOMER_JOURNEY", confidence: 70 },
  ],
  [
    "a journey Shopify has not finished",
    { late: { journey: { ready: false, firstVisit: null, lastVisit: null } } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a survey answer naming a creator",
    { late: { survey: { creatorId: LEO, optionLabel: "Leo on YouTube", answeredAt: daysBeforeOrder(-0.01) } } },
    { creatorId: LEO, method: "SURVEY", confidence: 50 },
  ],
  [
    "a survey answer at the shop's own confidence",
    {
      late: { survey: { creatorId: LEO, optionLabel: "Leo on YouTube", answeredAt: daysBeforeOrder(-0.01) } },
      rules: { surveyConfidence: 35 },
    },
    { creatorId: LEO, method: "SURVEY", confidence: 35 },
  ],
  [
    "a survey answer naming a channel",
    { late: { survey: { creatorId: null, optionLabel: "Google search", answeredAt: daysBeforeOrder(-0.01) } } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a code and a click of different creators: the code comes first by default",
    { order: { discountCodes: ["SARAH10"], landingSite: `/?cl_click=${CLICKS.maya}` } },
    { creatorId: SARAH, method: "DISCOUNT_CODE", confidence: 65, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "the same order when the shop ranks tracking links first",
    {
      order: { discountCodes: ["SARAH10"], landingSite: `/?cl_click=${CLICKS.maya}` },
      rules: { precedence: ["tracking_link", "discount_code"] },
    },
    { creatorId: MAYA, method: "TRACKING_LINK", confidence: 60, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "a survey answer in a shop that does not credit surveys",
    {
      late: { survey: { creatorId: LEO, optionLabel: "Leo on YouTube", answeredAt: daysBeforeOrder(-0.01) } },
      rules: { precedence: ["discount_code", "tracking_link"] },
    },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "two creators' clicks, last touch",
    {
      order: { landingSite: `/?cl_click=${CLICKS.maya}` },
      late: {
        journey: {
          ready: true,
          firstVisit: visit(10, { landingPage: `/?cl_click=${CLICKS.leoRecent}` }),
          lastVisit: null,
        },
      },
    },
    { creatorId: MAYA, method: "TRACKING_LINK", confidence: 60, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "two creators' clicks, first touch",
    {
      order: { landingSite: `/?cl_click=${CLICKS.maya}` },
      late: {
        journey: {
          ready: true,
          firstVisit: visit(10, { landingPage: `/?cl_click=${CLICKS.leoRecent}` }),
          lastVisit: null,
        },
      },
      rules: { touchModel: "FIRST" },
    },
    { creatorId: LEO, method: "TRACKING_LINK", confidence: 65, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "a returning customer with a creator code in a new-customers-only shop",
    { order: { discountCodes: ["MAYA15"] }, late: returning, rules: { newCustomersOnly: true } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "a new customer with a creator code in a new-customers-only shop",
    { order: { discountCodes: ["MAYA15"] }, rules: { newCustomersOnly: true } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  [
    "a customer locked for life to the creator who acquired them, now using another code",
    { order: { discountCodes: ["SARAH10"] }, late: returning, rules: lockForLife, acquisition: acquiredBy(MAYA, 400) },
    { creatorId: MAYA, method: "CUSTOMER_LOCK", confidence: 95, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "a 180-day lock 100 days after acquisition",
    {
      order: { discountCodes: ["SARAH10"] },
      late: returning,
      rules: { customerLock: { enabled: true, days: 180 } },
      acquisition: acquiredBy(MAYA, 100),
    },
    { creatorId: MAYA, method: "CUSTOMER_LOCK", confidence: 95, flags: ["CONFLICTING_CREATORS"] },
  ],
  [
    "a 180-day lock 200 days after acquisition",
    {
      order: { discountCodes: ["SARAH10"] },
      late: returning,
      rules: { customerLock: { enabled: true, days: 180 } },
      acquisition: acquiredBy(MAYA, 200),
    },
    { creatorId: SARAH, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  [
    "an acquisition in a shop without the lock",
    { order: { discountCodes: ["SARAH10"] }, late: returning, acquisition: acquiredBy(MAYA, 10) },
    { creatorId: SARAH, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  [
    "the lock holds a returning customer in a new-customers-only shop",
    {
      late: returning,
      rules: { ...lockForLife, newCustomersOnly: true },
      acquisition: acquiredBy(MAYA, 30),
    },
    { creatorId: MAYA, method: "CUSTOMER_LOCK", confidence: 95 },
  ],
  [
    "a site-wide promotion code the shop excluded",
    { order: { discountCodes: ["welcome10"] }, rules: { excludedCodes: ["WELCOME 10"] } },
    { creatorId: null, method: "NONE", confidence: 0 },
  ],
  [
    "an excluded code beside a creator's ref link",
    { order: { discountCodes: ["WELCOME10"], landingSite: "/?ref=maya" }, rules: { excludedCodes: ["WELCOME10"] } },
    { creatorId: MAYA, method: "REF_PARAM", confidence: 80 },
  ],
  [
    "the creator buying with their own code on their own customer account",
    { order: { discountCodes: ["MAYA15"], customerGid: MAYA_CUSTOMER_GID } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["SELF_REFERRAL"] },
  ],
  [
    "the creator buying with their own code as a guest with their email",
    { order: { discountCodes: ["MAYA15"], customerGid: null, email: " maya@mayafit.com" } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["SELF_REFERRAL"] },
  ],
  [
    "a creator's code found on a coupon site",
    { order: { discountCodes: ["MAYA15"], referringSite: "https://www.retailmenot.com/view/glowlab.com" } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["LEAKED_CODE"] },
  ],
  [
    "a code of a creator who declared no sites, from a coupon site",
    { order: { discountCodes: ["SARAH10"], referringSite: "https://www.joinhoney.com/" } },
    { creatorId: SARAH, method: "DISCOUNT_CODE", confidence: 90, flags: ["LEAKED_CODE"] },
  ],
  [
    "a creator's code used from a forum the creator does not post on",
    { order: { discountCodes: ["MAYA15"], referringSite: "https://www.reddit.com/r/SkincareAddiction/" } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["LEAKED_CODE"] },
  ],
  [
    "a creator's code used from Instagram's link shim",
    { order: { discountCodes: ["MAYA15"], referringSite: "https://l.instagram.com/" } },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90 },
  ],
  [
    "a creator's code in a code burst",
    { order: { discountCodes: ["MAYA15"] }, codeUsage: [{ code: "maya15", lastHour: 25, hourlyBaseline: 1.5 }] },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["CODE_BURST"] },
  ],
  [
    "every holding flag at once, sorted",
    {
      order: {
        discountCodes: ["MAYA15"],
        customerGid: MAYA_CUSTOMER_GID,
        referringSite: "https://slickdeals.net/f/123",
      },
      codeUsage: [{ code: "MAYA15", lastHour: 40, hourlyBaseline: 2 }],
    },
    { creatorId: MAYA, method: "DISCOUNT_CODE", confidence: 90, flags: ["CODE_BURST", "LEAKED_CODE", "SELF_REFERRAL"] },
  ],
];

describe("attributeOrder on realistic orders", () => {
  it.each(cases)("%s", (_name, c, expected) => {
    const verdict = attribute(c);
    expect({
      creatorId: verdict.creatorId,
      method: verdict.method,
      confidence: verdict.confidence,
      flags: verdict.flags,
    }).toEqual({ flags: [], ...expected });
    expect(verdict.evidence.filter((entry) => entry.decisive)).toHaveLength(verdict.creatorId === null ? 0 : 1);
  });

  it("credits through every signal kind in at least one case", () => {
    const methods = new Set(cases.map(([, c]) => attribute(c).method));
    expect([...methods].sort()).toEqual(
      [
        "CART_ATTRIBUTE",
        "CUSTOMER_JOURNEY",
        "CUSTOMER_LOCK",
        "DISCOUNT_CODE",
        "NONE",
        "REFERRING_SITE",
        "REF_PARAM",
        "SURVEY",
        "TRACKING_LINK",
        "UTM",
      ].sort(),
    );
  });
});

describe("evidence", () => {
  it("lists every signal once, decisive first, each with why it counted or not", () => {
    const verdict = attribute({
      order: {
        discountCodes: ["FREESHIP", "maya15"],
        landingSite: `/products/serum?utm_source=maya&utm_medium=influencer&ref=leo&cl_click=${CLICKS.leoLongAgo}`,
        referringSite: "https://www.instagram.com/maya/",
      },
      late: { survey: { creatorId: null, optionLabel: "A friend", answeredAt: daysBeforeOrder(-0.01) } },
    });
    expect(verdict.rule).toBe("Discount code: the first signal in the shop's precedence that points at a creator");
    expect(
      verdict.evidence.map((e) => [e.signal, e.source, e.value, e.creatorId, e.matched, e.decisive, e.note]),
    ).toEqual([
      [
        "discount_code",
        "discount code",
        "maya15",
        MAYA,
        true,
        true,
        "decides: first signal in the shop's precedence that points at a creator",
      ],
      ["discount_code", "discount code", "FREESHIP", null, false, false, "not a creator's code"],
      ["tracking_link", "landing page cl_click", CLICKS.leoLongAgo, LEO, true, false, "outside the 30-day window"],
      ["ref_param", "landing page ref", "leo", LEO, true, false, "lower precedence than discount code"],
      ["utm", "landing page utm_medium", "influencer", null, false, false, "utm_medium is not compared with creators"],
      ["utm", "landing page utm_source", "maya", MAYA, true, false, "agrees; lower precedence than discount code"],
      [
        "referring_site",
        "referring site",
        "https://www.instagram.com/maya/",
        MAYA,
        true,
        false,
        "agrees; lower precedence than discount code",
      ],
      ["survey", "post-purchase survey", "A friend", null, false, false, "the answer names no creator"],
    ]);
    // Two kinds agree (90 + 10, capped at 99), a ref of another creator in the window disagrees (−25).
    expect(verdict.confidence).toBe(74);
    expect(verdict.flags).toEqual(["CONFLICTING_CREATORS"]);
  });

  it("dates clicks and journey visits, and says when a touch came after the order", () => {
    const verdict = attribute({ order: { landingSite: `/?cl_click=${CLICKS.sarahAfterOrder}` } });
    expect(verdict.rule).toBe("Signals point at creators only after the order");
    expect(verdict.evidence).toEqual([
      {
        signal: "tracking_link",
        source: "landing page cl_click",
        value: CLICKS.sarahAfterOrder,
        occurredAt: daysBeforeOrder(-0.5),
        creatorId: SARAH,
        matched: true,
        decisive: false,
        note: "after the order",
      },
    ]);
  });

  it("counts a touch exactly windowDays before the order, not a millisecond earlier", () => {
    const clickAt = (occurredAt: string): CreatorDirectory => ({
      ...DIRECTORY,
      clicks: [{ id: "edge", linkSlug: "leo-yt", creatorId: LEO, occurredAt }],
    });
    const order = { landingSite: "/?cl_click=edge" };
    expect(attribute({ order, directory: clickAt(daysBeforeOrder(30)) }).creatorId).toBe(LEO);
    const justOutside = new Date(Date.parse(daysBeforeOrder(30)) - 1).toISOString();
    expect(attribute({ order, directory: clickAt(justOutside) }).creatorId).toBeNull();
    expect(attribute({ order, directory: clickAt(ORDERED_AT) }).creatorId).toBe(LEO);
  });

  it("explains the touch model to the creator who lost", () => {
    const order = { landingSite: `/?cl_click=${CLICKS.maya}` };
    const late = {
      journey: {
        ready: true,
        firstVisit: visit(10, { landingPage: `/?cl_click=${CLICKS.leoRecent}` }),
        lastVisit: null,
      },
    };
    const last = attribute({ order, late });
    expect(last.rule).toBe(
      "Tracking link: the first signal in the shop's precedence that points at a creator; the last touch among 2 creators decides",
    );
    expect(last.evidence.find((e) => e.signal === "tracking_link" && e.creatorId === LEO)?.note).toBe(
      "an earlier touch: the last touch decides",
    );
    const first = attribute({ order, late, rules: { touchModel: "FIRST" } });
    expect(first.evidence.find((e) => e.signal === "tracking_link" && e.creatorId === MAYA)?.note).toBe(
      "a later touch: the first touch decides",
    );
    expect(first.evidence[0]).toMatchObject({
      creatorId: LEO,
      decisive: true,
      note: "decides: the first touch among 2 creators",
    });
  });

  it("settles two creator codes on one order by creator id, whatever order they were applied in", () => {
    const forward = attribute({ order: { discountCodes: ["SARAH10", "MAYA15"] } });
    const backward = attribute({ order: { discountCodes: ["MAYA15", "SARAH10"] } });
    expect(forward).toEqual(backward);
    expect(forward.creatorId).toBe(MAYA);
    expect(forward.evidence[1]?.note).toBe("another creator at the same moment: ties go to the lowest creator id");
  });

  it("shows an unfinished journey and says the verdict may still change", () => {
    const verdict = attribute({ late: { journey: { ready: false, firstVisit: null, lastVisit: null } } });
    expect(verdict.rule).toBe(
      "No signal on the order points at a creator (Shopify has not finished the customer journey yet)",
    );
    expect(verdict.evidence).toEqual([
      expect.objectContaining({
        signal: "customer_journey",
        value: "not ready",
        note: "Shopify has not finished this journey yet",
      }),
    ]);
  });
});

describe("rules for crediting nobody", () => {
  it.each([
    ["no signals at all", {}, "No attribution signals on the order"],
    [
      "signals that match nobody",
      { order: { discountCodes: ["TENOFF"] } },
      "No signal on the order points at a creator",
    ],
    [
      "a creator only outside the window",
      { order: { landingSite: `/?cl_click=${CLICKS.leoLongAgo}` } },
      "Signals point at creators only outside the 30-day window",
    ],
    [
      "creators only through kinds the shop does not credit",
      {
        order: { landingSite: "/?ref=maya" },
        late: { survey: { creatorId: LEO, optionLabel: "Leo", answeredAt: ORDERED_AT } },
        rules: { precedence: ["discount_code" as const] },
      },
      "Signals point at creators only through kinds the shop does not credit (ref parameters, survey answers)",
    ],
    [
      "a creator only through an excluded code",
      { order: { discountCodes: ["WELCOME10"] }, rules: { excludedCodes: ["welcome10"] } },
      "Signals point at creators only through excluded codes",
    ],
    [
      "a returning customer in a new-customers-only shop",
      { order: { discountCodes: ["MAYA15"] }, late: returning, rules: { newCustomersOnly: true } },
      "Returning customer: this shop credits new customers only",
    ],
  ] satisfies [string, Case, string][])("%s", (_name, c, rule) => {
    expect(attribute(c)).toMatchObject({ creatorId: null, method: "NONE", confidence: 0, rule, flags: [] });
  });

  it("says why each matching signal did not count", () => {
    const verdict = attribute({
      order: { discountCodes: ["WELCOME10"], landingSite: `/?ref=maya&cl_click=${CLICKS.leoLongAgo}` },
      rules: { excludedCodes: ["WELCOME10"], precedence: ["discount_code", "tracking_link"] },
    });
    expect(verdict.rule).toBe(
      "Signals point at creators only outside the 30-day window; through excluded codes; through kinds the shop does not credit (ref parameters)",
    );
    expect(verdict.evidence.map((e) => [e.signal, e.note])).toEqual([
      ["discount_code", "excluded code: never credits"],
      ["tracking_link", "outside the 30-day window"],
      ["ref_param", "the shop does not credit ref parameters"],
    ]);
  });
});

describe("customer lock", () => {
  it("credits the acquiring creator first and keeps every signal as evidence", () => {
    const verdict = attribute({
      order: { discountCodes: ["SARAH10", "FREESHIP"], landingSite: "/?ref=maya" },
      late: returning,
      rules: lockForLife,
      acquisition: acquiredBy(MAYA, 400),
    });
    expect(verdict.rule).toBe("Customer lock: this customer was acquired by the creator with order #1001");
    expect(verdict.evidence.map((e) => [e.signal, e.value, e.decisive, e.note])).toEqual([
      ["customer_lock", "#1001", true, "acquired by this creator with order #1001; locked for life"],
      ["discount_code", "FREESHIP", false, "not a creator's code"],
      ["discount_code", "SARAH10", false, "the customer lock decides instead"],
      ["ref_param", "maya", false, "agrees with the customer lock"],
    ]);
  });

  it("notes a lock that has ended and lets the signals decide", () => {
    const verdict = attribute({
      order: { discountCodes: ["SARAH10"] },
      rules: { customerLock: { enabled: true, days: 180 } },
      acquisition: acquiredBy(MAYA, 181),
    });
    expect(verdict.creatorId).toBe(SARAH);
    expect(verdict.evidence.map((e) => [e.signal, e.decisive, e.note])).toEqual([
      ["discount_code", true, "decides: first signal in the shop's precedence that points at a creator"],
      ["customer_lock", false, "acquired by this creator with order #1001; the 180-day lock has ended"],
    ]);
  });

  it("holds on the last day of a timed lock", () => {
    const verdict = attribute({
      order: { discountCodes: ["SARAH10"] },
      rules: { customerLock: { enabled: true, days: 180 } },
      acquisition: acquiredBy(MAYA, 180),
    });
    expect(verdict).toMatchObject({ creatorId: MAYA, method: "CUSTOMER_LOCK" });
  });

  it("does not reach back before the acquisition", () => {
    const verdict = attribute({
      order: { discountCodes: ["SARAH10"] },
      rules: lockForLife,
      acquisition: acquiredBy(MAYA, -1),
    });
    expect(verdict.creatorId).toBe(SARAH);
  });

  it("flags a creator locked to their own customer account", () => {
    const verdict = attribute({
      order: { customerGid: MAYA_CUSTOMER_GID },
      late: returning,
      rules: lockForLife,
      acquisition: acquiredBy(MAYA, 60),
    });
    expect(verdict.flags).toEqual(["SELF_REFERRAL"]);
  });
});

describe("confidence", () => {
  it("adds 5 per other kind that agrees, up to 99", () => {
    const verdict = attribute({
      order: {
        discountCodes: ["MAYA15"],
        landingSite: `/?utm_source=maya&ref=maya&cl_click=${CLICKS.maya}`,
        referringSite: "https://instagram.com/maya",
        noteAttributes: { ref: "maya" },
      },
      late: { survey: { creatorId: MAYA, optionLabel: "Maya", answeredAt: ORDERED_AT } },
    });
    expect(verdict).toMatchObject({ creatorId: MAYA, confidence: 99, flags: [] });
  });

  it("counts an agreeing kind once however many of its signals agree", () => {
    const verdict = attribute({
      order: { discountCodes: ["MAYA15"], landingSite: "/?utm_source=maya&utm_campaign=maya&utm_content=maya" },
    });
    expect(verdict.confidence).toBe(95);
  });

  it("does not let excluded, out-of-window or uncredited signals agree or conflict", () => {
    const verdict = attribute({
      order: { discountCodes: ["MAYA15", "WELCOME10"], landingSite: `/?cl_click=${CLICKS.leoLongAgo}` },
      late: { survey: { creatorId: SARAH, optionLabel: "Sarah", answeredAt: ORDERED_AT } },
      rules: { excludedCodes: ["WELCOME10"], precedence: ["discount_code", "tracking_link"] },
    });
    expect(verdict).toMatchObject({ creatorId: MAYA, confidence: 90, flags: [] });
  });

  it("never raises a low survey confidence to the conflict floor", () => {
    const survey = { creatorId: LEO, optionLabel: "Leo", answeredAt: ORDERED_AT };
    const journey = { ready: true, firstVisit: null, lastVisit: visit(1, { referralCode: "maya" }) };
    const precedence: AttributionRules["precedence"] = ["survey", "customer_journey"];
    expect(attribute({ late: { survey, journey }, rules: { precedence, surveyConfidence: 5 } }).confidence).toBe(5);
    expect(attribute({ late: { survey, journey }, rules: { precedence, surveyConfidence: 30 } }).confidence).toBe(10);
    expect(attribute({ late: { survey, journey }, rules: { precedence, surveyConfidence: 60 } }).confidence).toBe(35);
  });

  it("caps a survey the shop rates at 100 below a merchant's own decision", () => {
    const survey = { creatorId: LEO, optionLabel: "Leo", answeredAt: ORDERED_AT };
    expect(attribute({ late: { survey }, rules: { surveyConfidence: 100 } }).confidence).toBe(99);
  });
});

describe("flags", () => {
  describe("SELF_REFERRAL", () => {
    it.each([
      ["another customer's account", { customerGid: "gid://shopify/Customer/1" }, []],
      ["the creator's account", { customerGid: MAYA_CUSTOMER_GID }, ["SELF_REFERRAL"]],
      [
        "a guest with the creator's email in another case",
        { customerGid: null, email: MAYA_EMAIL.toUpperCase() },
        ["SELF_REFERRAL"],
      ],
      ["a guest without an email", { customerGid: null, email: null }, []],
    ] satisfies [string, OrderChanges, AttributionFlag[]][])("%s", (_name, order, flags) => {
      expect(attribute({ order: { discountCodes: ["MAYA15"], ...order } }).flags).toEqual(flags);
    });

    it("does not match a creator without an email hash to a buyer without one", () => {
      const verdict = attribute({ order: { discountCodes: ["Leo-Summer"], customerGid: null, email: null } });
      expect(verdict).toMatchObject({ creatorId: LEO, flags: [] });
    });

    it("applies to the credited creator, not to others on the order", () => {
      const verdict = attribute({
        order: { discountCodes: ["SARAH10"], landingSite: "/?ref=maya", customerGid: MAYA_CUSTOMER_GID },
      });
      expect(verdict.flags).toEqual(["CONFLICTING_CREATORS"]);
    });
  });

  describe("LEAKED_CODE", () => {
    it.each([
      ["a coupon site's subdomain", "https://deals.couponfollow.com/site/glowlab.com", ["LEAKED_CODE"]],
      ["Rakuten", "https://www.rakuten.com/glowlab.com", ["LEAKED_CODE"]],
      ["the creator's declared site", "https://mayafit.com/blog/my-routine", []],
      ["the creator's declared profile", "https://www.instagram.com/maya/reel/1", []],
      ["the shop's own storefront", "https://glowlab.com/collections/all", []],
      ["the shop's myshopify domain", "https://glow-lab.myshopify.com/cart", []],
      ["Google", "https://www.google.co.uk/", []],
      ["Bing", "https://www.bing.com/search?q=glowlab", []],
      ["DuckDuckGo", "https://duckduckgo.com/", []],
      ["a forum", "https://www.reddit.com/r/SkincareAddiction/", ["LEAKED_CODE"]],
      ["an Android app", "android-app://com.reddit.frontpage/", ["LEAKED_CODE"]],
      ["no referrer (typed in, or an app)", null, []],
      ["an unreadable referrer", "not a url", []],
    ] satisfies [string, string | null, AttributionFlag[]][])(
      "a creator's code from %s",
      (_name, referringSite, flags) => {
        expect(attribute({ order: { discountCodes: ["MAYA15"], referringSite } }).flags).toEqual(flags);
      },
    );

    it("does not flag a creator who declared no sites unless the referrer is a coupon site", () => {
      expect(
        attribute({ order: { discountCodes: ["SARAH10"], referringSite: "https://www.reddit.com/" } }).flags,
      ).toEqual([]);
    });

    it("only concerns verdicts decided by a code", () => {
      const verdict = attribute({
        order: { landingSite: "/?ref=maya", referringSite: "https://www.retailmenot.com/" },
      });
      expect(verdict).toMatchObject({ method: "REF_PARAM", flags: [] });
    });
  });

  describe("CODE_BURST", () => {
    const burst = (usage: CodeUsage, rules: Partial<AttributionRules> = {}) =>
      attribute({ order: { discountCodes: ["MAYA15"] }, codeUsage: [usage], rules }).flags;

    it.each([
      ["at the minimum with a quiet baseline", { code: "MAYA15", lastHour: 20, hourlyBaseline: 0 }, ["CODE_BURST"]],
      ["one below the minimum", { code: "MAYA15", lastHour: 19, hourlyBaseline: 0 }, []],
      ["above the minimum but within 5× a busy baseline", { code: "MAYA15", lastHour: 25, hourlyBaseline: 6 }, []],
      ["at 5× a busy baseline", { code: "MAYA15", lastHour: 30, hourlyBaseline: 6 }, ["CODE_BURST"]],
      ["another code's burst", { code: "SARAH10", lastHour: 500, hourlyBaseline: 0 }, []],
    ] satisfies [string, CodeUsage, AttributionFlag[]][])("%s", (_name, usage, flags) => {
      expect(burst(usage)).toEqual(flags);
    });

    it("follows the shop's thresholds", () => {
      const usage = { code: "MAYA15", lastHour: 6, hourlyBaseline: 2 };
      expect(burst(usage)).toEqual([]);
      expect(burst(usage, { burstMinOrders: 5, burstMultiplier: 3 })).toEqual(["CODE_BURST"]);
      expect(burst(usage, { burstMinOrders: 5, burstMultiplier: 3.5 })).toEqual([]);
    });

    it("looks at the deciding code only", () => {
      const verdict = attribute({
        order: { discountCodes: ["MAYA15"], noteAttributes: { referral_code: "SARAH10" } },
        codeUsage: [{ code: "SARAH10", lastHour: 100, hourlyBaseline: 0 }],
      });
      expect(verdict.flags).toEqual(["CONFLICTING_CREATORS"]);
    });

    it("only concerns verdicts decided by a code", () => {
      const verdict = attribute({
        order: { discountCodes: ["MAYA15"], landingSite: `/?cl_click=${CLICKS.maya}` },
        rules: { precedence: ["tracking_link", "discount_code"] },
        codeUsage: [{ code: "MAYA15", lastHour: 100, hourlyBaseline: 0 }],
      });
      expect(verdict).toMatchObject({ method: "TRACKING_LINK", flags: [] });
    });
  });

  it("holds commission for self-referrals, leaked codes and bursts, not for conflicts", () => {
    expect([...HOLDING_FLAGS].sort()).toEqual(["CODE_BURST", "LEAKED_CODE", "SELF_REFERRAL"]);
  });
});

describe("applyOverride", () => {
  const computed = attribute({ order: { discountCodes: ["MAYA15"], landingSite: "/?ref=leo" } });

  it("credits the merchant's choice and keeps what the signals said beneath it", () => {
    const verdict = applyOverride(computed, { creatorId: SARAH, reason: " Sarah's story drove this order " });
    expect(verdict).toMatchObject({
      creatorId: SARAH,
      method: "MANUAL_OVERRIDE",
      confidence: 100,
      rule: "Overridden by the merchant: Sarah's story drove this order",
      flags: ["CONFLICTING_CREATORS"],
    });
    expect(verdict.evidence[0]).toEqual({
      signal: "override",
      source: "merchant override",
      value: "Sarah's story drove this order",
      occurredAt: null,
      creatorId: SARAH,
      matched: true,
      decisive: true,
      note: `replaces the computed verdict: ${computed.rule}`,
    });
    expect(verdict.evidence.slice(1)).toEqual([
      {
        ...computed.evidence[0]!,
        decisive: false,
        note: "would have decided without the override: decides: first signal in the shop's precedence that points at a creator",
      },
      computed.evidence[1],
    ]);
  });

  it("can credit nobody", () => {
    const verdict = applyOverride(computed, { creatorId: null, reason: "" });
    expect(verdict).toMatchObject({
      creatorId: null,
      method: "MANUAL_OVERRIDE",
      confidence: 100,
      rule: "Overridden by the merchant",
    });
    expect(verdict.evidence[0]).toMatchObject({ signal: "override", matched: false, decisive: true });
  });

  it("leaves the computed verdict untouched", () => {
    const before = structuredClone(computed);
    applyOverride(computed, { creatorId: LEO, reason: "x" });
    expect(computed).toEqual(before);
  });
});

describe("hashed buyer emails", () => {
  it("reads the order's email the way the app stores it", () => {
    const facts = factsOf(shopifyOrder({ email: "  Maya@MayaFit.COM " }));
    expect(facts.customerEmailHash).toBe(hashEmail("maya@mayafit.com"));
  });
});
