import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { termsForModel, type PresetInputs, type TermsOptions } from "~/domain/commissions/contract-presets";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import type { CompensationModel } from "~/domain/commissions/contract-terms";
import { createCreator } from "~/models/creator.server";
import { installShop } from "~/models/shop.server";

/** Every test gets its own shop: all rows are scoped by shop, so tests never see each other's data. */
export async function createTestShop(overrides: { currencyCode?: string; timezone?: string } = {}) {
  const domain = `test-${randomUUID().slice(0, 8)}.myshopify.com`;
  return installShop({
    domain,
    name: `Test shop ${domain}`,
    currencyCode: overrides.currencyCode ?? "USD",
    timezone: overrides.timezone ?? "UTC",
  });
}

export async function createTestCreator(
  shopId: string,
  input: {
    name?: string;
    email?: string;
    handle?: string;
    referrerDomains?: string;
    customerGid?: string;
    discountCode?: string;
    revenueSharePercent?: string;
  } = {},
  effectiveFrom = new Date("2020-01-01T00:00:00Z"),
) {
  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const result = await createCreator(
    shopId,
    {
      name: input.name ?? `Creator ${suffix}`,
      email: input.email ?? "",
      // Unique in the shop, like the code: "creator-3f9a1c".
      handle: input.handle ?? `creator-${suffix.toLowerCase()}`,
      referrerDomains: input.referrerDomains ?? "",
      customerGid: input.customerGid ?? "",
      discountCode: input.discountCode ?? `CODE${suffix}`,
      revenueSharePercent: input.revenueSharePercent ?? "10",
    },
    effectiveFrom,
  );
  if (!result.ok) throw new Error(`createTestCreator: ${JSON.stringify(result.fieldErrors)}`);
  return prisma.creator.findUniqueOrThrow({ where: { id: result.creatorId }, include: { discountCodes: true } });
}

/**
 * A contract version of the model's preset from these inputs, written straight to the database (no form, no checks).
 * In force from `effectiveFrom`: later than createTestCreator's 2020-01-01, it replaces the creator's revenue share.
 */
export async function createTestContract<M extends CompensationModel>(
  shopId: string,
  creatorId: string,
  model: M,
  inputs: PresetInputs[M] & TermsOptions,
  effectiveFrom: Date,
) {
  return prisma.contract.create({
    data: { shopId, creatorId, model, terms: serializeTerms(termsForModel(model, inputs)), effectiveFrom },
  });
}
