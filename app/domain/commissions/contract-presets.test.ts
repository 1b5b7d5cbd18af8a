import { describe, expect, it } from "vitest";
import { describeTerms, modelOfTerms, termsForModel } from "./contract-presets";
import { MERCHANDISE_ONLY, type CompensationModel, type ContractTerms } from "./contract-terms";

const tiers = [
  { from: 0n, percent: "10" },
  { from: 500_000n, percent: "15" },
];

const presets: { [M in CompensationModel]: ContractTerms } = {
  FLAT_FEE: termsForModel("FLAT_FEE", { feesMinor: { VIDEO: 30_000n, POST: 15_000n } }),
  RETAINER: termsForModel("RETAINER", { monthlyMinor: 100_000n }),
  CPA: termsForModel("CPA", { amountMinor: 1_500n, newCustomersOnly: true }),
  REVENUE_SHARE: termsForModel("REVENUE_SHARE", { percent: "12.5" }),
  TIERED: termsForModel("TIERED", { metric: "REVENUE", mode: "MARGINAL", tiers }),
  HYBRID: termsForModel("HYBRID", { baseMonthlyMinor: 50_000n, percent: "5" }),
  RETAINER_BONUS: termsForModel("RETAINER_BONUS", {
    monthlyMinor: 100_000n,
    bonus: { metric: "REVENUE", threshold: 1_000_000n, amountMinor: 25_000n },
  }),
};

describe("termsForModel", () => {
  it("builds each model's components, on net merchandise with no cap and no draw", () => {
    expect(presets.FLAT_FEE.components).toEqual([{ kind: "FLAT_FEE", feesMinor: { VIDEO: 30_000n, POST: 15_000n } }]);
    expect(presets.RETAINER.components).toEqual([{ kind: "RETAINER", monthlyMinor: 100_000n }]);
    expect(presets.CPA.components).toEqual([{ kind: "CPA", amountMinor: 1_500n, newCustomersOnly: true }]);
    expect(presets.REVENUE_SHARE.components).toEqual([{ kind: "REVENUE_SHARE", percent: "12.5", overrides: [] }]);
    expect(presets.TIERED.components).toEqual([
      { kind: "TIERED_REVENUE_SHARE", metric: "REVENUE", mode: "MARGINAL", tiers },
    ]);
    expect(presets.HYBRID.components).toEqual([
      { kind: "BASE_FEE", monthlyMinor: 50_000n },
      { kind: "REVENUE_SHARE", percent: "5", overrides: [] },
    ]);
    expect(presets.RETAINER_BONUS.components).toEqual([
      { kind: "RETAINER", monthlyMinor: 100_000n },
      { kind: "PERFORMANCE_BONUS", metric: "REVENUE", threshold: 1_000_000n, amountMinor: 25_000n },
    ]);
    for (const terms of Object.values(presets)) {
      expect(terms).toMatchObject({
        revenueBasis: MERCHANDISE_ONLY,
        capPerPeriodMinor: null,
        drawPerPeriodMinor: null,
      });
    }
  });

  it("takes the basis, the cap, the draw and overrides when given", () => {
    const override = { target: { type: "COLLECTION" as const, gid: "c1", title: "Sale" }, percent: "5" };
    expect(
      termsForModel("REVENUE_SHARE", {
        percent: "10",
        overrides: [override],
        revenueBasis: { includeShipping: true, includeTaxes: false },
        capPerPeriodMinor: 200_000n,
        drawPerPeriodMinor: 50_000n,
      }),
    ).toEqual({
      components: [{ kind: "REVENUE_SHARE", percent: "10", overrides: [override] }],
      revenueBasis: { includeShipping: true, includeTaxes: false },
      capPerPeriodMinor: 200_000n,
      drawPerPeriodMinor: 50_000n,
    });
  });
});

describe("modelOfTerms", () => {
  it.each(Object.keys(presets) as CompensationModel[])("recognises %s", (model) => {
    expect(modelOfTerms(presets[model])).toBe(model);
  });

  it("recognises a preset whatever the order of its components", () => {
    expect(modelOfTerms({ ...presets.HYBRID, components: [...presets.HYBRID.components].reverse() })).toBe("HYBRID");
  });

  it("says null for a combination no preset makes", () => {
    expect(
      modelOfTerms({ ...presets.CPA, components: [...presets.CPA.components, ...presets.REVENUE_SHARE.components] }),
    ).toBeNull();
    expect(modelOfTerms({ ...presets.CPA, components: [] })).toBeNull();
  });
});

describe("describeTerms", () => {
  it("says each component in a line", () => {
    expect(
      Object.fromEntries(Object.entries(presets).map(([model, terms]) => [model, describeTerms(terms, "USD")])),
    ).toEqual({
      FLAT_FEE: ["Flat fee per deliverable: $300.00 per video, $150.00 per post"],
      RETAINER: ["$1,000.00 monthly retainer"],
      CPA: ["$15.00 per order from a new customer"],
      REVENUE_SHARE: ["12.50% revenue share of net merchandise"],
      TIERED: [
        "Tiered revenue share of net merchandise by monthly revenue, each slice at its tier's rate: 10.00% from $0.00, 15.00% from $5,000.00",
      ],
      HYBRID: ["$500.00 monthly base fee", "5.00% revenue share of net merchandise"],
      RETAINER_BONUS: ["$1,000.00 monthly retainer", "$250.00 bonus in a month with $10,000.00 revenue or more"],
    });
  });

  it("says overrides, the basis, conversions, the cap and the draw", () => {
    const terms: ContractTerms = {
      components: [
        {
          kind: "REVENUE_SHARE",
          percent: "10",
          overrides: [
            { target: { type: "PRODUCT", gid: "p1", title: "Glow Serum" }, percent: "20" },
            { target: { type: "COLLECTION", gid: "c1", title: "Sale" }, percent: "5" },
          ],
        },
        { kind: "CPA", amountMinor: 500n, newCustomersOnly: false },
        {
          kind: "TIERED_REVENUE_SHARE",
          metric: "CONVERSIONS",
          mode: "RETROACTIVE",
          tiers: [
            { from: 0n, percent: "5" },
            { from: 10n, percent: "8" },
          ],
        },
        { kind: "PERFORMANCE_BONUS", metric: "CONVERSIONS", threshold: 20n, amountMinor: 10_000n },
      ],
      revenueBasis: { includeShipping: true, includeTaxes: true },
      capPerPeriodMinor: 300_000n,
      drawPerPeriodMinor: 100_000n,
    };
    expect(describeTerms(terms, "EUR")).toEqual([
      "10.00% revenue share of net merchandise, shipping and taxes (20.00% on product Glow Serum, 5.00% on collection Sale)",
      "€5.00 per order",
      "Tiered revenue share of net merchandise, shipping and taxes by monthly conversions, all of it at the highest tier reached: 5.00% from 0 conversions, 8.00% from 10 conversions",
      "€100.00 bonus in a month with 20 conversions or more",
      "Performance pay capped at €3,000.00 a month (fixed fees are not capped)",
      "€1,000.00 recoverable draw a month: shortfalls are advanced and recovered from later earnings",
    ]);
  });
});
