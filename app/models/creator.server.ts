import { CreatorPlatform, FunnelStage, Prisma, type AttributionMethod, type ReviewStatus } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { parseTerms, serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { fieldErrorsOf } from "~/utils/field-errors";

/** A creator's handle: the `ref` of their links and the default utm_campaign. Lower-case, 1–40 characters. */
export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const MAX_REFERRER_DOMAINS = 20;

const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])$/;

/**
 * A site or profile the creator sends shoppers from, as attribution matches it: lower-case host and optional path,
 * without scheme, leading "www.", query, fragment or trailing slash ("https://www.MayaFit.com/" → "mayafit.com",
 * "instagram.com/maya/" → "instagram.com/maya"). Null when the entry is not a web address.
 */
export function normalizeReferrerDomain(entry: string): string | null {
  const value = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  if (value === "" || value.length > 255 || /[\s\\]/.test(value) || value.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return null;
  }
  // "maya@gmail.com" is an email address, not a site (tiktok.com/@maya is fine: the @ is in the path).
  if (url.port !== "" || url.username !== "" || url.password !== "") return null;
  const host = url.hostname.replace(/^www\./, "");
  if (host.length > 253 || !HOST_PATTERN.test(host)) return null;
  return host + url.pathname.replace(/\/+$/, "");
}

/** "gid://shopify/Customer/123", "123" or the customer's admin page address → "gid://shopify/Customer/123"; else null. */
export function parseCustomerGid(value: string): string | null {
  const id =
    /^(?:gid:\/\/shopify\/Customer\/)?([1-9]\d{0,19})$/.exec(value)?.[1] ??
    /^https:\/\/[a-z0-9.-]+\/[^?#]*\/customers\/([1-9]\d{0,19})(?:[/?#].*)?$/i.exec(value)?.[1];
  return id ? `gid://shopify/Customer/${id}` : null;
}

/** A form posts text; tests and seeds may pass nothing (optional fields) or a list (referrer domains). */
// preprocess, not a union with undefined: zod only lets an object key be missing when its schema starts this way.
const optionalText = z
  .preprocess((value) => value ?? "", z.union([z.string(), z.array(z.string())]))
  .transform((value) => (Array.isArray(value) ? value.join("\n") : value));

const referrerDomainsSchema = optionalText.pipe(
  z
    .string()
    .max(10_000, "Enter at most 20 sites, one per line")
    .transform((text, ctx) => {
      const lines = text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "");
      const invalid = lines.filter((line) => normalizeReferrerDomain(line) === null);
      if (invalid.length > 0) {
        const first = invalid[0]!.length > 60 ? `${invalid[0]!.slice(0, 57)}…` : invalid[0]!;
        const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : "";
        ctx.addIssue({
          code: "custom",
          message: `“${first}”${more} is not a site address. Enter one per line, like mayafit.com or instagram.com/maya`,
        });
        return z.NEVER;
      }
      const domains = [...new Set(lines.map((line) => normalizeReferrerDomain(line)!))];
      if (domains.length > MAX_REFERRER_DOMAINS) {
        ctx.addIssue({
          code: "custom",
          message: `Enter at most ${MAX_REFERRER_DOMAINS} sites (there are ${domains.length}): keep the ones the creator posts from most`,
        });
        return z.NEVER;
      }
      return domains;
    }),
);

const customerGidSchema = optionalText.pipe(
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === "") return null;
      const gid = parseCustomerGid(value);
      if (!gid) {
        ctx.addIssue({
          code: "custom",
          message:
            "Enter the customer ID from their customer page in Shopify (the number at the end of its address, like 7421983321), or leave it blank",
        });
        return z.NEVER;
      }
      return gid;
    }),
);

/** Niche is a free-text segment tag ("running", "vegan baking"): short enough to read as a badge. */
export const NICHE_MAX_LENGTH = 60;

/** A select posts "" for "not set"; seeds and tests may leave the field out. Both mean no value. */
function optionalChoice<T extends Record<string, string>>(values: T, message: string) {
  return z.preprocess((value) => (value === "" || value === undefined ? null : value), z.enum(values, { error: message }).nullable());
}

/** Segment tags the leaderboard and dashboard filter and break down by; each one optional. */
const segmentSchema = {
  platform: optionalChoice(CreatorPlatform, "Choose where the creator publishes from the list"),
  funnelStage: optionalChoice(FunnelStage, "Choose a funnel stage from the list"),
  niche: optionalText.pipe(
    z
      .string()
      .trim()
      .max(NICHE_MAX_LENGTH, `Keep the niche to ${NICHE_MAX_LENGTH} characters or fewer, like running or vegan baking`)
      .transform((value) => (value === "" ? null : value)),
  ),
};

export const creatorInputSchema = z.object({
  name: z.string().trim().min(1, "Enter the creator's name").max(100, "Keep the name under 100 characters"),
  email: z
    .string()
    .trim()
    .max(254, "Email is too long")
    .transform((value) => (value === "" ? null : value.toLowerCase()))
    .pipe(z.email("Enter a valid email address, like name@example.com").nullable()),
  handle: optionalText.pipe(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter a handle, like maya-fit")
      .max(40, "Keep the handle to 40 characters or fewer")
      .regex(HANDLE_PATTERN, "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"),
  ),
  referrerDomains: referrerDomainsSchema,
  customerGid: customerGidSchema,
  // A checkbox: sent as "on" when ticked, absent otherwise.
  statementsOptOut: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
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
  ...segmentSchema,
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
    await tx.creator.update({ where: { id: creatorId }, data: profile });
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
