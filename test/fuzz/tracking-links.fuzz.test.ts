// Property tests of the public tracking-link redirect /r/<slug> (issue #9): any slug, query string, method and headers
// get a redirect to the link's own storefront (302) or a 404 — never a 5xx with the database up, never a redirect to
// another host — and a click is recorded only for a real link opened by a shopper. Destinations the merchant types
// are fuzzed too: whatever is accepted still redirects to the storefront.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createTrackingLink, RESERVED_PARAMETERS } from "~/models/tracking-link.server";
import { loader } from "~/routes/r.$slug";
import { storefrontRedirectUrl, type LinkTarget } from "~/services/follow-tracking-link.server";
import { createTestCreator, createTestShop } from "../helpers/factories";

const APP_URL = process.env.SHOPIFY_APP_URL!;
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

interface KnownLink {
  slug: string;
  storefrontOrigin: string;
  creatorId: string;
}

let links: KnownLink[] = [];
let creatorIds: { a: string; shopA: string };

/** Strings the URL machinery must take: no lone UTF-16 halves (encodeURIComponent throws on them, as browsers never send them). */
const wellFormed = (value: string) => {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
};
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.string({ minLength: 300, maxLength: 3_000 })).filter(wellFormed);
const nasty = fc.constantFrom(
  "javascript:alert(1)",
  "//evil.example",
  "https://evil.example/",
  "\r\nLocation: https://evil.example",
  "%0d%0aSet-Cookie:%20x=1",
  "%E0%A4%A",
  "%",
  "..%2F..%2F",
  "@evil.example",
  "\\\\evil.example",
  "\u0000",
  "‮evil",
);

beforeAll(async () => {
  const [withDomain, plain] = await Promise.all([createTestShop(), createTestShop()]);
  await prisma.shop.update({ where: { id: withDomain.id }, data: { storefrontUrl: "https://glow.example" } });
  const creatorA = await createTestCreator(withDomain.id);
  const creatorB = await createTestCreator(plain.id);
  creatorIds = { a: creatorA.id, shopA: withDomain.id };
  const destinations = ["/", "/products/serum", "/collections/summer?sort_by=price", "/pages/%E2%9C%93", "/search?q=a%26b"];
  for (const [shop, creator, origin] of [
    [withDomain, creatorA, "https://glow.example"],
    [plain, creatorB, `https://${plain.domain}`],
  ] as const) {
    for (const destinationPath of destinations) {
      const result = await createTrackingLink(shop.id, creator.id, { label: "Fuzz", utmSource: "instagram", destinationPath });
      if (!result?.ok) throw new Error(`link not created: ${JSON.stringify(result)}`);
      links.push({ slug: result.link.slug, storefrontOrigin: origin, creatorId: creator.id });
    }
  }
  links = links.sort((x, y) => x.slug.localeCompare(y.slug));
});

const follow = (request: Request, slug: string) => loader({ request, params: { slug }, context: {} }) as Promise<Response>;

/** A slug as a shopper's browser might send one: a real one, one bent out of shape, or anything at all. */
const slugArb = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((i) => ({ kind: "real" as const, index: i })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ i: fc.nat(), bend: fc.constantFrom("upper", "lower", "extra", "short", "space", "encoded-slash") })
      .map(({ i, bend }) => ({ kind: "bent" as const, index: i, bend })),
  },
  { weight: 2, arbitrary: fc.oneof(anyText, nasty).map((text) => ({ kind: "junk" as const, text })) },
);

function slugOf(choice: { kind: "real" | "bent" | "junk"; index?: number; bend?: string; text?: string }): string {
  if (choice.kind === "junk") return choice.text!;
  const slug = links[choice.index! % links.length]!.slug;
  switch (choice.bend) {
    case undefined:
      return slug;
    case "upper":
      return slug.toUpperCase();
    case "lower":
      return slug.toLowerCase();
    case "extra":
      return `${slug}x`;
    case "short":
      return slug.slice(0, -1);
    case "space":
      return ` ${slug}`;
    default:
      return `${slug}/`;
  }
}

const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...RESERVED_PARAMETERS, "utm_term", "fbclid", "redirect", "url", "next"), anyText),
      fc.oneof(anyText, nasty),
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  // Sometimes encoded as a browser would, sometimes raw (invalid escapes and all).
  .map((pairs) => pairs.map(([key, value, raw]) => (raw ? `${key}=${value}` : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)).join("&"));

const headerChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const headerText = fc.string({ unit: headerChar, maxLength: 200 });

const visitArb = fc.record({
  slug: slugArb,
  query: queryArb,
  method: fc.constantFrom("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"),
  userAgent: fc.option(fc.oneof(fc.constant(CHROME), fc.constant("Googlebot/2.1 (+http://www.google.com/bot.html)"), headerText), { nil: undefined }),
  forwardedFor: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), headerText), { nil: undefined }),
  purpose: fc.option(fc.constantFrom("prefetch", "prerender", "document", "prefetch;prerender"), { nil: undefined }),
});

