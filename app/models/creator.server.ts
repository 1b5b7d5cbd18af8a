import { Prisma, type AttributionMethod, type CreatorPlatform, type FunnelStage, type ReviewStatus } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { parseTerms, serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { validateCreatorEdit, validateCreatorInput, type CreatorFieldErrors } from "~/domain/creators/creator-input";

export {
  creatorEditSchema,
  creatorInputSchema,
  HANDLE_PATTERN,
  MAX_REFERRER_DOMAINS,
  NICHE_MAX_LENGTH,
  normalizeReferrerDomain,
  parseCustomerGid,
  validateCreatorInput,
  type CreatorFieldErrors,
  type CreatorInput,
} from "~/domain/creators/creator-input";

export type CreatorSaveResult = { ok: true; creatorId: string } | { ok: false; fieldErrors: CreatorFieldErrors };

export interface CreatorSummary {
  id: string;
  name: string;
  email: string | null;
  handle: string;
  /** Normalized: "mayafit.com", "instagram.com/maya". */
  referrerDomains: string[];
  customerGid: string | null;
  /** The creator asked not to receive statements. */
  statementsOptOut: boolean;
  discountCodes: string[];
  revenueSharePercent: string | null;
  platform: CreatorPlatform | null;
  funnelStage: FunnelStage | null;
  niche: string | null;
}

export interface CreatorDiscountCode {
  id: string;
  code: string;
  origin: "CREATED_IN_APP" | "LINKED";
  createdAt: Date;
  retiredAt: Date | null;
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

/** Every discount code of the creator, retired ones included (past orders keep them), oldest first. */
export async function listCreatorDiscountCodes(shopId: string, creatorId: string): Promise<CreatorDiscountCode[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  return prisma.discountCode.findMany({
    where: { shopId, creatorId },
    orderBy: [{ createdAt: "asc" }, { code: "asc" }],
    select: { id: true, code: true, origin: true, createdAt: true, retiredAt: true },
  });
}

export async function createCreator(shopId: string, raw: Record<string, unknown>, now = new Date()): Promise<CreatorSaveResult> {
  const validation = validateCreatorInput(raw);
  if (!validation.ok) return validation;
  const { discountCode, revenueSharePercent, ...profile } = validation.input;
  return saveUnlessTaken(shopId, { discountCode, handle: profile.handle }, null, async (tx) => {
    const creator = await tx.creator.create({ data: { shopId, ...profile } });
    await tx.discountCode.create({
      data: { shopId, creatorId: creator.id, code: discountCode, normalizedCode: normalizeDiscountCode(discountCode) },
    });
    await tx.contract.create({ data: revenueShareContract(shopId, creator.id, revenueSharePercent, now) });
    return creator.id;
  });
}

/**
 * Changes the creator's name, email, handle, referrer domains, customer account, segment tags and primary discount
 * code.
 * Compensation is not edited here: a new contract version is saved from the contract page.
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
  const { discountCode, ...profile } = validation.input;
  return saveUnlessTaken(shopId, { discountCode, handle: profile.handle }, creatorId, async (tx) => {
    await tx.creator.update({ where: { shopId_id: { shopId, id: creatorId } }, data: profile });
    const normalizedCode = normalizeDiscountCode(discountCode);
    const [primaryCode] = await tx.discountCode.findMany({ where: { shopId, creatorId }, orderBy: { createdAt: "asc" }, take: 1 });
    if (!primaryCode) {
      await tx.discountCode.create({ data: { shopId, creatorId, code: discountCode, normalizedCode } });
    } else if (primaryCode.code !== discountCode) {
      await tx.discountCode.update({ where: { id: primaryCode.id }, data: { code: discountCode, normalizedCode } });
    }
    return creatorId;
  });
}

/** Saves unless another creator of the shop has the discount code or the handle; each taken field names its owner. */
async function saveUnlessTaken(
  shopId: string,
  wanted: { discountCode: string; handle: string },
  creatorId: string | null,
  save: (tx: Prisma.TransactionClient) => Promise<string>,
): Promise<CreatorSaveResult> {
  const { discountCode, handle } = wanted;
  const [codeOwner, handleOwner] = await Promise.all([
    prisma.discountCode.findUnique({
      where: { shopId_normalizedCode: { shopId, normalizedCode: normalizeDiscountCode(discountCode) } },
      include: { creator: { select: { name: true } } },
    }),
    prisma.creator.findUnique({ where: { shopId_handle: { shopId, handle } }, select: { id: true, name: true } }),
  ]);
  const fieldErrors: CreatorFieldErrors = {};
  if (codeOwner && codeOwner.creatorId !== creatorId) {
    fieldErrors.discountCode = `${codeOwner.code} already belongs to ${codeOwner.creator.name}`;
  }
  if (handleOwner && handleOwner.id !== creatorId) {
    fieldErrors.handle = `${handle} is already the handle of ${handleOwner.name}: choose another`;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  try {
    return { ok: true, creatorId: await prisma.$transaction(save) };
  } catch (error) {
    // Two merchants saving the same code or handle at once: the unique index decides, the loser is told which.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return uniqueViolationErrors(error, wanted);
    }
    throw error;
  }
}

function uniqueViolationErrors(
  error: Prisma.PrismaClientKnownRequestError,
  { discountCode, handle }: { discountCode: string; handle: string },
): CreatorSaveResult {
  const target = JSON.stringify(error.meta ?? {});
  if (/handle/i.test(target)) {
    return { ok: false, fieldErrors: { handle: `${handle} is already the handle of another creator: choose another` } };
  }
  return { ok: false, fieldErrors: { discountCode: `${discountCode} already belongs to another creator` } };
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
    handle: creator.handle,
    referrerDomains: creator.referrerDomains,
    customerGid: creator.customerGid,
    statementsOptOut: creator.statementsOptOut,
    discountCodes: creator.discountCodes.map((code) => code.code),
    revenueSharePercent: currentRevenueSharePercent(creator.contracts[0]),
    platform: creator.platform,
    funnelStage: creator.funnelStage,
    niche: creator.niche,
  };
}

// ---------- The creator's page ----------

export const RECENT_ORDERS_LIMIT = 20;

export interface CreatorOrderRow {
  id: string;
  name: string;
  processedAt: Date;
  netMerchandiseMinor: bigint;
  currencyCode: string;
  cancelled: boolean;
  method: AttributionMethod;
  confidence: number;
  flags: string[];
  reviewStatus: ReviewStatus;
  /** The signal that decided, as stored ("discount_code", "customer_lock", "override", …) and its value; null when none did. */
  decisive: { signal: string; value: string } | null;
}

/** The creator's attributed orders processed in [start, endExclusive), newest first, at most RECENT_ORDERS_LIMIT. */
export async function recentCreatorOrders(
  shopId: string,
  creatorId: string,
  bounds: { start: Date; endExclusive: Date },
): Promise<CreatorOrderRow[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  const rows = await prisma.order.findMany({
    where: { shopId, test: false, processedAt: { gte: bounds.start, lt: bounds.endExclusive }, attribution: { is: { creatorId } } },
    orderBy: [{ processedAt: "desc" }, { id: "desc" }],
    take: RECENT_ORDERS_LIMIT,
    select: {
      id: true,
      name: true,
      processedAt: true,
      netMerchandiseMinor: true,
      currencyCode: true,
      cancelledAt: true,
      attribution: { select: { method: true, confidence: true, flags: true, reviewStatus: true, evidence: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    processedAt: row.processedAt,
    netMerchandiseMinor: row.netMerchandiseMinor,
    currencyCode: row.currencyCode,
    cancelled: row.cancelledAt !== null,
    method: row.attribution!.method,
    confidence: row.attribution!.confidence,
    flags: row.attribution!.flags,
    reviewStatus: row.attribution!.reviewStatus,
    decisive: decisiveEvidence(row.attribution!.evidence),
  }));
}

const storedEvidenceSchema = z.array(
  z.object({ signal: z.string(), value: z.string().catch(""), decisive: z.boolean().catch(false) }).loose(),
);

/** The stored evidence's deciding signal, read leniently (rows written before a field existed still show). */
function decisiveEvidence(evidence: Prisma.JsonValue): { signal: string; value: string } | null {
  const parsed = storedEvidenceSchema.safeParse(evidence);
  const item = parsed.success ? parsed.data.find((entry) => entry.decisive) : undefined;
  return item ? { signal: item.signal, value: item.value } : null;
}
