import { describe, expect, it } from "vitest";
import { inRegions, overlappingRegions, parseRegionList, regionMatches } from "./regions";

describe("region matching", () => {
  it("a country holds its regions and itself; a region only itself", () => {
    expect(regionMatches("US-CA", "US")).toBe(true);
    expect(regionMatches("US", "US")).toBe(true);
    expect(regionMatches("US-CA", "US-CA")).toBe(true);
    expect(regionMatches("US-CA", "US-NY")).toBe(false);
    expect(regionMatches("US", "US-CA")).toBe(false);
    expect(regionMatches("USA-CA", "US")).toBe(false);
    expect(regionMatches("CA-ON", "US")).toBe(false);
  });

  it("orders that ship nowhere belong to no group", () => {
    expect(inRegions("", ["US", "CA"])).toBe(false);
  });

  it("finds every exposed/control pair that would share orders", () => {
    expect(overlappingRegions(["US", "CA-ON"], ["US-NY", "CA-QC", "DE"])).toEqual([["US", "US-NY"]]);
    expect(overlappingRegions(["US-CA"], ["US"])).toEqual([["US-CA", "US"]]);
    expect(overlappingRegions(["US-CA", "US-TX"], ["US-NY", "US-FL"])).toEqual([]);
  });
});

describe("parseRegionList", () => {
  it("reads codes separated by commas, spaces or lines, upper-cased, without repeats", () => {
    expect(parseRegionList(" us-ca, US-NY\nus-ca;DE ")).toEqual({ ok: true, regions: ["US-CA", "US-NY", "DE"] });
  });

  it("names the codes it cannot read", () => {
    expect(parseRegionList("US-CA, California, U")).toEqual({ ok: false, problem: { kind: "invalid", codes: ["CALIFORNIA", "U"] } });
  });

  it("refuses an empty list and an overlong one", () => {
    expect(parseRegionList(" , ")).toEqual({ ok: false, problem: { kind: "empty" } });
    const many = Array.from({ length: 101 }, (_, i) => `US-${String(i).padStart(3, "0")}`).join(",");
    expect(parseRegionList(many)).toEqual({ ok: false, problem: { kind: "too many", max: 100 } });
  });
});
