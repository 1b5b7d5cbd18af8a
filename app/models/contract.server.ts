import { TZDate } from "@date-fns/tz";
import type { Shop } from "@prisma/client";
import type { Queue } from "bullmq";
import { format, isMatch } from "date-fns";
import Decimal from "decimal.js";
import { z } from "zod";
import { prisma } from "~/db.server";
import { describeTerms, termsForModel, type PresetInputs, type TermsOptions } from "~/domain/commissions/contract-presets";
import {
  MERCHANDISE_ONLY,
  type CompensationModel,
  type ContractTerms,
  type DeliverableKind,
  type RateOverride,
} from "~/domain/commissions/contract-terms";
import { collectionsNamedBy, duplicateOverrideTargets, MAX_RATE_OVERRIDES } from "~/domain/commissions/rate-overrides";
import { versionInForceIndex } from "~/domain/commissions/version-in-force";
import { parseTerms, serializeTerms, validateTerms } from "~/domain/commissions/contract-terms-schema";
import { payPeriodOf } from "~/domain/commissions/pay-period";
import { currencyExponent, fromMinorUnits, toMinorUnits } from "~/domain/money";
import { enqueueSettlements } from "~/jobs/commissions-worker.server";
import { enqueueCollectionSyncSteps } from "~/jobs/shopify-admin-worker.server";
import { commissionsQueue, shopifyAdminQueue, type SettleCreatorPeriodJob, type ShopifyAdminJob } from "~/queues.server";
import { requestCollectionSyncs } from "~/services/collection-sync.server";
import { markPeriodChanged, type CreatorPeriodRef } from "~/services/post-commissions.server";
import { logger } from "~/utils/logger.server";

/*
 * The contract page's form: what the merchant types (amounts in the shop currency as decimals, percents as
 * decimals), checked field by field and turned into ContractTerms with the model's preset. The form posts flat
 * field names: `model`, `fee.POST` … `fee.LIVESTREAM`, `monthlyAmount`, `baseFee`, `cpaAmount`, `newCustomersOnly`,
 * `percent`, `overrides.<i>.type` (PRODUCT or COLLECTION), `overrides.<i>.gid`, `overrides.<i>.title`,
 * `overrides.<i>.percent`, `tierMetric`, `tierMode`, `tiers.<i>.from`, `tiers.<i>.percent`, `bonusMetric`,
 * `bonusThreshold`, `bonusAmount`, `capAmount`, `drawAmount`, `includeShipping`, `includeTaxes`, `effectiveDate`;
 * checkboxes post "on" when ticked. Error messages are keyed by those names ("fees", "tiers" and "overrides" for the
 * lists as a whole, `overrides.<i>.target` for a row's product or collection).
 */

export const COMPENSATION_MODELS = [
  "FLAT_FEE",
  "RETAINER",
  "CPA",
  "REVENUE_SHARE",
  "TIERED",
  "HYBRID",
  "RETAINER_BONUS",
] as const satisfies readonly CompensationModel[];

export const DELIVERABLE_KINDS = ["POST", "VIDEO", "STORY", "REEL", "LIVESTREAM"] as const satisfies readonly DeliverableKind[];

type Metric = "REVENUE" | "CONVERSIONS";

/** A rate for one product or collection, as the form holds it: the target chosen by search, the percent as typed. */
export interface RateOverrideFormValues {
  type: "PRODUCT" | "COLLECTION";
  /** Blank until the merchant picks a product or collection. */
  gid: string;
  title: string;
  percent: string;
}

export interface ContractFormValues {
  model: CompensationModel;
  fees: Record<DeliverableKind, string>;
  monthlyAmount: string;
  baseFee: string;
  cpaAmount: string;
  newCustomersOnly: boolean;
  percent: string;
  overrides: RateOverrideFormValues[];
  tierMetric: Metric;
  tierMode: "MARGINAL" | "RETROACTIVE";
  tiers: { from: string; percent: string }[];
  bonusMetric: Metric;
  bonusThreshold: string;
  bonusAmount: string;
  capAmount: string;
  drawAmount: string;
  includeShipping: boolean;
  includeTaxes: boolean;
  /** YYYY-MM-DD in the shop's timezone; blank for "now". */
  effectiveDate: string;
}

