import { describe, expect, it } from "vitest";
import type { CommissionOrder } from "./commission-facts";
import { termsForModel } from "./contract-presets";
import type { RateOverride } from "./contract-terms";
import { orderEntitlements } from "./order-entitlements";
import {
  collectionsNamedBy,
  commissionLine,
  duplicateOverrideTargets,
  membershipsFrom,
  namesCollections,
  NO_MEMBERSHIPS,
} from "./rate-overrides";

const SALE = { type: "COLLECTION" as const, gid: "gid://shopify/Collection/1", title: "Summer Sale" };
const GIFTS = { type: "COLLECTION" as const, gid: "gid://shopify/Collection/2", title: "Gifts" };
const SERUM = { type: "PRODUCT" as const, gid: "gid://shopify/Product/10", title: "Glow Serum" };
const CREAM = "gid://shopify/Product/11";
const SOAP = "gid://shopify/Product/12";

const override = (target: RateOverride["target"], percent: string): RateOverride => ({ target, percent });

describe("collections named by terms", () => {
  it("lists each collection once, in the order the overrides name them, and ignores products", () => {
    const terms = termsForModel("HYBRID", {
      baseMonthlyMinor: 10_000n,
      percent: "10",
      overrides: [override(SERUM, "30"), override(GIFTS, "15"), override(SALE, "20"), override(GIFTS, "5")],
    });
    expect(collectionsNamedBy(terms)).toEqual([
      { gid: GIFTS.gid, title: "Gifts" },
      { gid: SALE.gid, title: "Summer Sale" },
    ]);
    expect(namesCollections(terms)).toBe(true);
  });

  it("names none for product rates only, or for models without a revenue share", () => {
    expect(namesCollections(termsForModel("REVENUE_SHARE", { percent: "10", overrides: [override(SERUM, "30")] }))).toBe(false);
    expect(namesCollections(termsForModel("CPA", { amountMinor: 500n, newCustomersOnly: false }))).toBe(false);
  });
});

describe("memberships", () => {
  const memberships = membershipsFrom([
    { productGid: SERUM.gid, collectionGid: SALE.gid },
    { productGid: SERUM.gid, collectionGid: GIFTS.gid },
    { productGid: CREAM, collectionGid: SALE.gid },
    { productGid: CREAM, collectionGid: SALE.gid },
  ]);

  it("gives each line the collections its product is in, sorted and once each", () => {
    expect(commissionLine({ productGid: SERUM.gid, netMinor: 100n }, memberships)).toEqual({
      productGid: SERUM.gid,
      collectionGids: [SALE.gid, GIFTS.gid].sort(),
      netMinor: 100n,
    });
    expect(commissionLine({ productGid: CREAM, netMinor: 5n }, memberships).collectionGids).toEqual([SALE.gid]);
    expect(commissionLine({ productGid: SOAP, netMinor: 5n }, memberships).collectionGids).toEqual([]);
    expect(commissionLine({ productGid: null, netMinor: 5n }, memberships).collectionGids).toEqual([]);
  });

  it("lets the engine pay a product's own rate before its collection's, and the collection's before the default", () => {
    const terms = termsForModel("REVENUE_SHARE", { percent: "10", overrides: [override(SALE, "20"), override(SERUM, "30")] });
    const order = (lines: { productGid: string; netMinor: bigint }[], known = memberships): CommissionOrder => ({
      orderId: "o1",
      orderName: "#1001",
      placedAt: new Date("2026-11-10T12:00:00Z"),
      currencyCode: "USD",
      netMerchandiseMinor: lines.reduce((sum, line) => sum + line.netMinor, 0n),
      shippingMinor: 0n,
      taxMinor: 0n,
      cancelled: false,
      newCustomer: true,
      lines: lines.map((line) => commissionLine(line, known)),
    });
    const lines = [
      { productGid: SERUM.gid, netMinor: 10_000n },
      { productGid: CREAM, netMinor: 5_000n },
      { productGid: SOAP, netMinor: 2_000n },
    ];
    const [share] = orderEntitlements(order(lines), terms);
    // 30% of 100.00 (product) + 20% of 50.00 (collection) + 10% of 20.00 (default).
    expect(share?.amountMinor).toBe(3_000n + 1_000n + 200n);
    expect(share?.reason).toBe(
      "Revenue share on order #1001: 10.00% of $20.00 net merchandise, 30.00% of $100.00 on Glow Serum, 20.00% of $50.00 on Summer Sale",
    );
    // Without memberships (the collection not read yet), only the product's own rate applies.
    expect(orderEntitlements(order(lines, NO_MEMBERSHIPS), terms)[0]?.amountMinor).toBe(3_000n + 500n + 200n);
  });
});

describe("duplicate targets", () => {
  it("flags every repeat of a product or collection after the first, but not blank rows", () => {
    const blank = { type: "PRODUCT" as const, gid: "", title: "" };
    const duplicates = duplicateOverrideTargets([
      { target: SALE },
      { target: SERUM },
      { target: blank },
      { target: blank },
      { target: { ...SALE, title: "Renamed" } },
      { target: SERUM },
    ]);
    expect([...duplicates.keys()]).toEqual([4, 5]);
    expect(duplicates.get(4)).toBe("This collection already has a rate above: change that one instead");
    expect(duplicates.get(5)).toBe("This product already has a rate above: change that one instead");
  });

  it("tells a product and a collection with the same number apart", () => {
    expect(
      duplicateOverrideTargets([
        { target: { type: "PRODUCT", gid: "gid://shopify/Product/1", title: "A" } },
        { target: { type: "COLLECTION", gid: "gid://shopify/Collection/1", title: "A" } },
      ]).size,
    ).toBe(0);
  });
});
