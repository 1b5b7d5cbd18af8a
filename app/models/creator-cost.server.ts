import { TZDate } from "@date-fns/tz";
import type { CreatorCostKind, UnitCostSource } from "@prisma/client";
import { format, isMatch } from "date-fns";
import { z } from "zod";
import { prisma } from "~/db.server";
import { dateOfDay, dayOfDate } from "~/domain/calendar-days";
import { currencyExponent, toMinorUnits } from "~/domain/money";
import type { VariantFacts } from "~/services/catalog-search.server";
import { fieldErrorsOf } from "~/utils/field-errors";

/*
 * Money spent on a creator besides their contract: flat fees paid outside the app and products sent to them
 * (seeding). Both count in the creator's total cost, CAC and ROAS on the day they were incurred (the rollups read
 * CreatorCost). Every query is scoped by shop: another shop's creator or cost id is as unknown as a made-up one.
 */

export const COST_DESCRIPTION_MAX_LENGTH = 200;
export const SEEDING_QUANTITY_MAX = 10_000;
/** Well beyond any real fee or unit cost, well within BIGINT minor units even times the largest quantity. */
const AMOUNT_MAX_DIGITS = 10;

export interface CreatorCostRow {
  id: string;
  kind: CreatorCostKind;
  description: string;
  /** The day in the shop's timezone, YYYY-MM-DD. */
  incurredOn: string;
  amountMinor: bigint;
  /** Product seeding: what was sent; null for flat fees. */
  productTitle: string | null;
  variantGid: string | null;
  quantity: number | null;
  unitCostMinor: bigint | null;
  unitCostSource: UnitCostSource | null;
  createdAt: Date;
}

/** The form's fields: `kind`, `description`, `incurredOn`, `amount` (fees), `variantGid`, `quantity`, `unitCost` (seeding). */
export type CreatorCostField = "kind" | "description" | "incurredOn" | "amount" | "variantGid" | "quantity" | "unitCost";
export type CreatorCostFieldErrors = Partial<Record<CreatorCostField, string>>;

export type AddCreatorCostResult = { ok: true; costId: string } | { ok: false; fieldErrors: CreatorCostFieldErrors };

/** Asks Shopify for a variant as it is now (its cost per item included); null when the shop has no such variant. */
export type FindVariant = (variantGid: string) => Promise<VariantFacts | null>;

const isGuid = (value: string) => z.guid().safeParse(value).success;

/** The creator's costs, most recently incurred first. */
export async function listCreatorCosts(shopId: string, creatorId: string): Promise<CreatorCostRow[]> {
  if (!isGuid(creatorId)) return [];
  const rows = await prisma.creatorCost.findMany({
    where: { shopId, creatorId },
    orderBy: [{ incurredOn: "desc" }, { createdAt: "desc" }],
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    description: row.description,
    incurredOn: dayOfDate(row.incurredOn),
    amountMinor: row.amountMinor,
    productTitle: row.productTitle,
    variantGid: row.variantGid,
    quantity: row.quantity,
    unitCostMinor: row.unitCostMinor,
    unitCostSource: row.unitCostSource,
    createdAt: row.createdAt,
  }));
}

/** Money typed in the shop's currency ("25", "25.50"): more than zero, no more decimals than the currency has. */
function moneyText(currencyCode: string, messages: { missing: string; example: string }) {
  const digits = currencyExponent(currencyCode);
  return z
    .string()
    .trim()
    .min(1, messages.missing)
    .regex(new RegExp(`^\\d{1,${AMOUNT_MAX_DIGITS}}(\\.\\d+)?$`), `Enter an amount like ${messages.example} (digits and one decimal point only)`)
    .refine(
      (amount) => (amount.split(".")[1] ?? "").length <= digits,
      `${currencyCode} amounts have ${digits === 0 ? "no decimals" : `at most ${digits} decimals`}`,
    )
    .transform((amount) => toMinorUnits(amount, currencyCode))
    .refine((minor) => minor > 0n, "Enter an amount above 0");
}

function costSchema(currencyCode: string, timezone: string, now: Date) {
  const today = format(new TZDate(now.getTime(), timezone), "yyyy-MM-dd");
  const example = currencyExponent(currencyCode) === 0 ? "2500" : "250.00";
  const common = {
    description: z
      .string()
      .trim()
      .min(1, "Say what the cost was for, like “Launch video fee” or “Spring samples”")
      .max(COST_DESCRIPTION_MAX_LENGTH, `Keep the description under ${COST_DESCRIPTION_MAX_LENGTH} characters`),
    incurredOn: z
      .string()
      .trim()
      .min(1, "Enter the day the cost was incurred")
      .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isMatch(value, "yyyy-MM-dd") && value >= "1970-01-01", {
        error: "Enter a date like 2026-11-05",
        abort: true,
      })
      .refine((value) => value <= today, `Choose today (${today}) or an earlier day: record costs once they are incurred`),
  };
  return z.discriminatedUnion(
    "kind",
    [
      z.object({
        kind: z.literal("FLAT_FEE"),
        ...common,
        amount: moneyText(currencyCode, { missing: "Enter the fee", example }),
      }),
      z.object({
        kind: z.literal("PRODUCT_SEEDING"),
        ...common,
        variantGid: z
          .string()
          .trim()
          .regex(/^gid:\/\/shopify\/ProductVariant\/\d{1,20}$/, "Pick the product variant you sent from the list"),
        quantity: z
          .string()
          .trim()
          .regex(/^\d{1,6}$/, "Enter how many you sent, as a whole number")
          .transform(Number)
          .refine((quantity) => quantity >= 1 && quantity <= SEEDING_QUANTITY_MAX, `Enter a quantity from 1 to ${SEEDING_QUANTITY_MAX.toLocaleString("en-US")}`),
        // Blank: Shopify's cost per item is used. Typed: the merchant's own (or Shopify's, typed back).
        unitCost: z
          .string()
          .trim()
          .transform((value) => (value === "" ? null : value))
          .pipe(moneyText(currencyCode, { missing: "Enter the cost per item", example }).nullable()),
      }),
    ],
    { error: "Choose a flat fee or product seeding" },
  );
}

