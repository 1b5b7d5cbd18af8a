import { z } from "zod";
import type { ContractTerms, DeliverableKind } from "./contract-terms";
import { duplicateOverrideTargets, MAX_RATE_OVERRIDES } from "./rate-overrides";

/*
 * Contract terms as the database (JSON) and the admin form carry them: the same shape as ContractTerms, with
 * amounts as decimal strings of minor units because JSON has no bigint. Every message is written for the
 * merchant, since the admin shows them next to the field at their path.
 */

const DELIVERABLE_KINDS = [
  "POST",
  "VIDEO",
  "STORY",
  "REEL",
  "LIVESTREAM",
] as const satisfies readonly DeliverableKind[];

const minorUnits = z
  .string({ error: 'Enter an amount in minor units (cents), like "1250"' })
  .regex(/^\d+$/, 'Enter an amount in minor units (cents) with digits only, like "1250"')
  .transform((digits) => BigInt(digits));

const count = z
  .string({ error: 'Enter a number of conversions, like "10"' })
  .regex(/^\d+$/, 'Enter a whole number of conversions, like "10"')
  .transform((digits) => BigInt(digits));

const percent = z
  .string({ error: 'Enter a percent, like "12.5"' })
  .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter a percent like 10 or 12.5, with at most two decimals")
  .refine((value) => Number(value) <= 100, "A percent cannot exceed 100");

const metric = z.enum(["REVENUE", "CONVERSIONS"], { error: "Choose revenue or conversions" });

const rateOverride = z.strictObject({
  target: z.strictObject({
    type: z.enum(["PRODUCT", "COLLECTION"], { error: "Choose a product or a collection" }),
    gid: z.string().min(1, "Choose the product or collection this rate applies to"),
    title: z.string(),
  }),
  percent,
});

const rateOverrides = z
  .array(rateOverride)
  .max(MAX_RATE_OVERRIDES, `A revenue share has at most ${MAX_RATE_OVERRIDES} rates for products or collections`)
  .superRefine((list, ctx) => {
    for (const [index, message] of duplicateOverrideTargets(list)) {
      ctx.addIssue({ code: "custom", path: [index, "target"], message });
    }
  });

const tiers = z
  .array(z.strictObject({ from: z.string(), percent }), { error: "Add the tiers" })
  .min(1, "Add at least one tier")
  .superRefine((list, ctx) => {
    list.forEach((tier, i) => {
      if (!/^\d+$/.test(tier.from)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "from"],
          message: 'Enter where the tier starts with digits only, like "500000"',
        });
        return;
      }
      if (i === 0 && tier.from !== "0") {
        ctx.addIssue({ code: "custom", path: [i, "from"], message: "The first tier starts at 0" });
      }
      const previous = list[i - 1];
      if (i > 0 && previous && /^\d+$/.test(previous.from) && BigInt(tier.from) <= BigInt(previous.from)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "from"],
          message: `Start this tier above the previous one (${previous.from})`,
        });
      }
    });
  })
  .transform((list) => list.map((tier) => ({ from: BigInt(tier.from), percent: tier.percent })));

const component = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("REVENUE_SHARE"), percent, overrides: rateOverrides }),
    z.strictObject({ kind: z.literal("CPA"), amountMinor: minorUnits, newCustomersOnly: z.boolean() }),
    z.strictObject({
      kind: z.literal("TIERED_REVENUE_SHARE"),
      metric,
      mode: z.enum(["MARGINAL", "RETROACTIVE"], { error: "Choose marginal or retroactive" }),
      tiers,
    }),
    z.strictObject({
      kind: z.literal("FLAT_FEE"),
      feesMinor: z
        .strictObject(
          Object.fromEntries(DELIVERABLE_KINDS.map((kind) => [kind, minorUnits.optional()])) as Record<
            DeliverableKind,
            z.ZodOptional<typeof minorUnits>
          >,
        )
        .refine(
          (fees) => Object.values(fees).some((fee) => fee !== undefined),
          "Set a fee for at least one kind of deliverable",
        ),
    }),
    z.strictObject({ kind: z.literal("RETAINER"), monthlyMinor: minorUnits }),
    z.strictObject({ kind: z.literal("BASE_FEE"), monthlyMinor: minorUnits }),
    z.strictObject({ kind: z.literal("PERFORMANCE_BONUS"), metric, threshold: z.string(), amountMinor: minorUnits }),
  ],
  { error: "Choose how this part of the contract pays" },
);

