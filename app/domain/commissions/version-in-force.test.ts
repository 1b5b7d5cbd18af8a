import { describe, expect, it } from "vitest";
import { versionInForce, versionInForceIndex } from "./version-in-force";

const v = (iso: string) => ({ effectiveFrom: new Date(iso) });
const versions = [v("2026-01-01T00:00:00Z"), v("2026-06-01T00:00:00Z"), v("2026-06-01T00:00:00Z")];

describe("versionInForce", () => {
  it("is the last version that has started, the later saved on a tie", () => {
    expect(versionInForceIndex(versions, new Date("2026-03-01T00:00:00Z"))).toBe(0);
    expect(versionInForceIndex(versions, new Date("2026-07-01T00:00:00Z"))).toBe(2);
  });

  it("lets the first version cover the time before it", () => {
    expect(versionInForce(versions, new Date("2025-01-01T00:00:00Z"))).toBe(versions[0]);
  });

  it("is nothing without versions", () => {
    expect(versionInForceIndex([], new Date())).toBe(-1);
    expect(versionInForce([], new Date())).toBeNull();
  });
});
