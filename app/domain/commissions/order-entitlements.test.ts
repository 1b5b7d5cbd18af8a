import { describe, expect, it } from "vitest";
import type { CommissionOrder } from "./commission-facts";
import { MERCHANDISE_ONLY, NO_EXTRAS, type Component, type ContractTerms, type RateOverride } from "./contract-terms";
import { orderEntitlements, orderRevenueMinor } from "./order-entitlements";

const order = (overrides: Partial<CommissionOrder> = {}): CommissionOrder => ({
  orderId: "o1",
  orderName: "#1001",
  placedAt: new Date("2026-11-05T10:00:00Z"),
  currencyCode: "USD",
  netMerchandiseMinor: 8_000n,
  shippingMinor: 1_000n,
  taxMinor: 500n,
  cancelled: false,
  newCustomer: true,
  lines: [],
  ...overrides,
});

const terms = (components: Component[], extras: Partial<ContractTerms> = {}): ContractTerms => ({
  components,
  revenueBasis: MERCHANDISE_ONLY,
  ...NO_EXTRAS,
  ...extras,
});

const share = (percent: string, overrides: RateOverride[] = []): Component => ({
  kind: "REVENUE_SHARE",
  percent,
  overrides,
});
const product = (gid: string, percent: string, title = gid): RateOverride => ({
  target: { type: "PRODUCT", gid, title },
  percent,
});
const collection = (gid: string, percent: string, title = gid): RateOverride => ({
  target: { type: "COLLECTION", gid, title },
  percent,
});
const line = (netMinor: bigint, productGid: string | null = null, collectionGids: string[] = []) => ({
  productGid,
  collectionGids,
  netMinor,
});
const amounts = (o: CommissionOrder, t: ContractTerms) =>
  orderEntitlements(o, t).map((e) => [e.sourceKey, e.amountMinor]);

