import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { termsForModel } from "./contract-presets";
import type { Component, ContractTerms, RateOverride } from "./contract-terms";
import {
  ContractTermsError,
  parseTerms,
  serializeTerms,
  validateTerms,
  type SerializedTerms,
} from "./contract-terms-schema";

const hybrid: ContractTerms = termsForModel("HYBRID", {
  baseMonthlyMinor: 50_000n,
  percent: "12.5",
  overrides: [{ target: { type: "PRODUCT", gid: "gid://shopify/Product/1", title: "Glow Serum" }, percent: "20" }],
  capPerPeriodMinor: 300_000n,
});

const valid = (): SerializedTerms => serializeTerms(hybrid);
const errorsOf = (json: unknown) => {
  const result = validateTerms(json);
  if (result.ok) throw new Error("expected the terms to be rejected");
  return result.errors;
};
const withComponent = (component: unknown) => ({ ...valid(), components: [component] });

describe("contract terms as JSON", () => {
  it("serializes amounts as decimal strings, so the result survives JSON", () => {
    expect(valid()).toEqual({
      components: [
        { kind: "BASE_FEE", monthlyMinor: "50000" },
        {
          kind: "REVENUE_SHARE",
          percent: "12.5",
          overrides: [
            { target: { type: "PRODUCT", gid: "gid://shopify/Product/1", title: "Glow Serum" }, percent: "20" },
          ],
        },
      ],
      revenueBasis: { includeShipping: false, includeTaxes: false },
      capPerPeriodMinor: "300000",
      drawPerPeriodMinor: null,
    });
    expect(parseTerms(JSON.parse(JSON.stringify(valid())))).toEqual(hybrid);
  });

  it("round-trips every kind of component", () => {
    const components: Component[] = [
      { kind: "REVENUE_SHARE", percent: "100", overrides: [] },
      { kind: "CPA", amountMinor: 0n, newCustomersOnly: true },
      {
        kind: "TIERED_REVENUE_SHARE",
        metric: "CONVERSIONS",
        mode: "RETROACTIVE",
        tiers: [
          { from: 0n, percent: "0" },
          { from: 10n, percent: "0.01" },
        ],
      },
      { kind: "FLAT_FEE", feesMinor: { LIVESTREAM: 90_000n, REEL: 1n } },
      { kind: "RETAINER", monthlyMinor: 123_456_789_012_345_678_901n },
      { kind: "BASE_FEE", monthlyMinor: 1n },
      { kind: "PERFORMANCE_BONUS", metric: "REVENUE", threshold: 1_000_000n, amountMinor: 25_000n },
    ];
    const terms: ContractTerms = {
      components,
      revenueBasis: { includeShipping: true, includeTaxes: true },
      capPerPeriodMinor: 0n,
      drawPerPeriodMinor: 100_000n,
    };
    expect(parseTerms(JSON.parse(JSON.stringify(serializeTerms(terms))))).toEqual(terms);
  });

  it("round-trips any valid terms", () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 15n });
    const percent = fc
      .integer({ min: 0, max: 10_000 })
      .map((bps) => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, "0")}`);
    const tiers = fc
      .uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 9n }), { maxLength: 4 })
      .chain((froms) =>
        fc.tuple(
          ...[0n, ...[...froms].sort((a, b) => (a < b ? -1 : 1))].map((from) =>
            percent.map((p) => ({ from, percent: p })),
          ),
        ),
      );
    const component: fc.Arbitrary<Component> = fc.oneof(
      fc.record({ kind: fc.constant("REVENUE_SHARE" as const), percent, overrides: fc.constant<RateOverride[]>([]) }),
      fc.record({ kind: fc.constant("CPA" as const), amountMinor: amount, newCustomersOnly: fc.boolean() }),
      fc.record({
        kind: fc.constant("TIERED_REVENUE_SHARE" as const),
        metric: fc.constantFrom("REVENUE" as const, "CONVERSIONS" as const),
        mode: fc.constantFrom("MARGINAL" as const, "RETROACTIVE" as const),
        tiers,
      }),
      fc.record({ kind: fc.constant("RETAINER" as const), monthlyMinor: amount }),
      fc.record({
        kind: fc.constant("PERFORMANCE_BONUS" as const),
        metric: fc.constantFrom("REVENUE" as const, "CONVERSIONS" as const),
        threshold: amount,
        amountMinor: amount,
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(component, { minLength: 1, maxLength: 5, selector: (c) => c.kind }),
        fc.option(amount),
        fc.option(amount),
        fc.boolean(),
        (components, cap, draw, includeShipping) => {
          const terms: ContractTerms = {
            components,
            revenueBasis: { includeShipping, includeTaxes: !includeShipping },
            capPerPeriodMinor: cap,
            drawPerPeriodMinor: draw,
          };
          expect(parseTerms(JSON.parse(JSON.stringify(serializeTerms(terms))))).toEqual(terms);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("rejects, with a message for the field", () => {
    it("terms that are not an object, or miss their parts", () => {
      expect(Object.keys(errorsOf(null))).toEqual(["terms"]);
      expect(errorsOf({ ...valid(), revenueBasis: undefined })).toEqual({
        revenueBasis: "Say whether revenue includes shipping and taxes",
      });
    });

    it("a contract that pays nothing", () => {
      expect(errorsOf({ ...valid(), components: [] })).toEqual({
        components: "Add at least one way to pay the creator",
      });
      expect(errorsOf({ ...valid(), components: undefined })).toEqual({
        components: "Add at least one way to pay the creator",
      });
    });

    it("an unknown kind of component", () => {
      expect(errorsOf(withComponent({ kind: "STOCK_OPTIONS" }))).toEqual({
        "components.0.kind": "Choose how this part of the contract pays",
      });
    });

    it("two components of one kind", () => {
      const retainer = { kind: "RETAINER", monthlyMinor: "1" };
      expect(
        errorsOf({
          ...valid(),
          components: [retainer, { kind: "CPA", amountMinor: "1", newCustomersOnly: false }, retainer],
        }),
      ).toEqual({
        "components.2.kind": "A contract has at most one component of each kind",
      });
    });

    it.each([
      ["100.01", "A percent cannot exceed 100"],
      ["12.345", "Enter a percent like 10 or 12.5, with at most two decimals"],
      ["-1", "Enter a percent like 10 or 12.5, with at most two decimals"],
      ["ten", "Enter a percent like 10 or 12.5, with at most two decimals"],
      [12.5, 'Enter a percent, like "12.5"'],
    ])("a percent of %s", (percent, message) => {
      expect(errorsOf(withComponent({ kind: "REVENUE_SHARE", percent, overrides: [] }))).toEqual({
        "components.0.percent": message,
      });
    });

    it("an override's percent, at its path", () => {
      const override = { target: { type: "PRODUCT", gid: "p1", title: "Serum" }, percent: "101" };
      expect(errorsOf(withComponent({ kind: "REVENUE_SHARE", percent: "10", overrides: [override] }))).toEqual({
        "components.0.overrides.0.percent": "A percent cannot exceed 100",
      });
    });

    it("a second rate for the same product or collection, at its path", () => {
      const sale = { type: "COLLECTION", gid: "gid://shopify/Collection/7", title: "Sale" };
      const overrides = [
        { target: sale, percent: "20" },
        { target: { type: "PRODUCT", gid: "gid://shopify/Product/7", title: "Serum" }, percent: "30" },
        { target: sale, percent: "25" },
      ];
      expect(errorsOf(withComponent({ kind: "REVENUE_SHARE", percent: "10", overrides }))).toEqual({
        "components.0.overrides.2.target": "This collection already has a rate above: change that one instead",
      });
    });

    it.each([
      ["-5", 'Enter an amount in minor units (cents) with digits only, like "1250"'],
      ["12.50", 'Enter an amount in minor units (cents) with digits only, like "1250"'],
      [1250, 'Enter an amount in minor units (cents), like "1250"'],
    ])("an amount of %s", (amountMinor, message) => {
      expect(errorsOf(withComponent({ kind: "CPA", amountMinor, newCustomersOnly: false }))).toEqual({
        "components.0.amountMinor": message,
      });
    });

    it("a negative cap or draw", () => {
      expect(errorsOf({ ...valid(), capPerPeriodMinor: "-1", drawPerPeriodMinor: "-1" })).toEqual({
        capPerPeriodMinor: 'Enter an amount in minor units (cents) with digits only, like "1250"',
        drawPerPeriodMinor: 'Enter an amount in minor units (cents) with digits only, like "1250"',
      });
    });

    it("tiers that do not start at 0 or do not increase", () => {
      const tiered = (tiers: unknown) =>
        withComponent({ kind: "TIERED_REVENUE_SHARE", metric: "REVENUE", mode: "MARGINAL", tiers });
      expect(errorsOf(tiered([]))).toEqual({ "components.0.tiers": "Add at least one tier" });
      expect(errorsOf(tiered([{ from: "100", percent: "10" }]))).toEqual({
        "components.0.tiers.0.from": "The first tier starts at 0",
      });
      expect(
        errorsOf(
          tiered([
            { from: "0", percent: "10" },
            { from: "5000", percent: "15" },
            { from: "5000", percent: "20" },
          ]),
        ),
      ).toEqual({ "components.0.tiers.2.from": "Start this tier above the previous one (5000)" });
      expect(
        errorsOf(
          tiered([
            { from: "0", percent: "10" },
            { from: "x", percent: "10" },
          ]),
        ),
      ).toEqual({
        "components.0.tiers.1.from": 'Enter where the tier starts with digits only, like "500000"',
      });
    });

    it("a flat fee with no fee, or for a kind of deliverable that does not exist", () => {
      expect(errorsOf(withComponent({ kind: "FLAT_FEE", feesMinor: {} }))).toEqual({
        "components.0.feesMinor": "Set a fee for at least one kind of deliverable",
      });
      expect(Object.keys(errorsOf(withComponent({ kind: "FLAT_FEE", feesMinor: { PODCAST: "100" } })))).toEqual([
        "components.0.feesMinor",
      ]);
    });

    it("a bonus threshold that is not a whole number, in the metric's words", () => {
      const bonus = (metric: string) =>
        withComponent({ kind: "PERFORMANCE_BONUS", metric, threshold: "1.5", amountMinor: "100" });
      expect(errorsOf(bonus("REVENUE"))).toEqual({
        "components.0.threshold": 'Enter the revenue threshold in minor units (cents), like "1000000"',
      });
      expect(errorsOf(bonus("CONVERSIONS"))).toEqual({
        "components.0.threshold": 'Enter the number of conversions, like "20"',
      });
    });
  });

  it("parseTerms throws an error that lists every field", () => {
    const json = { ...valid(), capPerPeriodMinor: "-1", components: [] };
    expect(() => parseTerms(json)).toThrow(ContractTermsError);
    try {
      parseTerms(json);
    } catch (error) {
      expect((error as ContractTermsError).errors).toEqual({
        components: "Add at least one way to pay the creator",
        capPerPeriodMinor: 'Enter an amount in minor units (cents) with digits only, like "1250"',
      });
      expect((error as Error).message).toBe(
        'Contract terms rejected: components: Add at least one way to pay the creator; capPerPeriodMinor: Enter an amount in minor units (cents) with digits only, like "1250"',
      );
    }
  });
});
