import { describe, expect, it } from "vitest";
import { planCreatorImport, valuesToLookUp, type TakenInShop } from "./plan-creator-import";
import { readCreatorsCsv } from "./read-creators-csv";

const NOTHING_TAKEN: TakenInShop = { codes: new Map(), handles: new Map() };

function rowsOf(text: string) {
  const read = readCreatorsCsv(new TextEncoder().encode(`Name,Handle,Discount code,Revenue share (%),Email\n${text}`));
  if (!read.ok) throw new Error(read.reason);
  return read.rows;
}

describe("planCreatorImport", () => {
  it("creates every row of a clean file", () => {
    const plan = planCreatorImport(rowsOf("Maya,maya,MAYA10,10,\nNoor,,NOOR10,12.5,\n"), NOTHING_TAKEN);
    expect(plan.toCreate.map(({ row, creator, handleSuggested }) => [row, creator.handle, handleSuggested])).toEqual([
      [2, "maya", false],
      [3, "noor", true],
    ]);
    expect({ errors: plan.errors, duplicates: plan.duplicates, rowsWithProblems: plan.rowsWithProblems }).toEqual({
      errors: [],
      duplicates: [],
      rowsWithProblems: 0,
    });
  });

  it("reports codes and handles other creators of the shop have, in the add form's words", () => {
    const taken: TakenInShop = {
      codes: new Map([["MAYA10", { code: "Maya10", creatorName: "Maya Original" }]]),
      handles: new Map([
        ["noor", "Noor Original"],
        ["zed", "Zed Original"],
      ]),
    };
    const plan = planCreatorImport(rowsOf("Maya,maya,maya 10,10,\nNoor,noor,NOOR10,10,\nZed,,ZED10,10,\nAda,ada,ADA10,10,\n"), taken);
    expect(plan.duplicates).toEqual([
      { row: 2, column: "Discount code", reason: "Maya10 already belongs to Maya Original" },
      { row: 3, column: "Handle", reason: "noor is already the handle of Noor Original: choose another" },
      { row: 4, column: "Handle", reason: "zed is already the handle of Zed Original (made from the name: enter another handle)" },
    ]);
    expect(plan.toCreate.map((creator) => creator.row)).toEqual([5]);
    expect(plan.rowsWithProblems).toBe(3);
  });

  it("reports a code (compared as orders match it) or handle repeated in the file on each later row, naming the first", () => {
    const plan = planCreatorImport(rowsOf("Maya,maya,MAYA10,10,\nMaya B,maya,maya 10,10,\nMaya C,MAYA,Maya10,10,\n"), NOTHING_TAKEN);
    expect(plan.duplicates).toEqual([
      { row: 3, column: "Discount code", reason: "Row 2 has the same discount code (maya 10)" },
      { row: 3, column: "Handle", reason: "Row 2 has the same handle (maya)" },
      { row: 4, column: "Discount code", reason: "Row 2 has the same discount code (Maya10)" },
      { row: 4, column: "Handle", reason: "Row 2 has the same handle (maya)" },
    ]);
    expect(plan.toCreate.map((creator) => creator.row)).toEqual([2]);
  });

  it("reports a duplicate on a row that also has a wrong value, so one pass shows both", () => {
    const plan = planCreatorImport(rowsOf("Maya,maya,MAYA10,10,\nMaya B,maya-b,MAYA10,10,not-an-email\n"), NOTHING_TAKEN);
    expect(plan.errors).toEqual([{ row: 3, column: "Email", reason: "Enter a valid email address, like name@example.com" }]);
    expect(plan.duplicates).toEqual([{ row: 3, column: "Discount code", reason: "Row 2 has the same discount code (MAYA10)" }]);
    expect(plan.rowsWithProblems).toBe(1);
  });

  it("looks up each code and handle the file names once, leaving out those wrong by themselves", () => {
    expect(valuesToLookUp(rowsOf("Maya,maya,MAYA10,10,\nMaya B,maya,maya 10,10,\nBad,Not A Handle,=X,10,\n"))).toEqual({
      normalizedCodes: ["MAYA10"],
      handles: ["maya"],
    });
  });
});