describe("/r/<slug> under arbitrary requests", () => {
  it("redirects only real links, only to their shop's storefront, and counts only shoppers' visits to them", async () => {
    await fc.assert(
      fc.asyncProperty(visitArb, async (visit) => {
        const slug = slugOf(visit.slug);
        const headers = new Headers();
        if (visit.userAgent !== undefined) headers.set("User-Agent", visit.userAgent);
        if (visit.forwardedFor !== undefined) headers.set("X-Forwarded-For", visit.forwardedFor);
        if (visit.purpose !== undefined) headers.set("Sec-Purpose", visit.purpose);
        const url = `${APP_URL}/r/${encodeURIComponent(slug)}${visit.query ? `?${visit.query}` : ""}`;
        const clicksBefore = await prisma.linkClick.count();

        const response = await follow(new Request(url, { method: visit.method, headers }), slug);

        const link = links.find((known) => known.slug === slug);
        const clicks = (await prisma.linkClick.count()) - clicksBefore;
        if (!link) {
          expect(response.status).toBe(404);
          expect(await response.text()).toBe("This link does not exist");
          expect(clicks).toBe(0);
          return;
        }
        expect(response.status).toBe(302);
        const location = response.headers.get("Location")!;
        expect(location).not.toMatch(/[\r\n\s]/);
        const target = new URL(location);
        expect(target.origin).toBe(link.storefrontOrigin);
        // The link's own parameters, whatever the shopper's query said.
        expect(target.searchParams.getAll("utm_content")).toEqual([slug]);
        expect(target.searchParams.getAll("utm_source")).toEqual(["instagram"]);
        const human =
          visit.method === "GET" &&
          (visit.userAgent ?? "").trim() !== "" &&
          visit.userAgent !== "Googlebot/2.1 (+http://www.google.com/bot.html)" &&
          !/prefetch|prerender/.test(visit.purpose ?? "");
        if (clicks === 1) expect(target.searchParams.get("cl_click")).toMatch(/^[0-9a-f-]{36}$/);
        else expect(target.searchParams.has("cl_click")).toBe(false);
        // isbot decides for arbitrary user agents; for the ones this test knows, the outcome is certain.
        if (!human || visit.userAgent !== CHROME) expect(clicks).toBeLessThanOrEqual(human ? 1 : 0);
        else expect(clicks).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it("whatever destination the merchant types, an accepted link redirects to the storefront and a refused one says why", async () => {
    const destination = fc.oneof(
      anyText,
      nasty,
      fc.tuple(fc.constantFrom("/", "//", "/\\", "/.", "/..", "/%2e%2e/", ""), fc.oneof(anyText, nasty)).map(([a, b]) => a + b),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webPath(),
    );
    await fc.assert(
      fc.asyncProperty(destination, async (destinationPath) => {
        const before = await prisma.trackingLink.count({ where: { shopId: creatorIds.shopA } });
        const result = await createTrackingLink(creatorIds.shopA, creatorIds.a, { label: "Fuzz", utmSource: "tiktok", destinationPath });
        expect(result).not.toBeNull();
        if (!result!.ok) {
          expect(typeof result!.fieldErrors.destinationPath).toBe("string");
          expect(await prisma.trackingLink.count({ where: { shopId: creatorIds.shopA } })).toBe(before);
          return;
        }
        const slug = result!.link.slug;
        const response = await follow(new Request(`${APP_URL}/r/${slug}`, { headers: { "User-Agent": "Googlebot/2.1" } }), slug);
        expect(response.status).toBe(302);
        const location = response.headers.get("Location")!;
        expect(location).not.toMatch(/[\r\n\s]/);
        expect(new URL(location).origin).toBe("https://glow.example");
        expect(location.startsWith("https://glow.example/")).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("builds a storefront address whatever the stored destination and storefront hold", () => {
    const target = (destinationPath: string, storefrontUrl: string | null): LinkTarget => ({
      id: "00000000-0000-4000-8000-000000000000",
      shopId: "00000000-0000-4000-8000-000000000001",
      creatorId: "00000000-0000-4000-8000-000000000002",
      slug: "AbCd1234",
      destinationPath,
      utmSource: "instagram",
      utmMedium: "influencer",
      utmCampaign: "maya",
      handle: "maya",
      shopDomain: "glow.myshopify.com",
      storefrontUrl,
    });
    fc.assert(
      fc.property(
        fc.oneof(anyText, nasty, fc.webPath(), fc.webUrl()),
        fc.option(fc.oneof(fc.webUrl(), anyText, nasty), { nil: null }),
        (destinationPath, storefrontUrl) => {
          const location = new URL(storefrontRedirectUrl(target(destinationPath, storefrontUrl), null));
          let expected = "https://glow.myshopify.com";
          try {
            const storefront = new URL(storefrontUrl ?? "");
            if (storefront.protocol === "https:" || storefront.protocol === "http:") expected = storefront.origin;
          } catch {
            // not an address: the myshopify domain
          }
          expect(location.origin).toBe(expected);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
