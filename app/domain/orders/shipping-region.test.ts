import { describe, expect, it } from "vitest";
import { REGION_CODE_PATTERN, shippingRegionOf } from "./shipping-region";

describe("shippingRegionOf", () => {
  it("joins country and province as ISO 3166-2", () => {
    expect(shippingRegionOf("US", "CA")).toBe("US-CA");
    expect(shippingRegionOf("CA", "ON")).toBe("CA-ON");
  });

  it("reads province codes Shopify writes with their country the same way as those without", () => {
    expect(shippingRegionOf("JP", "JP-13")).toBe("JP-13");
    expect(shippingRegionOf("JP", "13")).toBe("JP-13");
  });

  it("keeps the country alone when the address has no province (or one it cannot read)", () => {
    expect(shippingRegionOf("GB", null)).toBe("GB");
    expect(shippingRegionOf("DE", "")).toBe("DE");
    expect(shippingRegionOf("FR", undefined)).toBe("FR");
    expect(shippingRegionOf("US", "New York")).toBe("US");
  });

  it("normalises case and stray spaces", () => {
    expect(shippingRegionOf(" us ", " ny")).toBe("US-NY");
  });

  it("gives null without a readable country", () => {
    expect(shippingRegionOf(null, "CA")).toBeNull();
    expect(shippingRegionOf("", "CA")).toBeNull();
    expect(shippingRegionOf("USA", "CA")).toBeNull();
  });

  it("only ever answers codes the region pattern accepts", () => {
    for (const [country, province] of [["US", "CA"], ["JP", "JP-13"], ["GB", null], ["US", "TOOLONG"], ["us", "c-a"]] as const) {
      const region = shippingRegionOf(country, province);
      expect(region === null || REGION_CODE_PATTERN.test(region)).toBe(true);
    }
  });
});
