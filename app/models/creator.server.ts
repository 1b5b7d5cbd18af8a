import { Prisma } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { parseTerms, serializeTerms } from "~/domain/commissions/contract-terms-schema";

export const creatorInputSchema = z.object({
  name: z.string().trim().min(1, "Enter the creator's name").max(100, "Keep the name under 100 characters"),
  email: z
    .string()
    .trim()
    .max(254, "Email is too long")
    .transform((value) => (value === "" ? null : value.toLowerCase()))
    .pipe(z.email("Enter a valid email address, like name@example.com").nullable()),
  discountCode: z
    .string()
    .trim()
    .min(1, "Enter the discount code this creator shares")
    .max(255, "Shopify discount codes are at most 255 characters")
    .refine((code) => normalizeDiscountCode(code).length > 0, "Enter the discount code this creator shares"),
  revenueSharePercent: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter a percentage like 10 or 12.5 (at most two decimals)")
    .refine((value) => Number(value) <= 100, "Revenue share cannot exceed 100%"),
});

/** Editing changes who the creator is; how they are paid lives on their contract (app/models/contract.server.ts). */
export const creatorEditSchema = creatorInputSchema.omit({ revenueSharePercent: true });

export type CreatorInput = z.input<typeof creatorInputSchema>;
export type CreatorFieldErrors = Partial<Record<keyof CreatorInput, string>>;
export type CreatorSaveResult = { ok: true; creatorId: string } | { ok: false; fieldErrors: CreatorFieldErrors };

export interface CreatorSummary {
  id: string;
  name: string;
  email: string | null;
  discountCodes: string[];
  revenueSharePercent: string | null;
}

export async function listCreators(shopId: string): Promise<CreatorSummary[]> {
  const creators = await prisma.creator.findMany({
    where: { shopId },
    orderBy: { name: "asc" },
    include: {
      discountCodes: { orderBy: { createdAt: "asc" } },
      contracts: { orderBy: [{ effectiveFrom: "desc" }, { createdAt: "desc" }], take: 1 },
    },
  });
  return creators.map(toSummary);
}

export async function getCreator(shopId: string, creatorId: string): Promise<CreatorSummary | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  const creator = await prisma.creator.findFirst({
    where: { id: creatorId, shopId },
    include: {
      discountCodes: { orderBy: { createdAt: "asc" } },
      contracts: { orderBy: [{ effectiveFrom: "desc" }, { createdAt: "desc" }], take: 1 },
    },
  });
  return creator ? toSummary(creator) : null;
}

export function validateCreatorInput(
  raw: Record<string, unknown>,
): { ok: true; input: z.output<typeof creatorInputSchema> } | { ok: false; fieldErrors: CreatorFieldErrors } {
  const parsed = creatorInputSchema.safeParse(raw);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

function validateCreatorEdit(
  raw: Record<string, unknown>,
): { ok: true; input: z.output<typeof creatorEditSchema> } | { ok: false; fieldErrors: CreatorFieldErrors } {
  const parsed = creatorEditSchema.safeParse(raw);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

function fieldErrorsOf(error: z.ZodError): CreatorFieldErrors {
  const fieldErrors: CreatorFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as keyof CreatorInput;
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

export async function createCreator(shopId: string, raw: Record<string, unknown>, now = new Date()): Promise<CreatorSaveResult> {
  const validation = validateCreatorInput(raw);
  if (!validation.ok) return validation;
  const { name, email, discountCode, revenueSharePercent } = validation.input;
  return saveUnlessCodeTaken(shopId, discountCode, null, async (tx) => {
    const creator = await tx.creator.create({ data: { shopId, name, email } });
    await tx.discountCode.create({
      data: { shopId, creatorId: creator.id, code: discountCode, normalizedCode: normalizeDiscountCode(discountCode) },
    });
    await tx.contract.create({ data: revenueShareContract(shopId, creator.id, revenueSharePercent, now) });
    return creator.id;
  });
}

/**
 * Changes the creator's name, email and primary discount code. Compensation is not edited here: a new contract
 * version is saved from the contract page.
 */
export async function updateCreator(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
): Promise<CreatorSaveResult | null> {
  const existing = await getCreator(shopId, creatorId);
  if (!existing) return null;
  const validation = validateCreatorEdit(raw);
  if (!validation.ok) return validation;
  const { name, email, discountCode } = validation.input;
  return saveUnlessCodeTaken(shopId, discountCode, creatorId, async (tx) => {
    await tx.creator.update({ where: { id: creatorId }, data: { name, email } });
    const normalizedCode = normalizeDiscountCode(discountCode);
    const [primaryCode] = await tx.discountCode.findMany({ where: { creatorId }, orderBy: { createdAt: "asc" }, take: 1 });
    if (!primaryCode) {
      await tx.discountCode.create({ data: { shopId, creatorId, code: discountCode, normalizedCode } });
    } else if (primaryCode.code !== discountCode) {
      await tx.discountCode.update({ where: { id: primaryCode.id }, data: { code: discountCode, normalizedCode } });
    }
    return creatorId;
  });
}

async function saveUnlessCodeTaken(
  shopId: string,
  discountCode: string,
  creatorId: string | null,
  save: (tx: Prisma.TransactionClient) => Promise<string>,
): Promise<CreatorSaveResult> {
  const owner = await prisma.discountCode.findUnique({
    where: { shopId_normalizedCode: { shopId, normalizedCode: normalizeDiscountCode(discountCode) } },
    include: { creator: { select: { name: true } } },
  });
  if (owner && owner.creatorId !== creatorId) {
    return { ok: false, fieldErrors: { discountCode: `${owner.code} already belongs to ${owner.creator.name}` } };
  }
  try {
    return { ok: true, creatorId: await prisma.$transaction(save) };
  } catch (error) {
    // Two merchants saving the same code at once: the unique index decides, the loser gets the same message.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, fieldErrors: { discountCode: `${discountCode} already belongs to another creator` } };
    }
    throw error;
  }
}

function revenueShareContract(shopId: string, creatorId: string, percent: string, effectiveFrom: Date) {
  const terms = termsForModel("REVENUE_SHARE", { percent: new Prisma.Decimal(percent).toFixed(2) });
  return { shopId, creatorId, model: "REVENUE_SHARE" as const, terms: serializeTerms(terms), effectiveFrom };
}

/** The revenue share of the creator's current contract, when it is a plain revenue share. */
function currentRevenueSharePercent(contract: { model: string; terms: Prisma.JsonValue } | undefined): string | null {
  if (!contract || contract.model !== "REVENUE_SHARE") return null;
  const share = parseTerms(contract.terms).components.find((component) => component.kind === "REVENUE_SHARE");
  return share?.kind === "REVENUE_SHARE" ? share.percent : null;
}

type CreatorWithRelations = Prisma.CreatorGetPayload<{ include: { discountCodes: true; contracts: true } }>;

function toSummary(creator: CreatorWithRelations): CreatorSummary {
  return {
    id: creator.id,
    name: creator.name,
    email: creator.email,
    discountCodes: creator.discountCodes.map((code) => code.code),
    revenueSharePercent: currentRevenueSharePercent(creator.contracts[0]),
  };
}
