// Creators from a merchant's CSV: a preview of what the file would create and of every row that stops it, then the
// import itself, all or nothing in one transaction. The file is read again on import rather than kept between the two
// steps: the shop's creators may have changed meanwhile, and nothing needs cleaning up when a merchant walks away.
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import type { CreatorsCsvProblem, CreatorsCsvRow } from "~/domain/creators/read-creators-csv";
import { readCreatorsCsv } from "~/domain/creators/read-creators-csv";
import type { CreatorPlatform, FunnelStage } from "~/domain/metrics/segment-labels";
import { planCreatorImport, valuesToLookUp, type CreatorImportPlan, type TakenInShop } from "~/domain/creators/plan-creator-import";

/** How much of a file the preview lists; the counts always cover it all. */
export const PREVIEW_CREATORS = 50;
export const PREVIEW_PROBLEMS = 200;
const PREVIEW_IGNORED_COLUMNS = 20;

/** Rows per INSERT: a few statements for 10,000 creators, each well under PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 1_000;

export interface PreviewCreator {
  row: number;
  name: string;
  email: string | null;
  handle: string;
  /** Made from the name because the file left it blank. */
  handleSuggested: boolean;
  discountCode: string;
  revenueSharePercent: string;
  referrerDomains: string[];
  platform: CreatorPlatform | null;
  funnelStage: FunnelStage | null;
  niche: string | null;
}

export interface CreatorImportPreview {
  toCreateCount: number;
  toCreate: PreviewCreator[];
  errorCount: number;
  errors: CreatorsCsvProblem[];
  duplicateCount: number;
  duplicates: CreatorsCsvProblem[];
  rowsWithProblems: number;
  ignoredColumns: string[];
  /** Every row can be created: the import would go ahead. */
  importable: boolean;
}

export type CreatorImportCheck = { ok: true; preview: CreatorImportPreview } | { ok: false; reason: string };

export type CreatorImportResult =
  | { ok: true; imported: number }
  /** Nothing was written; `preview` says which rows stopped the import when the file could be read. */
  | { ok: false; reason: string; preview: CreatorImportPreview | null };

export async function previewCreatorImport(db: PrismaClient, shopId: string, file: Uint8Array): Promise<CreatorImportCheck> {
  const checked = await checkFile(db, shopId, file);
  return checked.ok ? { ok: true, preview: previewOf(checked.plan) } : checked;
}

export async function importCreators(db: PrismaClient, shopId: string, file: Uint8Array, now = new Date()): Promise<CreatorImportResult> {
  const checked = await checkFile(db, shopId, file);
  if (!checked.ok) return { ...checked, preview: null };
  const { plan } = checked;
  if (plan.rowsWithProblems > 0 || plan.toCreate.length === 0) return refusedFor(plan);

  const rows = plan.toCreate.map(({ creator }) => {
    const { discountCode, revenueSharePercent, ...profile } = creator;
    return { creatorId: randomUUID(), profile, discountCode, revenueSharePercent };
  });
  try {
    // One transaction of a few multi-row INSERTs; the ids are made here so codes and contracts can name their creator.
    await db.$transaction(
      chunks(rows).flatMap((chunk) => [
        db.creator.createMany({ data: chunk.map(({ creatorId, profile }) => ({ id: creatorId, shopId, ...profile })) }),
        db.discountCode.createMany({
          data: chunk.map(({ creatorId, discountCode }) => ({ shopId, creatorId, code: discountCode, normalizedCode: normalizeDiscountCode(discountCode) })),
        }),
        db.contract.createMany({
          data: chunk.map(({ creatorId, revenueSharePercent }) => ({
            shopId,
            creatorId,
            model: "REVENUE_SHARE" as const,
            terms: serializeTerms(termsForModel("REVENUE_SHARE", { percent: new Prisma.Decimal(revenueSharePercent).toFixed(2) })),
            effectiveFrom: now,
          })),
        }),
      ]),
    );
  } catch (error) {
    // A creator saved meanwhile took one of the codes or handles: the unique indexes refused the whole transaction.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const again = await checkFile(db, shopId, file);
      if (again.ok && again.plan.rowsWithProblems > 0) return refusedFor(again.plan);
      return { ok: false, reason: "Another creator took one of these discount codes or handles while importing. Nothing was imported: upload the file again", preview: null };
    }
    throw error;
  }
  return { ok: true, imported: rows.length };
}

async function checkFile(db: PrismaClient, shopId: string, file: Uint8Array): Promise<{ ok: true; plan: CreatorImportPlan } | { ok: false; reason: string }> {
  const read = readCreatorsCsv(file);
  if (!read.ok) return read;
  return { ok: true, plan: planCreatorImport(read.rows, await takenInShop(db, shopId, read.rows), read.ignoredColumns) };
}

/** The shop's creators holding any code or handle the file names. */
async function takenInShop(db: PrismaClient, shopId: string, rows: readonly CreatorsCsvRow[]): Promise<TakenInShop> {
  const { normalizedCodes, handles } = valuesToLookUp(rows);
  const [codes, creators] = await Promise.all([
    db.discountCode.findMany({
      where: { shopId, normalizedCode: { in: normalizedCodes } },
      select: { code: true, normalizedCode: true, creator: { select: { name: true } } },
    }),
    db.creator.findMany({ where: { shopId, handle: { in: handles } }, select: { handle: true, name: true } }),
  ]);
  return {
    codes: new Map(codes.map((code) => [code.normalizedCode, { code: code.code, creatorName: code.creator.name }])),
    handles: new Map(creators.map((creator) => [creator.handle, creator.name])),
  };
}

function refusedFor(plan: CreatorImportPlan): CreatorImportResult {
  const reason =
    plan.rowsWithProblems > 0
      ? `${plan.rowsWithProblems.toLocaleString("en-US")} ${plan.rowsWithProblems === 1 ? "row has" : "rows have"} problems. Nothing was imported: fix ${plan.rowsWithProblems === 1 ? "it" : "them"} in the file and upload it again`
      : "The file has no creators to import";
  return { ok: false, reason, preview: previewOf(plan) };
}

function previewOf(plan: CreatorImportPlan): CreatorImportPreview {
  return {
    toCreateCount: plan.toCreate.length,
    toCreate: plan.toCreate.slice(0, PREVIEW_CREATORS).map(({ row, creator, handleSuggested }) => ({
      row,
      name: creator.name,
      email: creator.email,
      handle: creator.handle,
      handleSuggested,
      discountCode: creator.discountCode,
      revenueSharePercent: creator.revenueSharePercent,
      referrerDomains: creator.referrerDomains,
      platform: creator.platform,
      funnelStage: creator.funnelStage,
      niche: creator.niche,
    })),
    errorCount: plan.errors.length,
    errors: plan.errors.slice(0, PREVIEW_PROBLEMS),
    duplicateCount: plan.duplicates.length,
    duplicates: plan.duplicates.slice(0, PREVIEW_PROBLEMS),
    rowsWithProblems: plan.rowsWithProblems,
    ignoredColumns: plan.ignoredColumns.slice(0, PREVIEW_IGNORED_COLUMNS),
    importable: plan.rowsWithProblems === 0 && plan.toCreate.length > 0,
  };
}

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / INSERT_CHUNK) }, (_, index) => items.slice(index * INSERT_CHUNK, (index + 1) * INSERT_CHUNK));
}
