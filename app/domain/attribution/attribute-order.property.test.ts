import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyOverride, attributeOrder, METHOD_OF_KIND } from "./attribute-order";
import { normalizeDiscountCode } from "./normalize-discount-code";
import { referencesOf } from "./references";
import { collectSignals } from "./signals";
import {
  SIGNAL_KINDS,
  type AttributionInput,
  type AttributionRules,
  type CreatorDirectory,
  type CustomerJourney,
  type JourneyVisit,
  type UtmParameters,
} from "./types";
import { normalizeReferrerEntry } from "./url-parts";

/*
 * Orders and directories drawn from small pools, so that codes, handles, slugs, clicks and referrers collide often:
 * several creators on one order, the same code in two spellings, rows that disagree, touches on both sides of the
 * window and after the order.
 */

const RUNS = { numRuns: 500 };
const ORDERED_AT = "2026-03-10T15:00:00.000Z";
const DAY_MS = 86_400_000;

const CREATOR_IDS = ["creator-a", "creator-b", "creator-c", "creator-d"];
const HANDLES = ["anna", "ben", "cleo", "dana"];
const CODES = ["ANNA10", "BEN-SUMMER", "CLEO5", "DANA", "SALE20"];
const SLUGS = ["anna-ig", "ben-yt", "cleo-tt"];
const CLICK_IDS = ["click-1", "click-2", "click-3", "click-4"];
const SITES = ["instagram.com/anna", "instagram.com", "ben.blog", "tiktok.com/@cleo", "https://www.Ben.blog/"];
const REFERRERS = [
  "https://www.instagram.com/anna/p/1",
  "https://instagram.com/explore",
  "https://l.instagram.com/",
  "https://ben.blog/post",
  "https://www.tiktok.com/@cleo",
  "https://www.google.com/",
  "https://www.retailmenot.com/view/shop",
  "https://shop.example.com/cart",
  "https://www.reddit.com/r/x",
  "garbage",
];
const CUSTOMER_GIDS = ["gid://shopify/Customer/1", "gid://shopify/Customer/2"];
const EMAIL_HASHES = ["aa11", "bb22"];

const creatorId = fc.constantFrom(...CREATOR_IDS);
const anyValue = fc.constantFrom(...HANDLES, ...SLUGS, ...CODES, "Anna", "anna 10", "instagram", "nobody");
const codeLike = fc.constantFrom(...CODES, "anna10", "sale 20", "FREESHIP");
const time = (daysAfter: number, daysBefore: number) =>
  fc
    .integer({ min: -daysAfter * DAY_MS, max: daysBefore * DAY_MS })
    .map((ms) => new Date(Date.parse(ORDERED_AT) - ms).toISOString());
const touchTime = time(3, 60);
const option = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

const landingSite = fc.oneof(
  fc
    .record(
      {
        ref: fc.constantFrom(...HANDLES, "ANNA", "nobody"),
        utm_source: anyValue,
        utm_medium: fc.constant("influencer"),
        utm_campaign: anyValue,
        utm_content: fc.constantFrom(...SLUGS, ...HANDLES, "other"),
        cl_click: fc.constantFrom(...CLICK_IDS, "CLICK-2", "forged"),
      },
      { requiredKeys: [] },
    )
    .map((parameters) => `/products/serum?${new URLSearchParams(parameters as Record<string, string>)}`),
  fc.constantFrom("https://shop.example.com/?ref=ben", "%%%?ref=%E0", "/collections/all"),
);

const utmParameters: fc.Arbitrary<UtmParameters> = fc.record({
  source: option(anyValue),
  medium: option(fc.constant("influencer")),
  campaign: option(anyValue),
  content: option(fc.constantFrom(...SLUGS, "anna")),
  term: fc.constant(null),
});

const journeyVisit: fc.Arbitrary<JourneyVisit> = fc.record({
  occurredAt: touchTime,
  landingPage: option(landingSite),
  referrerUrl: option(fc.constantFrom(...REFERRERS)),
  referralCode: option(anyValue),
  source: fc.constant(null),
  utm: option(utmParameters),
});

const journey: fc.Arbitrary<CustomerJourney> = fc.record({
  ready: fc.boolean(),
  firstVisit: option(journeyVisit),
  lastVisit: option(journeyVisit),
});

const directory: fc.Arbitrary<CreatorDirectory> = fc.record({
  creators: fc.subarray([0, 1, 2, 3]).chain((indexes) =>
    fc.tuple(
      ...indexes.map((i) =>
        fc.record({
          id: fc.constant(CREATOR_IDS[i]!),
          handle: fc.constantFrom(HANDLES[i]!, HANDLES[i]!.toUpperCase()),
          referrerDomains: fc.subarray(SITES, { maxLength: 2 }),
          customerGid: option(fc.constantFrom(...CUSTOMER_GIDS)),
          emailHash: option(fc.constantFrom(...EMAIL_HASHES)),
        }),
      ),
    ),
  ),
  codes: fc.array(fc.record({ code: codeLike, creatorId }), { maxLength: 6 }),
  links: fc.array(fc.record({ slug: fc.constantFrom(...SLUGS), creatorId }), { maxLength: 4 }),
  clicks: fc.array(
    fc.record({
      id: fc.constantFrom(...CLICK_IDS),
      linkSlug: fc.constantFrom(...SLUGS),
      creatorId,
      occurredAt: touchTime,
    }),
    { maxLength: 5 },
  ),
});

