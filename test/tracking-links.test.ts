// Creators' handles, sites and customer accounts; tracking links (model) and the public /r/<slug> redirect, against
// the real database. The route is exercised by calling its loader with real Request objects.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { suggestHandle } from "~/components/CreatorForm";
import { prisma } from "~/db.server";
import {
  createCreator,
  getCreator,
  listCreatorDiscountCodes,
  normalizeReferrerDomain,
  parseCustomerGid,
  updateCreator,
} from "~/models/creator.server";
import {
  PLATFORMS,
  createTrackingLink,
  listTrackingLinks,
  randomSlug,
  setTrackingLinkArchived,
  trackingLinkUrl,
} from "~/models/tracking-link.server";
import { loader } from "~/routes/r.$slug";
import { followTrackingLink, visitorHash } from "~/services/follow-tracking-link.server";
import { createTestCreator, createTestShop } from "./helpers/factories";

const APP_URL = process.env.SHOPIFY_APP_URL!;
const DESKTOP_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE_SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const SHOPPER_IP = "203.0.113.42";

type Shop = Awaited<ReturnType<typeof createTestShop>>;
type Creator = Awaited<ReturnType<typeof createTestCreator>>;

const creatorForm = (overrides: Record<string, unknown> = {}) => ({
  name: "Maya Fit",
  email: "",
  handle: `maya-${Math.random().toString(36).slice(2, 8)}`,
  referrerDomains: "",
  customerGid: "",
  discountCode: `MAYA${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
  revenueSharePercent: "10",
  ...overrides,
});

async function newLink(shop: Shop, creator: Creator, raw: Record<string, unknown> = {}) {
  const result = await createTrackingLink(shop.id, creator.id, { label: "Bio link", utmSource: "instagram", ...raw });
  if (!result?.ok) throw new Error(`newLink: ${JSON.stringify(result)}`);
  return prisma.trackingLink.findUniqueOrThrow({ where: { id: result.link.id } });
}

function visit(slug: string, init: { method?: string; userAgent?: string | null; ip?: string | null; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  const userAgent = init.userAgent === undefined ? DESKTOP_CHROME : init.userAgent;
  if (userAgent !== null) headers.set("User-Agent", userAgent);
  const ip = init.ip === undefined ? SHOPPER_IP : init.ip;
  if (ip !== null) headers.set("X-Forwarded-For", `${ip}, 10.0.0.7`);
  return new Request(`${APP_URL}/r/${slug}`, { method: init.method ?? "GET", headers });
}

const follow = (request: Request, slug: string) => loader({ request, params: { slug }, context: {} }) as Promise<Response>;

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("creator handle, sites and customer account", () => {
  it("suggests a handle from the name", () => {
    expect(suggestHandle("Maya Fit")).toBe("maya-fit");
    expect(suggestHandle("  Zoë O'Brien!! ")).toBe("zoe-o-brien");
    expect(suggestHandle("---")).toBe("");
    expect(suggestHandle("李")).toBe("");
    const long = suggestHandle("Anastasia Alexandrovna Konstantinopolskaya Jr");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/);
  });

  it("normalizes sites and profiles to lower-case host and path", () => {
    expect(normalizeReferrerDomain("instagram.com/maya")).toBe("instagram.com/maya");
    expect(normalizeReferrerDomain("https://www.MayaFit.com/")).toBe("mayafit.com");
    expect(normalizeReferrerDomain("HTTP://Instagram.com/Maya/?igsh=abc#top")).toBe("instagram.com/maya");
    expect(normalizeReferrerDomain("www.tiktok.com/@maya")).toBe("tiktok.com/@maya");
    expect(normalizeReferrerDomain("blog.mayafit.co.uk/posts")).toBe("blog.mayafit.co.uk/posts");
    for (const bad of ["", "maya", "not a site", "maya@gmail.com", "localhost", "mayafit.com:8080", "/instagram", "192.168.0.1", "@maya"]) {
      expect(normalizeReferrerDomain(bad), bad).toBeNull();
    }
  });

  it("reads a customer account as a number, a gid or the customer page's address", () => {
    expect(parseCustomerGid("123")).toBe("gid://shopify/Customer/123");
    expect(parseCustomerGid("gid://shopify/Customer/7421983321")).toBe("gid://shopify/Customer/7421983321");
    expect(parseCustomerGid("https://admin.shopify.com/store/maya-shop/customers/7421983321")).toBe("gid://shopify/Customer/7421983321");
    for (const bad of ["abc", "0", "12.5", "gid://shopify/Order/1", "-4", "123456789012345678901"]) expect(parseCustomerGid(bad), bad).toBeNull();
  });

  it("saves the handle, the normalized sites and the customer gid, and shows them in the summary", async () => {
    const shop = await createTestShop();
    const result = await createCreator(
      shop.id,
      creatorForm({
        handle: "  Maya-Fit ",
        referrerDomains: "instagram.com/maya\r\n\nhttps://www.mayafit.com/\nINSTAGRAM.com/maya/\n",
        customerGid: "123",
      }),
    );
    expect(result).toMatchObject({ ok: true });
    const creator = await getCreator(shop.id, result.ok ? result.creatorId : "");
    expect(creator).toMatchObject({
      handle: "maya-fit",
      referrerDomains: ["instagram.com/maya", "mayafit.com"],
      customerGid: "gid://shopify/Customer/123",
    });
  });

  it.each([
    ["", "Enter a handle, like maya-fit"],
    ["-maya", "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"],
    ["maya-", "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"],
    ["maya fit", "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"],
    ["maya_fit", "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"],
    ["a".repeat(41), "Keep the handle to 40 characters or fewer"],
  ])("rejects the handle %j and writes nothing", async (handle, message) => {
    const shop = await createTestShop();
    expect(await createCreator(shop.id, creatorForm({ handle }))).toEqual({ ok: false, fieldErrors: { handle: message } });
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("accepts a 1- and a 40-character handle", async () => {
    const shop = await createTestShop();
    expect(await createCreator(shop.id, creatorForm({ handle: "m" }))).toMatchObject({ ok: true });
    expect(await createCreator(shop.id, creatorForm({ handle: `m${"a".repeat(38)}x` }))).toMatchObject({ ok: true });
  });

  it("rejects sites that are not addresses, and more than 20", async () => {
    const shop = await createTestShop();
    const invalid = await createCreator(shop.id, creatorForm({ referrerDomains: "mayafit.com\nmy instagram\nmaya@gmail.com" }));
    expect(invalid).toEqual({
      ok: false,
      fieldErrors: {
        referrerDomains: "“my instagram” (and 1 more) is not a site address. Enter one per line, like mayafit.com or instagram.com/maya",
      },
    });
    const many = Array.from({ length: 21 }, (_, i) => `site${i}.com`).join("\n");
    expect(await createCreator(shop.id, creatorForm({ referrerDomains: many }))).toEqual({
      ok: false,
      fieldErrors: { referrerDomains: "Enter at most 20 sites (there are 21): keep the ones the creator posts from most" },
    });
    // Twenty, or duplicates of fewer, are fine.
    const twenty = Array.from({ length: 20 }, (_, i) => `site${i}.com`).join("\n");
    expect(await createCreator(shop.id, creatorForm({ referrerDomains: `${twenty}\nwww.site0.com/` }))).toMatchObject({ ok: true });
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("rejects a customer account that is not a customer ID", async () => {
    const shop = await createTestShop();
    for (const customerGid of ["maya", "gid://shopify/Order/5"]) {
      const result = await createCreator(shop.id, creatorForm({ customerGid }));
      expect(result.ok ? null : result.fieldErrors.customerGid).toMatch(/^Enter the customer ID from their customer page in Shopify/);
    }
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("names the creator who has a handle already, in any case; another shop may use it", async () => {
    const shop = await createTestShop();
    const maya = await createTestCreator(shop.id, { name: "Maya Fit", handle: "maya" });
    const result = await createCreator(shop.id, creatorForm({ name: "Maya Two", handle: "MAYA" }));
    expect(result).toEqual({ ok: false, fieldErrors: { handle: "maya is already the handle of Maya Fit: choose another" } });
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(1);

    // Editing: keeping one's own handle is fine, taking another's is not.
    const other = await createTestCreator(shop.id, { name: "Other", handle: "other" });
    const edit = (handle: string) =>
      updateCreator(shop.id, other.id, { name: "Other", email: "", handle, referrerDomains: "otherfit.com", customerGid: "", discountCode: other.discountCodes[0]!.code });
    expect(await edit("maya")).toEqual({ ok: false, fieldErrors: { handle: "maya is already the handle of Maya Fit: choose another" } });
    expect(await edit("other")).toEqual({ ok: true, creatorId: other.id });
    expect(await getCreator(shop.id, other.id)).toMatchObject({ handle: "other", referrerDomains: ["otherfit.com"] });
    expect((await prisma.creator.findUniqueOrThrow({ where: { id: maya.id } })).handle).toBe("maya");

    const elsewhere = await createTestShop();
    expect(await createCreator(elsewhere.id, creatorForm({ handle: "maya" }))).toMatchObject({ ok: true });
  });

  it("gives the loser of two simultaneous saves of one handle the handle's error", async () => {
    const shop = await createTestShop();
    const results = await Promise.all([createCreator(shop.id, creatorForm({ handle: "twin" })), createCreator(shop.id, creatorForm({ handle: "twin" }))]);
    const failures = results.filter((result) => !result.ok);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ fieldErrors: { handle: expect.stringMatching(/^twin is already the handle of /) } });
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("lists the creator's discount codes with their origin and retirement, for that shop only", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { discountCode: "MAYA10" });
    await prisma.discountCode.create({
      data: { shopId: shop.id, creatorId: creator.id, code: "MAYA-OLD", normalizedCode: "MAYA-OLD", origin: "CREATED_IN_APP", retiredAt: new Date() },
    });
    const codes = await listCreatorDiscountCodes(shop.id, creator.id);
    expect(codes.map(({ code, origin, retiredAt }) => ({ code, origin, retired: retiredAt !== null }))).toEqual([
      { code: "MAYA10", origin: "LINKED", retired: false },
      { code: "MAYA-OLD", origin: "CREATED_IN_APP", retired: true },
    ]);
    expect(await listCreatorDiscountCodes((await createTestShop()).id, creator.id)).toEqual([]);
  });
});

describe("tracking links", () => {
  it("creates a link with the creator's handle as campaign and a random 8-character slug", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { handle: "maya" });
    const result = await createTrackingLink(shop.id, creator.id, { label: "  Bio link ", utmSource: "instagram", destinationPath: "/", utmCampaign: "" });
    expect(result).toMatchObject({ ok: true, link: { label: "Bio link" } });
    if (!result?.ok) throw new Error("not created");
    expect(result.link.slug).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(result.link.url).toBe(`${APP_URL}/r/${result.link.slug}`);
    expect(trackingLinkUrl("abcdEFGH")).toBe(`${APP_URL}/r/abcdEFGH`);
    const stored = await prisma.trackingLink.findUniqueOrThrow({ where: { id: result.link.id } });
    expect(stored).toMatchObject({
      shopId: shop.id,
      creatorId: creator.id,
      label: "Bio link",
      destinationPath: "/",
      utmSource: "instagram",
      utmMedium: "influencer",
      utmCampaign: "maya",
      archivedAt: null,
    });
  });

  it("keeps a campaign the merchant typed, the destination's query, and accepts every platform", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const link = await newLink(shop, creator, { utmCampaign: " Summer drop ", destinationPath: "/products/serum?variant=42&color=rosé" });
    expect(link).toMatchObject({ utmCampaign: "Summer drop", destinationPath: "/products/serum?variant=42&color=ros%C3%A9" });
    for (const platform of PLATFORMS) expect(await createTrackingLink(shop.id, creator.id, { label: platform, utmSource: platform })).toMatchObject({ ok: true });
  });

  it.each<[Record<string, string>, Record<string, string>]>([
    [{ label: "" }, { label: "Enter a label, like “Bio link” or “Summer reel”" }],
    [{ label: "x".repeat(81) }, { label: "Keep the label to 80 characters or fewer" }],
    [{ utmSource: "" }, { utmSource: "Choose where the creator shares this link" }],
    [{ utmSource: "myspace" }, { utmSource: "Choose where the creator shares this link" }],
    [{ utmCampaign: "c".repeat(101) }, { utmCampaign: "Keep the campaign to 100 characters or fewer" }],
    [{ destinationPath: "" }, { destinationPath: "Enter a page of your store, like / for the home page or /products/serum" }],
    [{ destinationPath: `/${"p".repeat(500)}` }, { destinationPath: "Keep the page address to 500 characters or fewer" }],
    [{ destinationPath: "/products/serum?utm_source=tiktok&ref=x" }, { destinationPath: "Leave out utm_source and ref: the link adds it for you" }],
    ...["products/serum", "//evil.example/x", "https://shop.example.com/products", "/a b", "/products#reviews", "/\\evil.example"].map(
      (destinationPath): [Record<string, string>, Record<string, string>] => [
        { destinationPath },
        { destinationPath: "Enter a page of your store starting with /, like /products/serum or /collections/summer?sort_by=price" },
      ],
    ),
  ])("rejects %j with a message on that field and writes nothing", async (override, fieldErrors) => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const result = await createTrackingLink(shop.id, creator.id, { label: "Bio link", utmSource: "instagram", destinationPath: "/", ...override });
    expect(result).toEqual({ ok: false, fieldErrors });
    expect(await prisma.trackingLink.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("accepts an 80-character label and a 500-character destination", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const result = await createTrackingLink(shop.id, creator.id, { label: "x".repeat(80), utmSource: "blog", destinationPath: `/${"p".repeat(499)}` });
    expect(result).toMatchObject({ ok: true });
  });

  it("draws slugs uniformly from base62 without repeats in practice", () => {
    const slugs = Array.from({ length: 2_000 }, randomSlug);
    for (const slug of slugs) expect(slug).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(new Set(slugs.join("")).size).toBe(62);
  });

  it("draws another slug when one is taken, anywhere in the app, and gives up after five collisions", async () => {
    const [shop, otherShop] = [await createTestShop(), await createTestShop()];
    const taken = await newLink(otherShop, await createTestCreator(otherShop.id));
    const creator = await createTestCreator(shop.id);
    const fresh = randomSlug();
    const slugs = vi.fn<() => string>().mockReturnValueOnce(taken.slug).mockReturnValueOnce(fresh);
    const result = await createTrackingLink(shop.id, creator.id, { label: "Reel", utmSource: "tiktok" }, slugs);
    expect(result).toMatchObject({ ok: true, link: { slug: fresh } });
    expect(slugs).toHaveBeenCalledTimes(2);

    const always = vi.fn(() => taken.slug);
    await expect(createTrackingLink(shop.id, creator.id, { label: "Reel", utmSource: "tiktok" }, always)).rejects.toThrow();
    expect(always).toHaveBeenCalledTimes(5);
    expect(await prisma.trackingLink.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("never lets one shop use or see another shop's creator or links", async () => {
    const [shop, intruder] = [await createTestShop(), await createTestShop()];
    const creator = await createTestCreator(shop.id);
    const link = await newLink(shop, creator);
    const intrudersCreator = await createTestCreator(intruder.id);

    expect(await createTrackingLink(intruder.id, creator.id, { label: "Mine now", utmSource: "x" })).toBeNull();
    expect(await listTrackingLinks(intruder.id, creator.id)).toEqual([]);
    expect(await setTrackingLinkArchived(intruder.id, creator.id, link.id, true)).toBeNull();
    // The intruder's own creator cannot reach the link either.
    expect(await setTrackingLinkArchived(intruder.id, intrudersCreator.id, link.id, true)).toBeNull();
    expect(await createTrackingLink(shop.id, "not-a-uuid", { label: "x", utmSource: "x" })).toBeNull();
    expect(await prisma.trackingLink.count({ where: { shopId: intruder.id } })).toBe(0);
    expect((await prisma.trackingLink.findUniqueOrThrow({ where: { id: link.id } })).archivedAt).toBeNull();
  });

  it("archives and unarchives; archived links come last and still redirect and count", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const older = await newLink(shop, creator, { label: "Older" });
    const newer = await newLink(shop, creator, { label: "Newer" });
    // Two creations can share a millisecond: make the order unambiguous.
    await prisma.trackingLink.update({ where: { id: older.id }, data: { createdAt: new Date(newer.createdAt.getTime() - 60_000) } });
    const archivedAt = new Date("2026-11-20T10:00:00Z");

    expect(await setTrackingLinkArchived(shop.id, creator.id, newer.id, true, archivedAt)).toEqual({ id: newer.id, label: "Newer", archivedAt });
    // Archiving again keeps the first date.
    expect(await setTrackingLinkArchived(shop.id, creator.id, newer.id, true)).toEqual({ id: newer.id, label: "Newer", archivedAt });
    expect((await listTrackingLinks(shop.id, creator.id)).map((link) => [link.label, link.archivedAt])).toEqual([
      ["Older", null],
      ["Newer", archivedAt],
    ]);

    const response = await follow(visit(newer.slug), newer.slug);
    expect(response.status).toBe(302);
    expect(await prisma.linkClick.count({ where: { linkId: newer.id } })).toBe(1);

    expect(await setTrackingLinkArchived(shop.id, creator.id, newer.id, false)).toEqual({ id: newer.id, label: "Newer", archivedAt: null });
    expect((await listTrackingLinks(shop.id, creator.id)).map((link) => link.label)).toEqual(["Newer", "Older"]);
  });

  it("counts human clicks in the last 30 days and all time, per link", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const bio = await newLink(shop, creator, { label: "Bio" });
    const reel = await newLink(shop, creator, { label: "Reel" });
    await newLink(shop, creator, { label: "Quiet" });
    const now = new Date("2026-11-24T12:00:00Z");
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    for (const at of [daysAgo(0), daysAgo(29), daysAgo(31), daysAgo(400)]) await followTrackingLink(visit(bio.slug), bio.slug, at);
    await followTrackingLink(visit(reel.slug), reel.slug, daysAgo(1));
    await followTrackingLink(visit(reel.slug, { userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)" }), reel.slug, daysAgo(1));
    // Another creator's clicks are not this creator's.
    const other = await createTestCreator(shop.id);
    const otherLink = await newLink(shop, other);
    await followTrackingLink(visit(otherLink.slug), otherLink.slug, daysAgo(1));

    const counts = (await listTrackingLinks(shop.id, creator.id, now)).map((link) => [link.label, link.clicksLast30Days, link.clicksTotal]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ["Bio", 2, 4],
        ["Reel", 1, 1],
        ["Quiet", 0, 0],
      ]),
    );
    expect(counts).toHaveLength(3);
  });
});

describe("/r/<slug>", () => {
  async function linkAt(storefrontUrl: string | null, raw: Record<string, unknown> = {}) {
    const shop = await createTestShop();
    if (storefrontUrl) await prisma.shop.update({ where: { id: shop.id }, data: { storefrontUrl } });
    const creator = await createTestCreator(shop.id, { handle: `maya-${Math.random().toString(36).slice(2, 8)}` });
    const link = await newLink(shop, creator, raw);
    return { shop, creator, link };
  }

  it("redirects to the myshopify storefront with the UTMs, the ref and the click, keeping the destination's query", async () => {
    const { shop, creator, link } = await linkAt(null, { utmSource: "tiktok", destinationPath: "/products/serum?variant=42" });
    const response = await follow(visit(link.slug), link.slug);
    expect(response.status).toBe(302);
    const click = await prisma.linkClick.findFirstOrThrow({ where: { linkId: link.id } });
    expect(response.headers.get("Location")).toBe(
      `https://${shop.domain}/products/serum?variant=42&utm_source=tiktok&utm_medium=influencer&utm_campaign=${creator.handle}` +
        `&utm_content=${link.slug}&ref=${creator.handle}&cl_click=${click.id}`,
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer-when-downgrade");
    expect(click).toMatchObject({ shopId: shop.id, creatorId: creator.id });
  });

  it("uses the shop's storefront domain when it is known, and encodes the parameters", async () => {
    const { creator, link } = await linkAt("https://shop.example.com/", { utmCampaign: "Summer drop & more" });
    const response = await follow(visit(link.slug), link.slug);
    const click = await prisma.linkClick.findFirstOrThrow({ where: { linkId: link.id } });
    expect(response.headers.get("Location")).toBe(
      `https://shop.example.com/?utm_source=instagram&utm_medium=influencer&utm_campaign=Summer+drop+%26+more` +
        `&utm_content=${link.slug}&ref=${creator.handle}&cl_click=${click.id}`,
    );
  });

  it("sends the shopper to the storefront's home page when the stored destination is not a storefront path", async () => {
    for (const destinationPath of ["@evil.example/x", "//evil.example", "javascript:alert(1)", "/\r\nLocation: x"]) {
      const { shop, link } = await linkAt(null);
      // Only a write that skips the form's checks could store such a destination.
      await prisma.trackingLink.update({ where: { id: link.id }, data: { destinationPath } });
      const location = new URL((await follow(visit(link.slug, { userAgent: null }), link.slug)).headers.get("Location")!);
      expect(location.origin).toBe(`https://${shop.domain}`);
      expect(location.pathname).toBe("/");
    }
  });

  it("records one click per human request, each with its own id", async () => {
    const { link } = await linkAt(null);
    const first = await follow(visit(link.slug), link.slug);
    const second = await follow(visit(link.slug, { userAgent: IPHONE_SAFARI }), link.slug);
    const ids = [first, second].map((response) => new URL(response.headers.get("Location")!).searchParams.get("cl_click"));
    const clicks = await prisma.linkClick.findMany({ where: { linkId: link.id } });
    expect(clicks).toHaveLength(2);
    expect(new Set(ids)).toEqual(new Set(clicks.map((click) => click.id)));
  });

  it.each([
    ["a search crawler", { userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" }],
    ["a link preview", { userAgent: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" }],
    ["a headless browser", { userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36" }],
    ["curl", { userAgent: "curl/8.5.0" }],
    ["an empty user agent", { userAgent: "  " }],
    ["no user agent", { userAgent: null }],
    ["a HEAD request", { method: "HEAD" }],
    ["a prefetch", { headers: { "Sec-Purpose": "prefetch" } }],
  ])("redirects %s without recording a click", async (_name, init) => {
    const { shop, creator, link } = await linkAt(null);
    const response = await follow(visit(link.slug, init), link.slug);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(
      `https://${shop.domain}/?utm_source=instagram&utm_medium=influencer&utm_campaign=${creator.handle}&utm_content=${link.slug}&ref=${creator.handle}`,
    );
    expect(await prisma.linkClick.count({ where: { linkId: link.id } })).toBe(0);
  });

  it.each(["Zz9Zz9Zz", "short", "..%2F..%2Fetc", "abcdefgh1", ""])("answers 404 for the unknown slug %j", async (slug) => {
    const response = await follow(visit(slug), slug);
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("This link does not exist");
  });

  it("stores a daily visitor hash, never the IP or the user agent", async () => {
    const { link } = await linkAt(null);
    const day1 = new Date("2026-11-24T08:00:00.000Z");
    const laterDay1 = new Date("2026-11-24T23:59:00.000Z");
    const day2 = new Date("2026-11-25T00:01:00.000Z");
    await followTrackingLink(visit(link.slug), link.slug, day1);
    await followTrackingLink(visit(link.slug), link.slug, laterDay1);
    await followTrackingLink(visit(link.slug), link.slug, day2);
    await followTrackingLink(visit(link.slug, { ip: "198.51.100.7" }), link.slug, day2);

    const clicks = await prisma.linkClick.findMany({ where: { linkId: link.id }, orderBy: { occurredAt: "asc" } });
    expect(clicks.map((click) => click.occurredAt.toISOString())).toEqual([day1, laterDay1, day2, day2].map((d) => d.toISOString()));
    const [a, b, c, d] = clicks.map((click) => click.visitorHash);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b); // the same visitor, the same UTC day
    expect(c).not.toBe(a); // the next day, a new salt
    expect(d).not.toBe(c); // another visitor
    expect(a).toBe(visitorHash(SHOPPER_IP, DESKTOP_CHROME, day1));
    // The salt is secret: a plain hash of the IP and user agent does not match.
    const { createHash } = await import("node:crypto");
    expect(a).not.toBe(createHash("sha256").update(`${SHOPPER_IP}\n${DESKTOP_CHROME}`).digest("hex"));
    const row = JSON.stringify(clicks);
    expect(row).not.toContain(SHOPPER_IP);
    expect(row).not.toContain("Chrome");
  });

  it("still redirects the shopper, without cl_click, when the click cannot be recorded", async () => {
    const { shop, creator, link } = await linkAt(null);
    vi.spyOn(prisma, "$executeRaw").mockRejectedValueOnce(new Error("connection terminated"));
    const response = await follow(visit(link.slug), link.slug);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(
      `https://${shop.domain}/?utm_source=instagram&utm_medium=influencer&utm_campaign=${creator.handle}&utm_content=${link.slug}&ref=${creator.handle}`,
    );
    expect(await prisma.linkClick.count({ where: { linkId: link.id } })).toBe(0);
  });

  it("answers 503 when the link cannot be looked up", async () => {
    vi.spyOn(prisma, "$queryRaw").mockRejectedValueOnce(new Error("connection terminated"));
    const response = await follow(visit("Zz9Zz9Zz"), "Zz9Zz9Zz");
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("30");
  });

  it("records the click under the link's own shop and creator", async () => {
    const { shop, creator, link } = await linkAt(null);
    const { shop: otherShop } = await linkAt(null);
    await follow(visit(link.slug), link.slug);
    expect(await prisma.linkClick.count({ where: { shopId: otherShop.id } })).toBe(0);
    expect(await prisma.linkClick.findFirstOrThrow({ where: { linkId: link.id } })).toMatchObject({ shopId: shop.id, creatorId: creator.id });
  });
});