export const contractTermsSchema = z
  .strictObject({
    components: z
      .array(component, { error: "Add at least one way to pay the creator" })
      .min(1, "Add at least one way to pay the creator")
      .superRefine((list, ctx) => {
        // Each component has one ledger source per order or period, so a second of a kind would have nowhere to post.
        const seen = new Set<string>();
        list.forEach((c, i) => {
          if (seen.has(c.kind))
            ctx.addIssue({
              code: "custom",
              path: [i, "kind"],
              message: "A contract has at most one component of each kind",
            });
          seen.add(c.kind);
        });
      }),
    revenueBasis: z.strictObject(
      { includeShipping: z.boolean(), includeTaxes: z.boolean() },
      { error: "Say whether revenue includes shipping and taxes" },
    ),
    capPerPeriodMinor: minorUnits.nullable(),
    drawPerPeriodMinor: minorUnits.nullable(),
  })
  // A bonus threshold is money or a count depending on its metric, so it is checked with the metric at hand.
  .superRefine((terms, ctx) => {
    terms.components.forEach((c, i) => {
      if (c.kind === "PERFORMANCE_BONUS" && !/^\d+$/.test(c.threshold)) {
        ctx.addIssue({
          code: "custom",
          path: ["components", i, "threshold"],
          message:
            c.metric === "REVENUE"
              ? 'Enter the revenue threshold in minor units (cents), like "1000000"'
              : 'Enter the number of conversions, like "20"',
        });
      }
    });
  })
  .transform(
    (terms): ContractTerms => ({
      ...terms,
      components: terms.components.map((c) =>
        c.kind === "PERFORMANCE_BONUS" ? { ...c, threshold: BigInt(c.threshold) } : c,
      ),
    }),
  );

/** Terms as JSON carries them. */
export type SerializedTerms = z.input<typeof contractTermsSchema>;

/** Field path ("components.0.tiers.1.from") → the first message for it; "terms" for the contract as a whole. */
export type TermsErrors = Record<string, string>;

export class ContractTermsError extends Error {
  override name = "ContractTermsError";
  constructor(readonly errors: TermsErrors) {
    super(
      `Contract terms rejected: ${Object.entries(errors)
        .map(([path, message]) => `${path}: ${message}`)
        .join("; ")}`,
    );
  }
}

export function validateTerms(json: unknown): { ok: true; terms: ContractTerms } | { ok: false; errors: TermsErrors } {
  const parsed = contractTermsSchema.safeParse(json);
  if (parsed.success) return { ok: true, terms: parsed.data };
  const errors: TermsErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.length === 0 ? "terms" : issue.path.map(String).join(".");
    errors[path] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Reads terms stored as JSON; throws ContractTermsError listing every field that is wrong. */
export function parseTerms(json: unknown): ContractTerms {
  const result = validateTerms(json);
  if (!result.ok) throw new ContractTermsError(result.errors);
  return result.terms;
}

export function serializeTerms(terms: ContractTerms): SerializedTerms {
  return {
    components: terms.components.map((c): SerializedTerms["components"][number] => {
      switch (c.kind) {
        case "REVENUE_SHARE":
          return {
            kind: c.kind,
            percent: c.percent,
            overrides: c.overrides.map((o) => ({ target: { ...o.target }, percent: o.percent })),
          };
        case "CPA":
          return { kind: c.kind, amountMinor: c.amountMinor.toString(), newCustomersOnly: c.newCustomersOnly };
        case "TIERED_REVENUE_SHARE":
          return {
            kind: c.kind,
            metric: c.metric,
            mode: c.mode,
            tiers: c.tiers.map((t) => ({ from: t.from.toString(), percent: t.percent })),
          };
        case "FLAT_FEE":
          return {
            kind: c.kind,
            feesMinor: Object.fromEntries(
              Object.entries(c.feesMinor)
                .filter((entry): entry is [string, bigint] => entry[1] !== undefined)
                .map(([kind, fee]) => [kind, fee.toString()]),
            ),
          };
        case "RETAINER":
        case "BASE_FEE":
          return { kind: c.kind, monthlyMinor: c.monthlyMinor.toString() };
        case "PERFORMANCE_BONUS":
          return {
            kind: c.kind,
            metric: c.metric,
            threshold: c.threshold.toString(),
            amountMinor: c.amountMinor.toString(),
          };
      }
    }),
    revenueBasis: {
      includeShipping: terms.revenueBasis.includeShipping,
      includeTaxes: terms.revenueBasis.includeTaxes,
    },
    capPerPeriodMinor: terms.capPerPeriodMinor?.toString() ?? null,
    drawPerPeriodMinor: terms.drawPerPeriodMinor?.toString() ?? null,
  };
}
