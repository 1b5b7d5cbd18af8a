import { describe, expect, it } from "vitest";
import { attributeOrder } from "./attribute-order";
import { normalizeDiscountCode } from "./normalize-discount-code";

const codes = [
  { creatorId: "sarah", code: "SARAH10" },
  { creatorId: "maya", code: "maya-summer" },
];

describe("normalizeDiscountCode", () => {
  it.each([
    ["sarah10", "SARAH10"],
    ["  Sarah 10 ", "SARAH10"],
    ["sa\trah\n10", "SARAH10"],
    ["Maya-Summer", "MAYA-SUMMER"],
  ])("%j → %s", (input, expected) => expect(normalizeDiscountCode(input)).toBe(expected));
});

describe("attributeOrder by discount code", () => {
  it("credits the creator whose code the shopper used, ignoring case and whitespace", () => {
    const verdict = attributeOrder({ discountCodes: [" sarah10 "] }, codes);
    expect(verdict).toMatchObject({ creatorId: "sarah", method: "DISCOUNT_CODE" });
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ signal: "discount_code", value: " sarah10 ", matched: true, decisive: true }),
    ]);
  });

  it("credits nobody when no code belongs to a creator, and says why", () => {
    const verdict = attributeOrder({ discountCodes: ["WELCOME5"] }, codes);
    expect(verdict).toMatchObject({ creatorId: null, method: "NONE" });
    expect(verdict.rule).toMatch(/No discount code on the order belongs to a creator/);
    expect(verdict.evidence[0]).toMatchObject({ matched: false, decisive: false });
  });

  it("credits nobody on an order without codes", () => {
    expect(attributeOrder({ discountCodes: [] }, codes)).toMatchObject({
      creatorId: null,
      method: "NONE",
      evidence: [],
      rule: "No discount code on the order",
    });
  });

  it("lets the first creator code decide when several are stacked, keeping the others as evidence", () => {
    const verdict = attributeOrder({ discountCodes: ["FREESHIP", "MAYA-SUMMER", "sarah10"] }, codes);
    expect(verdict.creatorId).toBe("maya");
    expect(verdict.evidence.map((e) => [e.value, e.matched, e.decisive])).toEqual([
      ["FREESHIP", false, false],
      ["MAYA-SUMMER", true, true],
      ["sarah10", true, false],
    ]);
  });
});