const rules: fc.Arbitrary<AttributionRules> = fc.record({
  precedence: fc.shuffledSubarray([...SIGNAL_KINDS]),
  windowDays: fc.integer({ min: 1, max: 60 }),
  touchModel: fc.constantFrom("FIRST" as const, "LAST" as const),
  newCustomersOnly: fc.boolean(),
  customerLock: fc.record({ enabled: fc.boolean(), days: option(fc.integer({ min: 1, max: 400 })) }),
  excludedCodes: fc.subarray(["SALE20", "sale 20", "anna10", "DANA"]),
  surveyConfidence: fc.integer({ min: 0, max: 100 }),
  burstMinOrders: fc.integer({ min: 1, max: 30 }),
  burstMultiplier: fc.integer({ min: 2, max: 20 }).map((halves) => halves / 2),
});

const input: fc.Arbitrary<AttributionInput> = fc.record({
  facts: fc.record({
    orderedAt: fc.constant(ORDERED_AT),
    discountCodes: fc.array(codeLike, { maxLength: 3 }),
    landingSite: option(landingSite),
    referringSite: option(fc.constantFrom(...REFERRERS)),
    noteAttributes: fc.array(
      fc.record({
        name: fc.constantFrom("ref", "Creator", "referral_code", "utm_source", "gift_message"),
        value: anyValue,
      }),
      { maxLength: 3 },
    ),
    journey: option(journey),
    survey: option(
      fc.record({
        creatorId: option(creatorId),
        optionLabel: fc.constantFrom("Instagram", "A friend"),
        answeredAt: time(2, 1),
      }),
    ),
    newCustomer: fc.boolean(),
    customerGid: option(fc.constantFrom(...CUSTOMER_GIDS)),
    customerEmailHash: option(fc.constantFrom(...EMAIL_HASHES)),
  }),
  directory,
  rules,
  acquisition: option(fc.record({ creatorId, acquiredAt: time(5, 400), orderName: fc.constantFrom("#1001", "#1002") })),
  codeUsage: fc.array(
    fc.record({
      code: codeLike,
      lastHour: fc.integer({ min: 0, max: 60 }),
      hourlyBaseline: fc.integer({ min: 0, max: 20 }).map((halves) => halves / 2),
    }),
    { maxLength: 3 },
  ),
  shopHosts: fc.constant(["shop.example.com"]),
});

function permutation<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

