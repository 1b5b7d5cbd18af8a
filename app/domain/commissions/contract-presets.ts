import { formatMoney } from "../money";
import { formatPercent } from "./commission-facts";
import {
  MERCHANDISE_ONLY,
  type CompensationModel,
  type Component,
  type ContractTerms,
  type DeliverableKind,
  type RateOverride,
  type RevenueBasis,
  type Tier,
} from "./contract-terms";
import { basisLabel } from "./order-entitlements";

/** What the merchant fills in for each model in the admin. */
export interface PresetInputs {
  FLAT_FEE: { feesMinor: Partial<Record<DeliverableKind, bigint>> };
  RETAINER: { monthlyMinor: bigint };
  CPA: { amountMinor: bigint; newCustomersOnly: boolean };
  REVENUE_SHARE: { percent: string; overrides?: RateOverride[] };
  TIERED: { metric: "REVENUE" | "CONVERSIONS"; mode: "MARGINAL" | "RETROACTIVE"; tiers: Tier[] };
  HYBRID: { baseMonthlyMinor: bigint; percent: string; overrides?: RateOverride[] };
  RETAINER_BONUS: {
    monthlyMinor: bigint;
    bonus: { metric: "REVENUE" | "CONVERSIONS"; threshold: bigint; amountMinor: bigint };
  };
}

/** Options every model shares; by default revenue is net merchandise, with no cap and no draw. */
export interface TermsOptions {
  revenueBasis?: RevenueBasis;
  capPerPeriodMinor?: bigint | null;
  drawPerPeriodMinor?: bigint | null;
}

/** Builds the components of the model the merchant picked; the engine only ever sees components. */
export function termsForModel<M extends CompensationModel>(
  model: M,
  input: PresetInputs[M] & TermsOptions,
): ContractTerms {
  return {
    components: componentsForModel(model, input),
    revenueBasis: input.revenueBasis ?? MERCHANDISE_ONLY,
    capPerPeriodMinor: input.capPerPeriodMinor ?? null,
    drawPerPeriodMinor: input.drawPerPeriodMinor ?? null,
  };
}

function componentsForModel(model: CompensationModel, input: PresetInputs[CompensationModel]): Component[] {
  // The generic signature ties `input` to `model`; TypeScript cannot narrow through it, hence the casts per case.
  switch (model) {
    case "FLAT_FEE":
      return [{ kind: "FLAT_FEE", feesMinor: { ...(input as PresetInputs["FLAT_FEE"]).feesMinor } }];
    case "RETAINER":
      return [{ kind: "RETAINER", monthlyMinor: (input as PresetInputs["RETAINER"]).monthlyMinor }];
    case "CPA": {
      const { amountMinor, newCustomersOnly } = input as PresetInputs["CPA"];
      return [{ kind: "CPA", amountMinor, newCustomersOnly }];
    }
    case "REVENUE_SHARE": {
      const { percent, overrides = [] } = input as PresetInputs["REVENUE_SHARE"];
      return [{ kind: "REVENUE_SHARE", percent, overrides: [...overrides] }];
    }
    case "TIERED": {
      const { metric, mode, tiers } = input as PresetInputs["TIERED"];
      return [{ kind: "TIERED_REVENUE_SHARE", metric, mode, tiers: [...tiers] }];
    }
    case "HYBRID": {
      const { baseMonthlyMinor, percent, overrides = [] } = input as PresetInputs["HYBRID"];
      return [
        { kind: "BASE_FEE", monthlyMinor: baseMonthlyMinor },
        { kind: "REVENUE_SHARE", percent, overrides: [...overrides] },
      ];
    }
    case "RETAINER_BONUS": {
      const { monthlyMinor, bonus } = input as PresetInputs["RETAINER_BONUS"];
      return [
        { kind: "RETAINER", monthlyMinor },
        { kind: "PERFORMANCE_BONUS", ...bonus },
      ];
    }
  }
}

const MODEL_COMPONENTS: Record<CompensationModel, Component["kind"][]> = {
  FLAT_FEE: ["FLAT_FEE"],
  RETAINER: ["RETAINER"],
  CPA: ["CPA"],
  REVENUE_SHARE: ["REVENUE_SHARE"],
  TIERED: ["TIERED_REVENUE_SHARE"],
  HYBRID: ["BASE_FEE", "REVENUE_SHARE"],
  RETAINER_BONUS: ["PERFORMANCE_BONUS", "RETAINER"],
};

/** The model whose preset has exactly these components, in any order; null for a custom combination. */
export function modelOfTerms(terms: ContractTerms): CompensationModel | null {
  const kinds = terms.components
    .map((component) => component.kind)
    .sort()
    .join(",");
  const match = Object.entries(MODEL_COMPONENTS).find(([, components]) => [...components].sort().join(",") === kinds);
  return match ? (match[0] as CompensationModel) : null;
}

/** One line per component, then the cap and the draw, as the admin and statements show a contract. */
export function describeTerms(terms: ContractTerms, currencyCode: string): string[] {
  const money = (minor: bigint) => formatMoney(minor, currencyCode);
  const revenue = basisLabel(terms.revenueBasis);
  const lines = terms.components.map((component): string => {
    switch (component.kind) {
      case "REVENUE_SHARE": {
        const overrides = component.overrides.map(
          (o) =>
            `${formatPercent(o.percent)} on ${o.target.type === "PRODUCT" ? "product" : "collection"} ${
              o.target.title
            }`,
        );
        const share = `${formatPercent(component.percent)} revenue share of ${revenue}`;
        return overrides.length === 0 ? share : `${share} (${overrides.join(", ")})`;
      }
      case "CPA":
        return component.newCustomersOnly
          ? `${money(component.amountMinor)} per order from a new customer`
          : `${money(component.amountMinor)} per order`;
      case "TIERED_REVENUE_SHARE": {
        const tiers = component.tiers.map(
          (tier) =>
            `${formatPercent(tier.percent)} from ${
              component.metric === "REVENUE" ? money(tier.from) : `${tier.from} conversions`
            }`,
        );
        const how =
          component.mode === "MARGINAL" ? "each slice at its tier's rate" : "all of it at the highest tier reached";
        const by = component.metric === "REVENUE" ? "monthly revenue" : "monthly conversions";
        return `Tiered revenue share of ${revenue} by ${by}, ${how}: ${tiers.join(", ")}`;
      }
      case "FLAT_FEE": {
        const fees = Object.entries(component.feesMinor)
          .filter((entry): entry is [string, bigint] => entry[1] !== undefined)
          .map(([kind, fee]) => `${money(fee)} per ${kind.toLowerCase()}`);
        return `Flat fee per deliverable: ${fees.join(", ")}`;
      }
      case "RETAINER":
        return `${money(component.monthlyMinor)} monthly retainer`;
      case "BASE_FEE":
        return `${money(component.monthlyMinor)} monthly base fee`;
      case "PERFORMANCE_BONUS": {
        const threshold =
          component.metric === "REVENUE"
            ? `${money(component.threshold)} revenue`
            : `${component.threshold} conversions`;
        return `${money(component.amountMinor)} bonus in a month with ${threshold} or more`;
      }
    }
  });
  if (terms.capPerPeriodMinor !== null) {
    lines.push(`Performance pay capped at ${money(terms.capPerPeriodMinor)} a month (fixed fees are not capped)`);
  }
  if (terms.drawPerPeriodMinor !== null) {
    lines.push(
      `${money(
        terms.drawPerPeriodMinor,
      )} recoverable draw a month: shortfalls are advanced and recovered from later earnings`,
    );
  }
  return lines;
}
