import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import {
  attributionRulesFormValues,
  parseAttributionRules,
  validateAttributionRulesForm,
  type AttributionRulesFieldErrors,
  type AttributionRulesFormField,
} from "~/domain/attribution/rules";
import type { AttributionRules } from "~/domain/attribution/types";

/*
 * The shop's attribution rules: how the app decides which creator an order credits. Saved rules apply to orders
 * attributed from then on (new orders, and orders re-attributed by an edit, a late signal or a review); orders
 * already decided keep their verdict until something makes the app look at them again.
 */

export interface ShopAttributionRules {
  rules: AttributionRules;
  /** The form's initial values (every field a string). */
  formValues: Record<AttributionRulesFormField, string>;
}

export async function getAttributionRules(shopId: string): Promise<ShopAttributionRules> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { attributionRules: true } });
  const rules = parseAttributionRules(shop.attributionRules);
  return { rules, formValues: attributionRulesFormValues(rules) };
}

export type SaveAttributionRulesResult =
  | { ok: true; rules: AttributionRules }
  | { ok: false; fieldErrors: AttributionRulesFieldErrors };

/** Validates the rules form and saves the whole set; nothing is saved when a field is wrong. */
export async function saveAttributionRules(
  shopId: string,
  raw: Record<string, unknown>,
): Promise<SaveAttributionRulesResult> {
  const result = validateAttributionRulesForm(raw);
  if (!result.ok) return result;
  await prisma.shop.update({
    where: { id: shopId },
    data: { attributionRules: result.rules as unknown as Prisma.InputJsonObject },
  });
  return { ok: true, rules: result.rules };
}
