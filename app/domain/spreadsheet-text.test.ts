import { describe, expect, it } from "vitest";
import { spreadsheetSafeText, startsLikeFormula } from "./spreadsheet-text";

describe("spreadsheet text", () => {
  it.each(["=SUM(A1)", "+1", "-2", "@cmd", "\t=1", "\r=1"])("guards %j, which a spreadsheet would run", (value) => {
    expect(startsLikeFormula(value)).toBe(true);
    expect(spreadsheetSafeText(value)).toBe(`'${value}`);
  });

  it.each(["Maya Fit", "10% off", "a=b", "", "'=already quoted"])("leaves %j as it is", (value) => {
    expect(startsLikeFormula(value)).toBe(false);
    expect(spreadsheetSafeText(value)).toBe(value);
  });
});
