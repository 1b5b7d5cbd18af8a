import { describe, expect, it } from "vitest";
import { reversalAvailableAt } from "./reversal-available-at";

const now = new Date("2026-11-23T12:00:00Z");

describe("reversalAvailableAt", () => {
  it("keeps the reversal of a pending entry pending until that entry's hold ends", () => {
    const posted = [{ sourceKey: "period:2026-11:tier-adjustment", availableAt: new Date("2026-12-31T00:00:00Z") }];
    expect(reversalAvailableAt(posted, "period:2026-11:tier-adjustment", now)).toEqual(new Date("2026-12-31T00:00:00Z"));
  });

  it("claws back at once what was already payable", () => {
    const posted = [{ sourceKey: "order:o1:revenue-share", availableAt: new Date("2026-10-01T00:00:00Z") }];
    expect(reversalAvailableAt(posted, "order:o1:revenue-share", now)).toEqual(now);
  });

  it("looks only at the entries of the source it reverses", () => {
    const posted = [
      { sourceKey: "order:o1:revenue-share", availableAt: new Date("2027-01-01T00:00:00Z") },
      { sourceKey: "order:o1:cpa", availableAt: new Date("2026-10-01T00:00:00Z") },
    ];
    expect(reversalAvailableAt(posted, "order:o1:cpa", now)).toEqual(now);
  });
});