/**
 * Records a cost. A seeding cost asks Shopify for the variant again (`findVariant`): its product title is kept with
 * the cost, and its cost per item is used (`SHOPIFY`) unless the merchant typed another (`MERCHANT`). When Shopify has
 * no cost for the variant, or holds it in another currency than the shop's, the merchant must type one. Null when the
 * shop has no such creator.
 */
export async function addCreatorCost(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
  findVariant: FindVariant,
  now = new Date(),
): Promise<AddCreatorCostResult | null> {
  if (!isGuid(creatorId)) return null;
  const [shop, creator] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId }, select: { currencyCode: true, timezone: true } }),
    prisma.creator.findFirst({ where: { id: creatorId, shopId }, select: { id: true } }),
  ]);
  if (!shop || !creator) return null;

  const parsed = costSchema(shop.currencyCode, shop.timezone, now).safeParse({
    kind: text(raw.kind),
    description: text(raw.description),
    incurredOn: text(raw.incurredOn),
    amount: text(raw.amount),
    variantGid: text(raw.variantGid),
    quantity: text(raw.quantity),
    unitCost: text(raw.unitCost),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf<CreatorCostField>(parsed.error) };
  const input = parsed.data;
  const incurredOn = dateOfDay(input.incurredOn);

  if (input.kind === "FLAT_FEE") {
    const cost = await prisma.creatorCost.create({
      data: { shopId, creatorId, kind: "FLAT_FEE", description: input.description, incurredOn, amountMinor: input.amount },
    });
    return { ok: true, costId: cost.id };
  }

  const variant = await findVariant(input.variantGid);
  if (!variant) {
    return { ok: false, fieldErrors: { variantGid: "Shopify no longer has this variant (it may have been deleted): pick another" } };
  }
  const unit = unitCostOf(variant, input.unitCost, shop.currencyCode);
  if (!unit.ok) return { ok: false, fieldErrors: { unitCost: unit.message } };
  const cost = await prisma.creatorCost.create({
    data: {
      shopId,
      creatorId,
      kind: "PRODUCT_SEEDING",
      description: input.description,
      incurredOn,
      amountMinor: unit.minor * BigInt(input.quantity),
      productGid: variant.productGid,
      variantGid: variant.gid,
      productTitle: variant.displayName,
      quantity: input.quantity,
      unitCostMinor: unit.minor,
      unitCostSource: unit.source,
    },
  });
  return { ok: true, costId: cost.id };
}

/**
 * The cost per item to record: Shopify's when the merchant left it blank or typed the same amount, the merchant's
 * otherwise; an error when it is blank and Shopify's cannot be used.
 */
export function unitCostOf(
  variant: Pick<VariantFacts, "unitCost">,
  typedMinor: bigint | null,
  shopCurrency: string,
): { ok: true; minor: bigint; source: UnitCostSource } | { ok: false; message: string } {
  const shopify = shopifyUnitCost(variant, shopCurrency);
  if (typedMinor !== null) return { ok: true, minor: typedMinor, source: shopify === typedMinor ? "SHOPIFY" : "MERCHANT" };
  if (shopify !== null) return { ok: true, minor: shopify, source: "SHOPIFY" };
  return { ok: false, message: missingUnitCostMessage(variant, shopCurrency) };
}

/** Shopify's cost per item in shop-currency minor units; null when it has none, none above 0, or not in the shop's currency. */
export function shopifyUnitCost(variant: Pick<VariantFacts, "unitCost">, shopCurrency: string): bigint | null {
  const cost = variant.unitCost;
  if (!cost || cost.currencyCode !== shopCurrency) return null;
  try {
    const minor = toMinorUnits(cost.amount, shopCurrency);
    return minor > 0n ? minor : null;
  } catch {
    // More decimals than the currency has: not an amount the app can record exactly.
    return null;
  }
}

/** Why the merchant has to type the cost per item. */
export function missingUnitCostMessage(variant: Pick<VariantFacts, "unitCost">, shopCurrency: string): string {
  const cost = variant.unitCost;
  if (cost && cost.currencyCode !== shopCurrency) {
    return `Shopify holds this variant's cost in ${cost.currencyCode}, not the shop's ${shopCurrency}: enter what one cost you in ${shopCurrency}`;
  }
  return "Shopify has no cost per item for this variant: enter what one cost you";
}

/** Removes a cost entered by mistake. False when the shop's creator has no such cost. */
export async function deleteCreatorCost(shopId: string, creatorId: string, costId: string): Promise<boolean> {
  if (!isGuid(creatorId) || !isGuid(costId)) return false;
  const { count } = await prisma.creatorCost.deleteMany({ where: { id: costId, shopId, creatorId } });
  return count === 1;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