/** The same input with every list shuffled. */
const inputAndShuffled: fc.Arbitrary<[AttributionInput, AttributionInput]> = input.chain((original) =>
  fc
    .record({
      discountCodes: permutation(original.facts.discountCodes),
      noteAttributes: permutation(original.facts.noteAttributes),
      creators: permutation(original.directory.creators),
      codes: permutation(original.directory.codes),
      links: permutation(original.directory.links),
      clicks: permutation(original.directory.clicks),
      codeUsage: permutation(original.codeUsage),
      excludedCodes: permutation(original.rules.excludedCodes),
      referrerDomains: fc.tuple(...original.directory.creators.map((creator) => permutation(creator.referrerDomains))),
    })
    .map((shuffled): [AttributionInput, AttributionInput] => [
      original,
      {
        ...original,
        facts: { ...original.facts, discountCodes: shuffled.discountCodes, noteAttributes: shuffled.noteAttributes },
        directory: {
          creators: shuffled.creators.map((creator) => ({
            ...creator,
            referrerDomains: shuffled.referrerDomains[original.directory.creators.indexOf(creator)]!,
          })),
          codes: shuffled.codes,
          links: shuffled.links,
          clicks: shuffled.clicks,
        },
        rules: { ...original.rules, excludedCodes: shuffled.excludedCodes },
        codeUsage: shuffled.codeUsage,
      },
    ]),
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe("attributeOrder, for any order", () => {
  it("gives the same verdict whatever order the lists are in", () => {
    fc.assert(
      fc.property(inputAndShuffled, ([original, shuffled]) => {
        expect(attributeOrder(shuffled)).toEqual(attributeOrder(original));
      }),
      RUNS,
    );
  });

  it("is deterministic and leaves its input alone", () => {
    fc.assert(
      fc.property(input, (original) => {
        const copy = structuredClone(original);
        const first = attributeOrder(deepFreeze(original));
        expect(attributeOrder(original)).toEqual(first);
        expect(attributeOrder(copy)).toEqual(first);
        expect(original).toEqual(copy);
      }),
      RUNS,
    );
  });

  it("never lets an excluded code decide", () => {
    fc.assert(
      fc.property(input, (original) => {
        const excluded = new Set(original.rules.excludedCodes.map(normalizeDiscountCode));
        const decisive = attributeOrder(original).evidence.filter((entry) => entry.decisive);
        for (const entry of decisive) {
          if (entry.signal === "discount_code") expect(excluded.has(normalizeDiscountCode(entry.value))).toBe(false);
        }
        const everyCodeExcluded = { ...original.rules, excludedCodes: [...original.facts.discountCodes] };
        expect(attributeOrder({ ...original, rules: everyCodeExcluded }).method).not.toBe("DISCOUNT_CODE");
      }),
      RUNS,
    );
  });

  it("never lets a kind the shop left out of its precedence decide", () => {
    fc.assert(
      fc.property(input, (original) => {
        const verdict = attributeOrder(original);
        const credited = new Set<string>([...original.rules.precedence, "customer_lock"]);
        for (const entry of verdict.evidence.filter((e) => e.decisive)) expect(credited.has(entry.signal)).toBe(true);
        const allowedMethods = new Set([
          ...original.rules.precedence.map((kind) => METHOD_OF_KIND[kind]),
          "CUSTOMER_LOCK",
          "NONE",
        ]);
        expect(allowedMethods.has(verdict.method)).toBe(true);
      }),
      RUNS,
    );
  });

  it("keeps its verdicts well-formed", () => {
    fc.assert(
      fc.property(input, (original) => {
        const verdict = attributeOrder(original);
        expect(Number.isInteger(verdict.confidence)).toBe(true);
        expect(verdict.confidence).toBeGreaterThanOrEqual(0);
        expect(verdict.confidence).toBeLessThanOrEqual(99);
        expect(verdict.evidence.filter((entry) => entry.decisive)).toHaveLength(verdict.creatorId === null ? 0 : 1);
        expect(verdict.method === "NONE").toBe(verdict.creatorId === null);
        const signals = collectSignals(original.facts, original.directory).length;
        expect(verdict.evidence.filter((entry) => entry.signal !== "customer_lock")).toHaveLength(signals);
        expect(verdict.flags).toEqual([...new Set(verdict.flags)].sort());
        for (const entry of verdict.evidence) expect(entry.matched).toBe(entry.creatorId !== null);
      }),
      RUNS,
    );
  });

  it("needs only the directory rows referencesOf names", () => {
    fc.assert(
      fc.property(input, (original) => {
        const refs = referencesOf(original.facts);
        const { directory: all } = original;
        const codes = all.codes.filter((row) => refs.codes.includes(normalizeDiscountCode(row.code)));
        const links = all.links.filter((row) => refs.linkSlugs.includes(row.slug.toLowerCase()));
        const clicks = all.clicks.filter((row) => refs.clickIds.includes(row.id.toLowerCase()));
        const named = new Set([
          ...refs.creatorIds,
          ...[...codes, ...links, ...clicks].map((row) => row.creatorId),
          ...(original.acquisition ? [original.acquisition.creatorId] : []),
        ]);
        const creators = all.creators.filter(
          (creator) =>
            named.has(creator.id) ||
            refs.handles.includes(creator.handle.toLowerCase()) ||
            creator.referrerDomains.some((entry) => refs.referrerPrefixes.includes(normalizeReferrerEntry(entry))),
        );
        const loaded = { ...original, directory: { creators, codes, links, clicks } };
        expect(attributeOrder(loaded)).toEqual(attributeOrder(original));
      }),
      RUNS,
    );
  });
});

describe("applyOverride, for any verdict", () => {
  it("credits the override's creator and keeps every computed entry, none of them decisive", () => {
    const override = fc.record({ creatorId: option(creatorId), reason: fc.string({ maxLength: 40 }) });
    fc.assert(
      fc.property(input, override, (original, decision) => {
        const verdict = attributeOrder(original);
        const final = applyOverride(verdict, decision);
        expect(final).toMatchObject({ creatorId: decision.creatorId, method: "MANUAL_OVERRIDE", confidence: 100 });
        expect(final.evidence[0]).toMatchObject({ signal: "override", decisive: true, creatorId: decision.creatorId });
        const kept = final.evidence.slice(1);
        expect(kept.map(({ decisive: _d, note: _n, ...entry }) => entry)).toEqual(
          verdict.evidence.map(({ decisive: _d, note: _n, ...entry }) => entry),
        );
        expect(kept.some((entry) => entry.decisive)).toBe(false);
        kept.forEach((entry, i) => {
          const computed = verdict.evidence[i]!;
          expect(entry.note).toBe(
            computed.decisive ? `would have decided without the override: ${computed.note}` : computed.note,
          );
        });
        expect(final.flags).toEqual(verdict.flags);
      }),
      RUNS,
    );
  });
});