/** Form field name → message. */
export type ContractFieldErrors = Record<string, string>;

export const EMPTY_CONTRACT_FORM: ContractFormValues = {
  model: "REVENUE_SHARE",
  fees: { POST: "", VIDEO: "", STORY: "", REEL: "", LIVESTREAM: "" },
  monthlyAmount: "",
  baseFee: "",
  cpaAmount: "",
  newCustomersOnly: false,
  percent: "",
  overrides: [],
  tierMetric: "REVENUE",
  tierMode: "MARGINAL",
  tiers: [{ from: "0", percent: "" }],
  bonusMetric: "REVENUE",
  bonusThreshold: "",
  bonusAmount: "",
  capAmount: "",
  drawAmount: "",
  includeShipping: false,
  includeTaxes: false,
  effectiveDate: "",
};

/** Models whose pay depends on revenue (the basis checkboxes apply) and whose performance pay a cap can limit. */
export const MODELS_USING_REVENUE: readonly CompensationModel[] = ["REVENUE_SHARE", "TIERED", "HYBRID", "RETAINER_BONUS"];
export const MODELS_WITH_PERFORMANCE_PAY: readonly CompensationModel[] = ["CPA", "REVENUE_SHARE", "TIERED", "HYBRID", "RETAINER_BONUS"];
export const MAX_TIERS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Reading versions

export type VersionStatus = "current" | "scheduled" | "past";

export interface ContractVersionView {
  id: string;
  model: CompensationModel;
  effectiveFrom: Date;
  terms: ContractTerms;
  /** describeTerms: one line per component, then the cap and the draw. */
  lines: string[];
  status: VersionStatus;
}

/** The version in force now (a creator's first version also covers the time before it), or null without one. */
export async function currentContract(shopId: string, creatorId: string, now = new Date()): Promise<ContractVersionView | null> {
  return (await contractHistory(shopId, creatorId, now)).find((version) => version.status === "current") ?? null;
}

/** Every version, newest first: scheduled ones (not yet in force), the current one, then the past ones. */
export async function contractHistory(shopId: string, creatorId: string, now = new Date()): Promise<ContractVersionView[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  const [shop, rows] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId }, select: { currencyCode: true } }),
    prisma.contract.findMany({ where: { shopId, creatorId }, orderBy: [{ effectiveFrom: "asc" }, { createdAt: "asc" }] }),
  ]);
  if (!shop || rows.length === 0) return [];
  const inForce = versionInForceIndex(rows, now);
  return rows
    .map((row, index): ContractVersionView => {
      const terms = parseTerms(row.terms);
      return {
        id: row.id,
        model: row.model,
        effectiveFrom: row.effectiveFrom,
        terms,
        lines: describeTerms(terms, shop.currencyCode),
        status: index === inForce ? "current" : index > inForce ? "scheduled" : "past",
      };
    })
    .reverse();
}


/** The form, filled in with a version's terms (amounts back in the shop currency); empty without a version. */
export function contractFormValues(
  version: Pick<ContractVersionView, "model" | "terms"> | null,
  currencyCode: string,
): ContractFormValues {
  const values: ContractFormValues = structuredClone(EMPTY_CONTRACT_FORM);
  if (!version) return values;
  const money = (minor: bigint) => fromMinorUnits(minor, currencyCode);
  const { terms } = version;
  values.model = version.model;
  values.includeShipping = terms.revenueBasis.includeShipping;
  values.includeTaxes = terms.revenueBasis.includeTaxes;
  values.capAmount = terms.capPerPeriodMinor === null ? "" : money(terms.capPerPeriodMinor);
  values.drawAmount = terms.drawPerPeriodMinor === null ? "" : money(terms.drawPerPeriodMinor);
  for (const component of terms.components) {
    switch (component.kind) {
      case "FLAT_FEE":
        for (const kind of DELIVERABLE_KINDS) {
          const fee = component.feesMinor[kind];
          values.fees[kind] = fee === undefined ? "" : money(fee);
        }
        break;
      case "RETAINER":
        values.monthlyAmount = money(component.monthlyMinor);
        break;
      case "BASE_FEE":
        values.baseFee = money(component.monthlyMinor);
        break;
      case "CPA":
        values.cpaAmount = money(component.amountMinor);
        values.newCustomersOnly = component.newCustomersOnly;
        break;
      case "REVENUE_SHARE":
        values.percent = plainPercent(component.percent);
        values.overrides = component.overrides.map((override) => ({ ...override.target, percent: plainPercent(override.percent) }));
        break;
      case "TIERED_REVENUE_SHARE":
        values.tierMetric = component.metric;
        values.tierMode = component.mode;
        values.tiers = component.tiers.map((tier) => ({
          from: component.metric === "REVENUE" ? money(tier.from) : tier.from.toString(),
          percent: plainPercent(tier.percent),
        }));
        break;
      case "PERFORMANCE_BONUS":
        values.bonusMetric = component.metric;
        values.bonusThreshold = component.metric === "REVENUE" ? money(component.threshold) : component.threshold.toString();
        values.bonusAmount = money(component.amountMinor);
        break;
    }
  }
  return values;
}

