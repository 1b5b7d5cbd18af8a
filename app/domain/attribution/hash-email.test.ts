import { describe, expect, it } from "vitest";
import { hashEmail } from "./hash-email";

describe("hashEmail", () => {
  it("is the SHA-256 hex of the trimmed, lower-cased address", () => {
    // printf %s 'maya@mayafit.com' | sha256sum
    expect(hashEmail("maya@mayafit.com")).toBe("892410efee966193cec769f848686f8161d26eaa88e194c4fc9e40ff3acc307b");
    expect(hashEmail("  Maya@MayaFit.COM\n")).toBe(hashEmail("maya@mayafit.com"));
  });

  it("tells different addresses apart", () => {
    expect(hashEmail("maya@mayafit.com")).not.toBe(hashEmail("maya@mayafit.co"));
  });

  it.each([null, undefined, "", "   "])("is null for %j", (email) => expect(hashEmail(email)).toBeNull());
});