describe("orderEntitlements", () => {
  it("owes nothing without a contract or for a cancelled order", () => {
    expect(orderEntitlements(order(), null)).toEqual([]);
    expect(
      orderEntitlements(
        order({ cancelled: true }),
        terms([share("10"), { kind: "CPA", amountMinor: 500n, newCustomersOnly: false }]),
      ),
    ).toEqual([]);
  });

  describe("revenue share", () => {
    it("pays the rate on net merchandise, without shipping or taxes by default", () => {
      expect(orderEntitlements(order(), terms([share("12.5")]))).toEqual([
        {
          sourceKey: "order:o1:revenue-share",
          kind: "COMMISSION",
          orderId: "o1",
          periodKey: null,
          amountMinor: 1_000n,
          reason: "12.50% revenue share of $80.00 net merchandise on order #1001",
        },
      ]);
    });

    it("rounds the entry once, halves away from zero", () => {
      expect(amounts(order({ netMerchandiseMinor: 5_555n }), terms([share("10")]))).toEqual([
        ["order:o1:revenue-share", 556n],
      ]);
      expect(amounts(order({ netMerchandiseMinor: 5_554n }), terms([share("10")]))).toEqual([
        ["order:o1:revenue-share", 555n],
      ]);
    });

    it("owes nothing on a zero net or a zero rate", () => {
      expect(orderEntitlements(order({ netMerchandiseMinor: 0n }), terms([share("10")]))).toEqual([]);
      expect(orderEntitlements(order(), terms([share("0")]))).toEqual([]);
      expect(orderEntitlements(order({ netMerchandiseMinor: 4n }), terms([share("10")]))).toEqual([]); // 0.4 rounds to 0
    });

    it("adds shipping and taxes at the default rate when the contract counts them", () => {
      const withShipping = terms([share("10")], { revenueBasis: { includeShipping: true, includeTaxes: false } });
      expect(orderEntitlements(order(), withShipping)[0]).toMatchObject({
        amountMinor: 900n,
        reason: "10.00% revenue share of $80.00 net merchandise + $10.00 shipping on order #1001",
      });
      const withBoth = terms([share("10")], { revenueBasis: { includeShipping: true, includeTaxes: true } });
      expect(orderEntitlements(order(), withBoth)[0]).toMatchObject({
        amountMinor: 950n,
        reason: "10.00% revenue share of $80.00 net merchandise + $10.00 shipping + $5.00 taxes on order #1001",
      });
      const withTaxes = terms([share("10")], { revenueBasis: { includeShipping: false, includeTaxes: true } });
      expect(amounts(order(), withTaxes)).toEqual([["order:o1:revenue-share", 850n]]);
    });

    it("pays a product override on that product's lines", () => {
      const o = order({ lines: [line(6_000n, "gid://shopify/Product/1"), line(2_000n, "gid://shopify/Product/2")] });
      const t = terms([share("10", [product("gid://shopify/Product/2", "25", "Glow Serum")])]);
      expect(orderEntitlements(o, t)[0]).toMatchObject({
        amountMinor: 600n + 500n,
        reason: "Revenue share on order #1001: 10.00% of $60.00 net merchandise, 25.00% of $20.00 on Glow Serum",
      });
    });

    it("pays a collection override on lines in that collection", () => {
      const o = order({ lines: [line(6_000n, "p1", ["c-summer"]), line(2_000n, "p2", ["c-sale"])] });
      const t = terms([share("10", [collection("c-sale", "5", "Sale")])]);
      expect(amounts(o, t)).toEqual([["order:o1:revenue-share", 600n + 100n]]);
    });

    it("prefers a product override to a collection override, whatever their order in the list", () => {
      const o = order({ lines: [line(8_000n, "p1", ["c1"])] });
      const t = terms([share("10", [collection("c1", "5"), product("p1", "20")])]);
      expect(amounts(o, t)).toEqual([["order:o1:revenue-share", 1_600n]]);
    });

    it("takes the first matching collection override when a line is in several collections", () => {
      const o = order({ lines: [line(8_000n, "p1", ["c1", "c2"])] });
      expect(amounts(o, terms([share("10", [collection("c2", "20"), collection("c1", "5")])]))).toEqual([
        ["order:o1:revenue-share", 1_600n],
      ]);
    });

    it("pays the default rate on the whole net when the order has no lines", () => {
      expect(amounts(order({ lines: [] }), terms([share("10", [product("p1", "50")])]))).toEqual([
        ["order:o1:revenue-share", 800n],
      ]);
    });

    it("keeps shipping and taxes at the default rate next to overridden lines", () => {
      const o = order({ lines: [line(8_000n, "p1")] });
      const t = terms([share("10", [product("p1", "20", "Mask")])], {
        revenueBasis: { includeShipping: true, includeTaxes: true },
      });
      expect(orderEntitlements(o, t)[0]).toMatchObject({
        amountMinor: 1_600n + 150n,
        reason: "Revenue share on order #1001: 10.00% of $10.00 shipping + $5.00 taxes, 20.00% of $80.00 on Mask",
      });
    });

    it("rounds the sum of the lines once, not each line", () => {
      // Two lines of 1 minor unit at 50%: each alone would round 0.5 up to 1; together they earn exactly 1.
      const o = order({ netMerchandiseMinor: 2n, lines: [line(1n, "p1"), line(1n, "p2")] });
      expect(amounts(o, terms([share("50", [product("p1", "50")])]))).toEqual([["order:o1:revenue-share", 1n]]);
    });
  });

  describe("CPA", () => {
    const cpa = (newCustomersOnly: boolean): Component => ({ kind: "CPA", amountMinor: 1_500n, newCustomersOnly });

    it("pays a fixed amount per order, whatever its value", () => {
      expect(orderEntitlements(order({ netMerchandiseMinor: 0n, newCustomer: false }), terms([cpa(false)]))).toEqual([
        {
          sourceKey: "order:o1:cpa",
          kind: "CPA",
          orderId: "o1",
          periodKey: null,
          amountMinor: 1_500n,
          reason: "$15.00 CPA for order #1001",
        },
      ]);
    });

    it("pays only new customers' orders when the contract says so", () => {
      expect(orderEntitlements(order({ newCustomer: false }), terms([cpa(true)]))).toEqual([]);
      expect(orderEntitlements(order({ newCustomer: true }), terms([cpa(true)]))[0]).toMatchObject({
        amountMinor: 1_500n,
        reason: "$15.00 CPA for order #1001 from a new customer",
      });
    });

    it("owes nothing for a zero CPA", () => {
      expect(orderEntitlements(order(), terms([{ kind: "CPA", amountMinor: 0n, newCustomersOnly: false }]))).toEqual(
        [],
      );
    });
  });

  describe("tiered revenue share", () => {
    const tiered: Component = {
      kind: "TIERED_REVENUE_SHARE",
      metric: "REVENUE",
      mode: "MARGINAL",
      tiers: [
        { from: 0n, percent: "10" },
        { from: 500_000n, percent: "15" },
      ],
    };

    it("posts each order at the first tier's rate", () => {
      expect(orderEntitlements(order(), terms([tiered]))).toEqual([
        {
          sourceKey: "order:o1:tiered",
          kind: "COMMISSION",
          orderId: "o1",
          periodKey: null,
          amountMinor: 800n,
          reason:
            "10.00% first-tier revenue share of $80.00 net merchandise on order #1001 (higher tiers settle when the period closes)",
        },
      ]);
    });

    it("counts shipping and taxes when the basis does", () => {
      const t = terms([tiered], { revenueBasis: { includeShipping: true, includeTaxes: true } });
      expect(orderEntitlements(order(), t)[0]).toMatchObject({
        amountMinor: 950n,
        reason:
          "10.00% first-tier revenue share of $95.00 net merchandise, shipping and taxes on order #1001 (higher tiers settle when the period closes)",
      });
    });
  });

  it("pays every order-level component of a contract, and ignores the period-level ones", () => {
    const t = terms([
      { kind: "BASE_FEE", monthlyMinor: 50_000n },
      share("10"),
      { kind: "CPA", amountMinor: 300n, newCustomersOnly: false },
      { kind: "RETAINER", monthlyMinor: 1n },
    ]);
    expect(amounts(order({ orderId: "gid://shopify/Order/42" }), t)).toEqual([
      ["order:gid://shopify/Order/42:revenue-share", 800n],
      ["order:gid://shopify/Order/42:cpa", 300n],
    ]);
  });

  it("formats money in the order's currency", () => {
    const yen = order({ currencyCode: "JPY", netMerchandiseMinor: 12_345n });
    expect(orderEntitlements(yen, terms([share("10")]))[0]).toMatchObject({
      amountMinor: 1_235n,
      reason: "10.00% revenue share of ¥12,345 net merchandise on order #1001",
    });
  });

  it("measures an order's revenue on the contract's basis", () => {
    expect(orderRevenueMinor(order(), MERCHANDISE_ONLY)).toBe(8_000n);
    expect(orderRevenueMinor(order(), { includeShipping: true, includeTaxes: true })).toBe(9_500n);
  });
});
