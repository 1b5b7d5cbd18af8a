import { describe, expect, it } from "vitest";
import { titlePrefixQuery } from "./search-syntax";

describe("title prefix search", () => {
  it("asks for titles with a word starting with each word typed", () => {
    expect(titlePrefixQuery("  summer  ser ")).toBe("title:summer* title:ser*");
    expect(titlePrefixQuery("Gifts")).toBe("title:Gifts*");
  });

  it("is no filter at all for blank input", () => {
    expect(titlePrefixQuery("")).toBeNull();
    expect(titlePrefixQuery("   ")).toBeNull();
    expect(titlePrefixQuery("*")).toBeNull();
  });

  it("escapes what the syntax would read as fields, groups or quotes, and drops wildcards typed", () => {
    expect(titlePrefixQuery("D'Addario (2026): \"best\" back\\slash")).toBe(
      "title:D\\'Addario* title:\\(2026\\)\\:* title:\\\"best\\\"* title:back\\\\slash*",
    );
    expect(titlePrefixQuery("se*rum OR")).toBe("title:serum* title:OR*");
  });

  it("keeps to the first six words", () => {
    expect(titlePrefixQuery("a b c d e f g h")).toBe("title:a* title:b* title:c* title:d* title:e* title:f*");
  });
});
