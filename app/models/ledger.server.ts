import { randomUUID } from "node:crypto";
import { Prisma, type LedgerEntryKind, type PayoutMethod } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import {
  balancesByStatus,
  ENTRY_STATUSES,
  entryStatus,
  statusOf,
  type EntryStatus,
  type LedgerBalances,
} from "~/domain/ledger/entry-status";
import { ADJUSTMENT_REASON_MAX_LENGTH } from "~/domain/ledger/adjustment-limits";
import { PAYPAL_EMAIL_MAX_LENGTH } from "~/domain/ledger/paypal-payout-rows";
import { currencyExponent, toMinorUnits } from "~/domain/money";

/*
 * A creator's ledger as the merchant reads it: entries with their derived status, balances per status, manual
 * adjustments, payout settings and the payouts made. Every query is scoped by shop: another shop's creator id is
 * as unknown here as a made-up one.
 */

export const LEDGER_PAGE_SIZE = 50;
export const PAYOUTS_PAGE_SIZE = 50;

const isGuid = (value: string) => z.guid().safeParse(value).success;

// ---------- Creator ----------

export interface CreatorPayoutProfile {
  id: string;
  name: string;
  /** null = the shop's currency. */
  payoutCurrency: string | null;
  paypalEmail: string | null;
  shopCurrency: string;
  /** What the creator is paid in: payoutCurrency or, without one, the shop's. */
  effectivePayoutCurrency: string;
}

export async function getCreatorPayoutProfile(shopId: string, creatorId: string): Promise<CreatorPayoutProfile | null> {
  if (!isGuid(creatorId)) return null;
  const creator = await prisma.creator.findFirst({
    where: { id: creatorId, shopId },
    select: { id: true, name: true, payoutCurrency: true, paypalEmail: true, shop: { select: { currencyCode: true } } },
  });
  if (!creator) return null;
  return {
    id: creator.id,
    name: creator.name,
    payoutCurrency: creator.payoutCurrency,
    paypalEmail: creator.paypalEmail,
    shopCurrency: creator.shop.currencyCode,
    effectivePayoutCurrency: creator.payoutCurrency ?? creator.shop.currencyCode,
  };
}

// ---------- Entries ----------

export interface LedgerQuery {
  /** 1-based. */
  page: number;
  /** null = every status. */
  status: EntryStatus | null;
}

/**
 * A list's `?page=`, leniently: anything but a whole number from 1 is the first page. Bounded, because the rows
 * skipped to reach a page must fit the database's 64-bit OFFSET.
 */
export const pageNumberSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

const ledgerQuerySchema = z.object({
  page: pageNumberSchema,
  status: z.enum(ENTRY_STATUSES).nullable().catch(null),
});

/** Reads `?page=&status=` leniently: an unknown value shows the first page of everything rather than an error. */
export function parseLedgerQuery(params: URLSearchParams): LedgerQuery {
  return ledgerQuerySchema.parse({ page: params.get("page") ?? undefined, status: params.get("status")?.toUpperCase() ?? null });
}

export interface LedgerEntryView {
  id: string;
  kind: LedgerEntryKind;
  reason: string;
  amountMinor: bigint;
  currencyCode: string;
  status: EntryStatus;
  availableAt: Date;
  createdAt: Date;
  /** The order the entry pays for, with where the merchant opens it in Shopify admin. */
  order: { name: string; adminUrl: string } | null;
  payout: { id: string; reference: string | null; method: PayoutMethod; paidAt: Date } | null;
}

