import { describe, expect, it } from "vitest";
import { normalizeDiscountCode } from "./normalize-discount-code";

describe("normalizeDiscountCode", () => {
  it.each([
    ["sarah10", "SARAH10"],
    ["  Sarah 10 ", "SARAH10"],
    ["sa\trah\n10", "SARAH10"],
    ["Maya-Summer", "MAYA-SUMMER"],
  ])("%j → %s", (input, expected) => expect(normalizeDiscountCode(input)).toBe(expected));
});
