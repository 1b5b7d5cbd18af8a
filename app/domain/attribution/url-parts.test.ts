import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coversReferrer,
  hostAndPath,
  hostOf,
  normalizeReferrerEntry,
  queryParameters,
  segmentPrefixes,
} from "./url-parts";

describe("queryParameters", () => {
  it.each([
    [
      "a relative landing site",
      "/products/x?utm_source=ig&ref=maya",
      [
        ["utm_source", "ig"],
        ["ref", "maya"],
      ],
    ],
    ["an absolute one", "https://shop.example.com/?ref=maya#reviews", [["ref", "maya"]]],
    ["Shopify's REST example", "http://www.example.com?source=abc", [["source", "abc"]]],
    [
      "names in any case, values trimmed",
      "/?UTM_Source=%20Maya%20&Ref=leo",
      [
        ["utm_source", "Maya"],
        ["ref", "leo"],
      ],
    ],
    [
      "encoded values",
      "/?utm_campaign=spring%20launch&ref=maya%2Bleo",
      [
        ["utm_campaign", "spring launch"],
        ["ref", "maya+leo"],
      ],
    ],
    [
      "repeated parameters",
      "/?ref=maya&ref=leo",
      [
        ["ref", "maya"],
        ["ref", "leo"],
      ],
    ],
    ["empty values and names", "/?ref=&=x&&utm_source", []],
    ["a query inside the fragment", "/#/?ref=maya", []],
    ["no query", "/collections/all", []],
    [
      "malformed escapes",
      "/?ref=%E0%A4%A&utm_source=%ZZ",
      [
        ["ref", "\uFFFD%A"],
        ["utm_source", "%ZZ"],
      ],
    ],
    ["null", null, []],
  ] satisfies [string, string | null, [string, string][]][])("%s", (_name, url, expected) => {
    expect(queryParameters(url).map(({ name, value }) => [name, value])).toEqual(expected);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => void queryParameters(text)),
      { numRuns: 500 },
    );
  });
});

describe("hostAndPath", () => {
  it.each([
    ["https://www.instagram.com/maya/p/1/?igsh=abc", "instagram.com/maya/p/1"],
    ["http://WWW.Example.com", "example.com"],
    ["https://shop.example.com:8443/Cart", "shop.example.com/cart"],
    ["instagram.com/maya", "instagram.com/maya"],
    ["//cdn.example.com/x", "cdn.example.com/x"],
    ["android-app://com.google.android.gm/", "com.google.android.gm"],
    ["/collections/all", null],
    ["not a url", null],
    ["http://[::1", null],
    ["", null],
    [null, null],
  ])("%j → %j", (url, expected) => expect(hostAndPath(url)).toBe(expected));

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => void hostAndPath(text)),
      { numRuns: 500 },
    );
  });

  it("hostOf keeps the host alone", () => {
    expect(hostOf("https://www.reddit.com/r/skincare")).toBe("reddit.com");
    expect(hostOf("glow-lab.myshopify.com")).toBe("glow-lab.myshopify.com");
  });
});

describe("referrer entries", () => {
  it.each([
    ["instagram.com/maya", "instagram.com/maya", true],
    ["instagram.com/maya", "instagram.com/maya/p/1", true],
    ["instagram.com/maya", "instagram.com/mayafan", false],
    ["instagram.com/maya", "instagram.com", false],
    ["https://www.Instagram.com/maya/", "instagram.com/maya/p/1", true],
    ["mayafit.com", "mayafit.com/blog/post", true],
    ["mayafit.com", "blog.mayafit.com", false],
    ["", "mayafit.com", false],
  ])("%j covers %j: %s", (entry, referrer, covers) => expect(coversReferrer(entry, referrer)).toBe(covers));

  it("normalizes what a merchant types", () => {
    expect(normalizeReferrerEntry(" HTTPS://www.TikTok.com/@Nina/?lang=en ")).toBe("tiktok.com/@nina");
  });

  it("lists every segment prefix, so a database can match declared entries exactly", () => {
    expect(segmentPrefixes("instagram.com/maya/p/1")).toEqual([
      "instagram.com",
      "instagram.com/maya",
      "instagram.com/maya/p",
      "instagram.com/maya/p/1",
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(
          "instagram.com",
          "instagram.com/maya",
          "mayafit.com",
          "instagram.com/mayafan",
          "tiktok.com/@nina",
        ),
        fc.constantFrom("instagram.com/maya/p/1", "instagram.com/mayafan", "mayafit.com", "tiktok.com/@nina/video/9"),
        (entry, referrer) => {
          expect(segmentPrefixes(referrer).includes(entry)).toBe(coversReferrer(entry, referrer));
        },
      ),
    );
  });
});