/** "12.50" → "12.5", "10.00" → "10". */
function plainPercent(percent: string): string {
  return new Decimal(percent).toString();
}

// ---------------------------------------------------------------------------------------------------------------
// Validating the form

export type ContractFormResult =
  | { ok: true; model: CompensationModel; terms: ContractTerms; effectiveFrom: Date }
  | { ok: false; fieldErrors: ContractFieldErrors; formError: string | null };

/** Checks the fields of the chosen model (the others are ignored) and builds the terms its preset stands for. */
export function validateContractForm(
  shop: Pick<Shop, "currencyCode" | "timezone">,
  model: unknown,
  raw: Record<string, unknown>,
  now = new Date(),
): ContractFormResult {
  const fields = new FieldReader();
  const chosen = fields.read("model", z.enum(COMPENSATION_MODELS, { error: "Choose a compensation model" }), model);
  if (chosen === undefined) return { ok: false, fieldErrors: fields.errors, formError: null };

  const money = moneyField(shop.currencyCode);
  const optionalMoney = optionalMoneyField(shop.currencyCode);
  const metric = z.enum(["REVENUE", "CONVERSIONS"], { error: "Choose revenue or conversions" });

  let inputs: PresetInputs[CompensationModel] | undefined;
  switch (chosen) {
    case "FLAT_FEE": {
      const feesMinor: Partial<Record<DeliverableKind, bigint>> = {};
      for (const kind of DELIVERABLE_KINDS) {
        const fee = fields.read(`fee.${kind}`, optionalMoney, raw[`fee.${kind}`]);
        if (fee !== undefined && fee !== null) feesMinor[kind] = fee;
      }
      const anyFeeError = DELIVERABLE_KINDS.some((kind) => fields.errors[`fee.${kind}`]);
      if (!anyFeeError && Object.keys(feesMinor).length === 0) {
        fields.errors.fees = "Enter a fee for at least one kind of deliverable";
      }
      inputs = { feesMinor } satisfies PresetInputs["FLAT_FEE"];
      break;
    }
    case "RETAINER":
      inputs = { monthlyMinor: fields.read("monthlyAmount", money, raw.monthlyAmount)! } satisfies PresetInputs["RETAINER"];
      break;
    case "CPA":
      inputs = {
        amountMinor: fields.read("cpaAmount", money, raw.cpaAmount)!,
        newCustomersOnly: checked(raw.newCustomersOnly),
      } satisfies PresetInputs["CPA"];
      break;
    case "REVENUE_SHARE":
      inputs = {
        percent: fields.read("percent", percentField, raw.percent)!,
        overrides: readOverrides(fields, raw),
      } satisfies PresetInputs["REVENUE_SHARE"];
      break;
    case "HYBRID":
      inputs = {
        baseMonthlyMinor: fields.read("baseFee", money, raw.baseFee)!,
        percent: fields.read("percent", percentField, raw.percent)!,
        overrides: readOverrides(fields, raw),
      } satisfies PresetInputs["HYBRID"];
      break;
    case "TIERED": {
      const tierMetric = fields.read("tierMetric", metric, raw.tierMetric);
      const tierMode = fields.read("tierMode", z.enum(["MARGINAL", "RETROACTIVE"], { error: "Choose how tier rates apply" }), raw.tierMode);
      inputs = { metric: tierMetric!, mode: tierMode!, tiers: readTiers(fields, raw, tierMetric ?? "REVENUE", money) } satisfies PresetInputs["TIERED"];
      break;
    }
    case "RETAINER_BONUS": {
      const bonusMetric = fields.read("bonusMetric", metric, raw.bonusMetric);
      const threshold = fields.read(
        "bonusThreshold",
        bonusMetric === "CONVERSIONS" ? countField("Enter the number of conversions that earns the bonus, like 20") : money,
        raw.bonusThreshold,
      );
      inputs = {
        monthlyMinor: fields.read("monthlyAmount", money, raw.monthlyAmount)!,
        bonus: { metric: bonusMetric!, threshold: threshold!, amountMinor: fields.read("bonusAmount", money, raw.bonusAmount)! },
      } satisfies PresetInputs["RETAINER_BONUS"];
      break;
    }
  }

  const options: TermsOptions = {
    revenueBasis: MODELS_USING_REVENUE.includes(chosen)
      ? { includeShipping: checked(raw.includeShipping), includeTaxes: checked(raw.includeTaxes) }
      : MERCHANDISE_ONLY,
    capPerPeriodMinor: MODELS_WITH_PERFORMANCE_PAY.includes(chosen) ? fields.read("capAmount", optionalMoney, raw.capAmount) : null,
    drawPerPeriodMinor: fields.read("drawAmount", optionalMoney, raw.drawAmount),
  };
  const effectiveFrom = fields.read("effectiveDate", effectiveDateField(shop.timezone, now), raw.effectiveDate);

  if (Object.keys(fields.errors).length > 0 || effectiveFrom === undefined) {
    return { ok: false, fieldErrors: fields.errors, formError: null };
  }
  const terms = termsForModel(chosen, { ...inputs!, ...options } as PresetInputs[typeof chosen] & TermsOptions);
  // The fields above already hold every rule the terms schema has; this keeps the two from drifting apart unseen.
  const stored = validateTerms(serializeTerms(terms));
  if (!stored.ok) {
    return { ok: false, fieldErrors: {}, formError: `These terms cannot be saved: ${Object.values(stored.errors).join("; ")}` };
  }
  return { ok: true, model: chosen, terms, effectiveFrom };
}