export interface LedgerPage {
  entries: LedgerEntryView[];
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

function statusFilter(status: EntryStatus | null, now: Date): Prisma.LedgerEntryWhereInput {
  switch (status) {
    case null:
      return {};
    case "PAID":
      return { payoutItem: { isNot: null } };
    case "APPROVED":
      return { payoutItem: { is: null }, availableAt: { lte: now } };
    case "PENDING":
      return { payoutItem: { is: null }, availableAt: { gt: now } };
  }
}

/** `gid://shopify/Order/450789469` → the order's page in Shopify admin, which App Bridge opens from the app. */
export function orderAdminUrl(shopifyOrderGid: string): string {
  const id = shopifyOrderGid.slice(shopifyOrderGid.lastIndexOf("/") + 1);
  return `shopify://admin/orders/${encodeURIComponent(id)}`;
}

/** The creator's entries, newest first, one page at a time. */
export async function creatorLedger(
  shopId: string,
  creatorId: string,
  query: LedgerQuery,
  now = new Date(),
): Promise<LedgerPage> {
  if (!isGuid(creatorId)) return { entries: [], page: query.page, hasPrevious: false, hasNext: false };
  const rows = await prisma.ledgerEntry.findMany({
    where: { shopId, creatorId, ...statusFilter(query.status, now) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * LEDGER_PAGE_SIZE,
    // One more than a page tells whether there is a next one.
    take: LEDGER_PAGE_SIZE + 1,
    include: {
      order: { select: { name: true, shopifyOrderGid: true } },
      payoutItem: { select: { payout: { select: { id: true, reference: true, method: true, paidAt: true } } } },
    },
  });
  return {
    entries: rows.slice(0, LEDGER_PAGE_SIZE).map((row) => ({
      id: row.id,
      kind: row.kind,
      reason: row.reason,
      amountMinor: row.amountMinor,
      currencyCode: row.currencyCode,
      status: entryStatus({ availableAt: row.availableAt, paid: row.payoutItem !== null }, now),
      availableAt: row.availableAt,
      createdAt: row.createdAt,
      order: row.order ? { name: row.order.name, adminUrl: orderAdminUrl(row.order.shopifyOrderGid) } : null,
      payout: row.payoutItem?.payout ?? null,
    })),
    page: query.page,
    hasPrevious: query.page > 1,
    hasNext: rows.length > LEDGER_PAGE_SIZE,
  };
}

/** Pending, approved (payable), paid and total, summed by the database and labelled by the domain's rule. */
export async function creatorBalances(shopId: string, creatorId: string, now = new Date()): Promise<LedgerBalances> {
  if (!isGuid(creatorId)) return balancesByStatus([]);
  const groups = await prisma.$queryRaw<{ paid: boolean; holdEnded: boolean; amountMinor: string }[]>`
    SELECT (pi."id" IS NOT NULL) AS "paid",
           (le."availableAt" <= ${now}) AS "holdEnded",
           SUM(le."amountMinor")::text AS "amountMinor"
    FROM "LedgerEntry" le
    LEFT JOIN "PayoutItem" pi ON pi."ledgerEntryId" = le."id"
    WHERE le."shopId" = ${shopId}::uuid AND le."creatorId" = ${creatorId}::uuid
    GROUP BY 1, 2`;
  return balancesByStatus(
    groups.map((group) => ({ status: statusOf(group.paid, group.holdEnded), amountMinor: BigInt(group.amountMinor) })),
  );
}

// ---------- Adjustments ----------

/** Well beyond any real adjustment, well within BIGINT minor units. */
const ADJUSTMENT_MAX_DIGITS = 12;

/** Amounts are read exactly in the shop's currency, so every field's message can be given at once. */
function adjustmentSchema(currencyCode: string) {
  const digits = currencyExponent(currencyCode);
  return z.object({
    amount: z
      .string()
      .trim()
      .min(1, "Enter an amount")
      .regex(
        new RegExp(`^[-+]?\\d{1,${ADJUSTMENT_MAX_DIGITS}}(\\.\\d+)?$`),
        "Enter an amount like 25.00, or -25.00 to deduct (digits and one decimal point only)",
      )
      .refine(
        (amount) => (amount.split(".")[1] ?? "").length <= digits,
        `${currencyCode} amounts have ${digits === 0 ? "no decimals" : `at most ${digits} decimals`}`,
      )
      .transform((amount) => toMinorUnits(amount.replace(/^\+/, ""), currencyCode))
      .refine((minor) => minor !== 0n, "Enter an amount other than 0"),
    reason: z
      .string()
      .trim()
      .min(1, "Say why: the creator sees this reason on their statement")
      .max(ADJUSTMENT_REASON_MAX_LENGTH, `Keep the reason under ${ADJUSTMENT_REASON_MAX_LENGTH} characters`),
    formToken: z.guid("This form has expired: reload the page and try again"),
  });
}

export type AdjustmentInput = z.input<ReturnType<typeof adjustmentSchema>>;
export type AdjustmentFieldErrors = Partial<Record<keyof AdjustmentInput, string>>;
export type AdjustmentResult =
  | { ok: true; entryId: string; amountMinor: bigint; duplicate: boolean }
  | { ok: false; fieldErrors: AdjustmentFieldErrors };

function firstErrors<K extends string>(error: z.ZodError): Partial<Record<K, string>> {
  const fieldErrors: Partial<Record<K, string>> = {};
  for (const issue of error.issues) fieldErrors[issue.path[0] as K] ??= issue.message;
  return fieldErrors;
}

/**
 * Credits (positive) or deducts (negative) an amount the merchant typed, in the shop's currency, payable at
 * once. The form carries a token minted when it was rendered: submitting it twice (a double click, a retried
 * request) posts one entry, found again by its idempotency key.
 *
 * The entry has no pay period: the period job reconciles a period's entries that have no order against what the
 * contract owes, and would reverse an adjustment it did not make.
 */
export async function postAdjustment(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
  now = new Date(),
): Promise<AdjustmentResult | null> {
  if (!isGuid(creatorId)) return null;
  const creator = await prisma.creator.findFirst({
    where: { id: creatorId, shopId },
    select: { id: true, shop: { select: { currencyCode: true } } },
  });
  if (!creator) return null;
  const currencyCode = creator.shop.currencyCode;
  const parsed = adjustmentSchema(currencyCode).safeParse({ amount: "", reason: "", formToken: "", ...raw });
  if (!parsed.success) return { ok: false, fieldErrors: firstErrors<keyof AdjustmentInput>(parsed.error) };
  const { amount: amountMinor, reason, formToken } = parsed.data;

  const idempotencyKey = `${creatorId}/adjustment-form:${formToken}`;
  try {
    const entry = await prisma.ledgerEntry.create({
      data: {
        shopId,
        creatorId,
        orderId: null,
        kind: "ADJUSTMENT",
        sourceKey: `adjustment:${randomUUID()}`,
        periodKey: null,
        availableAt: now,
        amountMinor,
        currencyCode,
        idempotencyKey,
        reason,
      },
    });
    return { ok: true, entryId: entry.id, amountMinor, duplicate: false };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    const existing = await prisma.ledgerEntry.findUniqueOrThrow({
      where: { shopId_idempotencyKey: { shopId, idempotencyKey } },
    });
    return { ok: true, entryId: existing.id, amountMinor: existing.amountMinor, duplicate: true };
  }
}

// ---------- Payout settings ----------

const CURRENCY_CODES = new Set(Intl.supportedValuesOf("currency"));

/** ISO 4217 codes the runtime knows, for the payout currency picker. */
export function payoutCurrencyOptions(): string[] {
  return [...CURRENCY_CODES].sort();
}

const payoutSettingsSchema = z.object({
  payoutCurrency: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => code === "" || CURRENCY_CODES.has(code), "Choose a currency from the list"),
  paypalEmail: z
    .string()
    .trim()
    .max(PAYPAL_EMAIL_MAX_LENGTH, `PayPal takes emails of at most ${PAYPAL_EMAIL_MAX_LENGTH} characters`)
    .transform((value) => (value === "" ? null : value.toLowerCase()))
    .pipe(z.email("Enter the email of the creator's PayPal account, like name@example.com").nullable()),
});

export type PayoutSettingsInput = z.input<typeof payoutSettingsSchema>;
export type PayoutSettingsFieldErrors = Partial<Record<keyof PayoutSettingsInput, string>>;
export type PayoutSettingsResult = { ok: true } | { ok: false; fieldErrors: PayoutSettingsFieldErrors };

/** The creator's payout currency (the shop's own is stored as null, "same as the shop") and PayPal email. */
export async function updatePayoutSettings(
  shopId: string,
  creatorId: string,
  raw: Record<string, unknown>,
): Promise<PayoutSettingsResult | null> {
  const profile = await getCreatorPayoutProfile(shopId, creatorId);
  if (!profile) return null;
  const parsed = payoutSettingsSchema.safeParse({ payoutCurrency: "", paypalEmail: "", ...raw });
  if (!parsed.success) return { ok: false, fieldErrors: firstErrors<keyof PayoutSettingsInput>(parsed.error) };
  const { payoutCurrency, paypalEmail } = parsed.data;
  await prisma.creator.updateMany({
    where: { id: creatorId, shopId },
    data: { payoutCurrency: payoutCurrency === "" || payoutCurrency === profile.shopCurrency ? null : payoutCurrency, paypalEmail },
  });
  return { ok: true };
}

// ---------- Payouts ----------

export interface PayoutView {
  id: string;
  creatorId: string;
  creatorName: string;
  /** The creator has a PayPal email now, so a PayPal payout can go into a PayPal Payouts file. */
  creatorHasPaypalEmail: boolean;
  amountMinor: bigint;
  currencyCode: string;
  payoutAmountMinor: bigint;
  payoutCurrency: string;
  fxRate: string;
  method: PayoutMethod;
  reference: string | null;
  note: string | null;
  paidAt: Date;
  exportedAt: Date | null;
  entryCount: number;
}

const payoutInclude = {
  creator: { select: { name: true, paypalEmail: true } },
  _count: { select: { items: true } },
} satisfies Prisma.PayoutInclude;

function toPayoutView(payout: Prisma.PayoutGetPayload<{ include: typeof payoutInclude }>): PayoutView {
  return {
    id: payout.id,
    creatorId: payout.creatorId,
    creatorName: payout.creator.name,
    creatorHasPaypalEmail: Boolean(payout.creator.paypalEmail),
    amountMinor: payout.amountMinor,
    currencyCode: payout.currencyCode,
    payoutAmountMinor: payout.payoutAmountMinor,
    payoutCurrency: payout.payoutCurrency,
    fxRate: payout.fxRate.toFixed(),
    method: payout.method,
    reference: payout.reference,
    note: payout.note,
    paidAt: payout.paidAt,
    exportedAt: payout.exportedAt,
    entryCount: payout._count.items,
  };
}

/** Payouts across the shop's creators, most recently paid first. */
export async function listPayouts(
  shopId: string,
  { page, creatorId }: { page: number; creatorId?: string },
): Promise<{ payouts: PayoutView[]; page: number; hasPrevious: boolean; hasNext: boolean }> {
  if (creatorId !== undefined && !isGuid(creatorId)) return { payouts: [], page, hasPrevious: false, hasNext: false };
  const rows = await prisma.payout.findMany({
    where: { shopId, ...(creatorId ? { creatorId } : {}) },
    orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * PAYOUTS_PAGE_SIZE,
    take: PAYOUTS_PAGE_SIZE + 1,
    include: payoutInclude,
  });
  return {
    payouts: rows.slice(0, PAYOUTS_PAGE_SIZE).map(toPayoutView),
    page,
    hasPrevious: page > 1,
    hasNext: rows.length > PAYOUTS_PAGE_SIZE,
  };
}

export interface UnexportedPayPalGroup {
  /** PayPal takes one currency per file. */
  currencyCode: string;
  payoutIds: string[];
  totalMinor: bigint;
  /** Creators in the group without a PayPal email: the file cannot be made until they have one. */
  creatorsWithoutPaypalEmail: { id: string; name: string }[];
}

/** PayPal payouts not yet downloaded in a PayPal Payouts file, one group per payout currency. */
export async function unexportedPayPalPayouts(shopId: string): Promise<UnexportedPayPalGroup[]> {
  const rows = await prisma.payout.findMany({
    where: { shopId, method: "PAYPAL", exportedAt: null },
    orderBy: [{ paidAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      payoutCurrency: true,
      payoutAmountMinor: true,
      creator: { select: { id: true, name: true, paypalEmail: true } },
    },
  });
  const groups = new Map<string, UnexportedPayPalGroup>();
  for (const row of rows) {
    const group = groups.get(row.payoutCurrency) ?? {
      currencyCode: row.payoutCurrency,
      payoutIds: [],
      totalMinor: 0n,
      creatorsWithoutPaypalEmail: [],
    };
    group.payoutIds.push(row.id);
    group.totalMinor += row.payoutAmountMinor;
    if (!row.creator.paypalEmail && !group.creatorsWithoutPaypalEmail.some((creator) => creator.id === row.creator.id)) {
      group.creatorsWithoutPaypalEmail.push({ id: row.creator.id, name: row.creator.name });
    }
    groups.set(row.payoutCurrency, group);
  }
  return [...groups.values()].sort((a, b) => a.currencyCode.localeCompare(b.currencyCode));
}