function readTiers(
  fields: FieldReader,
  raw: Record<string, unknown>,
  metric: Metric,
  money: z.ZodType<bigint, string>,
): PresetInputs["TIERED"]["tiers"] {
  const indexes = [
    ...new Set(
      Object.keys(raw)
        .map((key) => /^tiers\.(\d+)\.(from|percent)$/.exec(key)?.[1])
        .filter((index): index is string => index !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  if (indexes.length === 0) {
    fields.errors.tiers = "Add at least one tier";
    return [];
  }
  if (indexes.length > MAX_TIERS) {
    fields.errors.tiers = `A contract has at most ${MAX_TIERS} tiers`;
    return [];
  }
  const from =
    metric === "REVENUE" ? money : countField("Enter the number of conversions from which this rate applies, like 10");
  const tiers: PresetInputs["TIERED"]["tiers"] = [];
  let previousStart: bigint | undefined;
  indexes.forEach((index, position) => {
    // Rows are numbered as posted; messages go to the row the merchant sees (its position).
    const key = (field: string) => `tiers.${position}.${field}`;
    const percent = fields.read(key("percent"), percentField, raw[`tiers.${index}.percent`]);
    // The first tier always starts at zero; its "From" is not editable.
    const start = position === 0 ? 0n : fields.read(key("from"), from, raw[`tiers.${index}.from`]);
    if (start !== undefined && previousStart !== undefined && start <= previousStart) {
      fields.errors[key("from")] ??= "Start this tier above the previous one";
    }
    previousStart = start ?? previousStart;
    // With an error in the row, the errors stop the save and the placeholder values are never used.
    tiers.push({ from: start ?? 0n, percent: percent ?? "0.00" });
  });
  return tiers;
}

const OVERRIDE_GID = { PRODUCT: /^gid:\/\/shopify\/Product\/\d+$/, COLLECTION: /^gid:\/\/shopify\/Collection\/\d+$/ } as const;

/** The rows of rates for specific products or collections, in the order shown; messages go to the row's position. */
function readOverrides(fields: FieldReader, raw: Record<string, unknown>): RateOverride[] {
  const indexes = [
    ...new Set(
      Object.keys(raw)
        .map((key) => /^overrides\.(\d+)\.(type|gid|title|percent)$/.exec(key)?.[1])
        .filter((index): index is string => index !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  if (indexes.length > MAX_RATE_OVERRIDES) {
    fields.errors.overrides = `A revenue share has at most ${MAX_RATE_OVERRIDES} rates for products or collections`;
    return [];
  }
  const targetType = z.enum(["PRODUCT", "COLLECTION"], { error: "Choose a product or a collection" });
  const overrides = indexes.map((index, position): RateOverride => {
    // Rows are numbered as posted; messages go to the row the merchant sees (its position).
    const key = (field: string) => `overrides.${position}.${field}`;
    const posted = (field: string) => raw[`overrides.${index}.${field}`];
    const text = (field: string) => (typeof posted(field) === "string" ? (posted(field) as string).trim() : "");
    const type = fields.read(key("type"), targetType, posted("type"));
    const gid = text("gid");
    const title = text("title");
    if (type !== undefined && (!OVERRIDE_GID[type].test(gid) || title === "")) {
      fields.errors[key("target")] ??= `Search for the ${type === "PRODUCT" ? "product" : "collection"} this rate applies to and pick it`;
    }
    const percent = fields.read(key("percent"), percentField, posted("percent"));
    // With an error in the row, the errors stop the save and the placeholder values are never used.
    return { target: { type: type ?? "PRODUCT", gid, title: title.slice(0, 255) }, percent: percent ?? "0.00" };
  });
  for (const [position, message] of duplicateOverrideTargets(overrides)) fields.errors[`overrides.${position}.target`] ??= message;
  return overrides;
}

/** Runs one field's schema and files its first message under the field's name. */
class FieldReader {
  readonly errors: ContractFieldErrors = {};
  read<T>(key: string, schema: z.ZodType<T>, value: unknown): T | undefined {
    const parsed = schema.safeParse(typeof value === "string" ? value : value === undefined || value === null ? "" : value);
    if (parsed.success) return parsed.data;
    this.errors[key] ??= parsed.error.issues[0]?.message ?? "Check this field";
    return undefined;
  }
}

function checked(value: unknown): boolean {
  return value === "on" || value === "true" || value === true;
}

/** Positive amounts in the shop currency ("500", "12.50"), as exact minor units. */
function moneyField(currencyCode: string): z.ZodType<bigint, string> {
  const exponent = currencyExponent(currencyCode);
  const example = exponent === 0 ? "500" : `500 or 12.${"5".padEnd(exponent, "0")}`;
  return z.string().transform((value, ctx) => {
    const text = value.trim();
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (text === "") return fail(`Enter an amount in ${currencyCode}, like ${example}`);
    if (!/^\d{1,13}(\.\d+)?$/.test(text)) {
      return fail(/^\d+(\.\d+)?$/.test(text) ? "Enter a smaller amount" : `Enter an amount like ${example}, digits and a decimal point only`);
    }
    let minor: bigint;
    try {
      minor = toMinorUnits(text, currencyCode);
    } catch {
      return fail(exponent === 0 ? `${currencyCode} amounts have no decimals` : `Enter at most ${exponent} decimals for ${currencyCode}`);
    }
    if (minor <= 0n) return fail("Enter an amount above 0");
    return minor;
  });
}

/** Blank means "none" (null). */
function optionalMoneyField(currencyCode: string): z.ZodType<bigint | null, string> {
  const money = moneyField(currencyCode);
  return z.string().transform((value, ctx) => {
    if (value.trim() === "") return null;
    const parsed = money.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
    return z.NEVER;
  });
}

const percentField = z
  .string()
  .trim()
  // Later checks run only when the earlier ones passed (abort), so Decimal only ever sees a valid number.
  .min(1, { error: "Enter a percent, like 10 or 12.5", abort: true })
  .regex(/^\d{1,3}(\.\d{1,2})?$/, { error: "Enter a percent like 10 or 12.5, with at most two decimals", abort: true })
  .refine((value) => new Decimal(value).lte(100), "A percent cannot exceed 100")
  .transform((value) => new Decimal(value).toFixed(2));

function countField(message: string): z.ZodType<bigint, string> {
  return z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, { error: message, abort: true })
    .transform((digits) => BigInt(digits))
    .refine((count) => count > 0n, "Enter a number above 0");
}

/**
 * Blank or today: the contract starts now. A later day: it starts at midnight of that day in the shop's timezone.
 * An earlier day is refused, since orders already placed keep the terms they were earned under.
 */
function effectiveDateField(timezone: string, now: Date): z.ZodType<Date, string> {
  const today = format(new TZDate(now.getTime(), timezone), "yyyy-MM-dd");
  return z.string().transform((value, ctx) => {
    const text = value.trim();
    if (text === "" || text === today) return now;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !isMatch(text, "yyyy-MM-dd")) {
      ctx.addIssue({ code: "custom", message: "Enter a date like 2026-12-01, or leave it blank to start now" });
      return z.NEVER;
    }
    if (text < today) {
      ctx.addIssue({ code: "custom", message: "Choose today or a later date: orders already placed keep the terms they earned under" });
      return z.NEVER;
    }
    const [year, month, day] = text.split("-").map(Number) as [number, number, number];
    return new Date(new TZDate(year, month - 1, day, timezone).getTime());
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Saving

export type SaveContractResult =
  | { ok: true; contractId: string; effectiveFrom: Date; period: CreatorPeriodRef }
  | { ok: false; fieldErrors: ContractFieldErrors; formError: string | null };

/**
 * Saves the form as a new contract version, effective now or from the day the merchant chose. Orders placed
 * before keep the terms they were earned under; the current pay period's period-level pay (retainer, fees, tiers,
 * bonus, cap, draw) is recomputed by the settlement enqueued after commit. Collections the terms pay a rate on are
 * read from Shopify (again) by a job enqueued after commit, which posts the orders they change again. Null when the
 * shop has no such creator.
 */
export async function saveContract(
  shopId: string,
  creatorId: string,
  model: unknown,
  rawForm: Record<string, unknown>,
  now = new Date(),
  queue: () => Queue<SettleCreatorPeriodJob> = commissionsQueue,
  adminQueue: () => Queue<ShopifyAdminJob> = shopifyAdminQueue,
): Promise<SaveContractResult | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  const [shop, creator] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId } }),
    prisma.creator.findFirst({ where: { id: creatorId, shopId }, select: { id: true } }),
  ]);
  if (!shop || !creator) return null;
  const form = validateContractForm(shop, model, rawForm, now);
  if (!form.ok) return form;

  const { contract, period, collectionSyncs } = await prisma.$transaction(async (tx) => {
    // A second change scheduled for the same instant replaces the first, which never came into force.
    if (form.effectiveFrom > now) {
      await tx.contract.deleteMany({ where: { shopId, creatorId, effectiveFrom: form.effectiveFrom } });
    }
    const contract = await tx.contract.create({
      data: { shopId, creatorId, model: form.model, terms: serializeTerms(form.terms), effectiveFrom: form.effectiveFrom },
    });
    const period = await markPeriodChanged(tx, { shopId, creatorId, periodKey: payPeriodOf(now, shop.timezone) });
    const collectionSyncs = await requestCollectionSyncs(tx, shopId, collectionsNamedBy(form.terms), now);
    return { contract, period, collectionSyncs };
  });
  await enqueueAfterCommit(() => enqueueSettlements(queue(), [period]), { shopId, creatorId, periodKey: period.periodKey });
  if (collectionSyncs.length > 0) {
    // Committed already: a queued sync whose job is lost is found by the shopify-admin sweeper.
    await enqueueCollectionSyncSteps(adminQueue(), collectionSyncs).catch((error) =>
      logger.warn({ err: error, shopId, creatorId }, "collection sync enqueue failed; the shopify-admin sweeper will pick it up"),
    );
  }
  return { ok: true, contractId: contract.id, effectiveFrom: contract.effectiveFrom, period };
}

/** Committed already: a lost enqueue leaves the period unsettled for the period sweeper to find. */
export async function enqueueAfterCommit(enqueue: () => Promise<unknown>, context: Record<string, string>): Promise<void> {
  try {
    await enqueue();
  } catch (error) {
    logger.warn({ err: error, ...context }, "settlement enqueue failed; the period sweeper will pick it up");
  }
}
