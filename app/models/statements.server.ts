import type { Prisma, StatementDeliveryKind, StatementDeliveryStatus, StatementSkipReason } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { parseFxRate } from "~/domain/ledger/payout-fx";
import { creatorStatementState, type CreatorStatementState } from "~/domain/statements/delivery-rules";
import { STATEMENT_CADENCES, type StatementCadence } from "~/domain/statements/statement-periods";
import { fieldErrorsOf } from "~/utils/field-errors";

/*
 * Statement settings, exchange rates, exclusions and the delivery log, as the Statements page reads and writes
 * them. Every query is scoped by shop.
 */

const isGuid = (value: string) => z.guid().safeParse(value).success;

// ---------- Settings ----------

export interface StatementSettingsView {
  cadence: StatementCadence;
  autoSend: boolean;
  fromName: string | null;
  replyTo: string | null;
  logoUrl: string | null;
  historyCutoffAt: Date | null;
}

export const DEFAULT_STATEMENT_SETTINGS: StatementSettingsView = {
  cadence: "MONTHLY",
  autoSend: true,
  fromName: null,
  replyTo: null,
  logoUrl: null,
  historyCutoffAt: null,
};

export async function getStatementSettings(shopId: string): Promise<StatementSettingsView> {
  const row = await prisma.statementSettings.findUnique({ where: { shopId } });
  return row
    ? {
        cadence: row.cadence,
        autoSend: row.autoSend,
        fromName: row.fromName,
        replyTo: row.replyTo,
        logoUrl: row.logoUrl,
        historyCutoffAt: row.historyCutoffAt,
      }
    : DEFAULT_STATEMENT_SETTINGS;
}

const optional = <T extends z.ZodType<string, string>>(schema: T) =>
  z
    .string()
    .trim()
    .transform((value) => (value === "" ? null : value))
    .pipe(schema.nullable());

const statementSettingsSchema = z.object({
  cadence: z.enum(STATEMENT_CADENCES, "Choose how often statements are sent"),
  autoSend: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
  fromName: optional(
    z
      .string()
      .max(100, "Keep the sender name under 100 characters")
      .regex(/^[^\r\n<>"]*$/, "The sender name cannot contain line breaks, quotes or angle brackets"),
  ),
  replyTo: optional(z.email("Enter an email address for replies, like payouts@yourshop.com").max(254)),
  // Mail clients load the image themselves: only https, so it shows without mixed-content warnings.
  logoUrl: optional(
    z
      .url({ protocol: /^https$/, error: "Enter the https address of an image, like https://cdn.shopify.com/…/logo.png" })
      .max(2048, "Keep the logo address under 2,048 characters"),
  ),
});

export type StatementSettingsFieldErrors = Partial<Record<keyof z.input<typeof statementSettingsSchema>, string>>;

/** Cadence changes apply to periods that close from now on; statements already generated keep their period. */
export async function updateStatementSettings(
  shopId: string,
  raw: Record<string, unknown>,
): Promise<{ ok: true } | { ok: false; fieldErrors: StatementSettingsFieldErrors }> {
  const parsed = statementSettingsSchema.safeParse({ cadence: "", fromName: "", replyTo: "", logoUrl: "", ...raw });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  await prisma.statementSettings.upsert({ where: { shopId }, create: { shopId, ...parsed.data }, update: parsed.data });
  return { ok: true };
}

/** The first statement fixes when the shop's statements began (see entryStatementInstant); later calls read it. */
export async function statementHistoryCutoff(shopId: string, now: Date): Promise<Date> {
  const [row] = await prisma.$queryRaw<{ historyCutoffAt: Date }[]>`
    INSERT INTO "StatementSettings" ("shopId", "historyCutoffAt", "updatedAt")
    VALUES (${shopId}::uuid, ${now}, ${now})
    ON CONFLICT ("shopId") DO UPDATE SET "historyCutoffAt" = COALESCE("StatementSettings"."historyCutoffAt", EXCLUDED."historyCutoffAt")
    RETURNING "historyCutoffAt"`;
  return row!.historyCutoffAt;
}

// ---------- Exchange rates ----------

export interface ExchangeRateView {
  currencyCode: string;
  rate: string;
  enteredAt: Date;
}

/** The latest rate per currency. */
export async function listExchangeRates(shopId: string): Promise<ExchangeRateView[]> {
  const rows = await prisma.exchangeRate.findMany({
    where: { shopId },
    orderBy: [{ currencyCode: "asc" }, { createdAt: "desc" }],
    distinct: ["currencyCode"],
  });
  return rows.map((row) => ({ currencyCode: row.currencyCode, rate: row.rate.toFixed(), enteredAt: row.createdAt }));
}

/** The rate a statement generated now would lock, or null when the merchant has entered none. */
export async function latestExchangeRate(shopId: string, currencyCode: string): Promise<string | null> {
  const row = await prisma.exchangeRate.findFirst({ where: { shopId, currencyCode }, orderBy: { createdAt: "desc" } });
  return row ? row.rate.toFixed() : null;
}

/** Payout currencies of the shop's creators that differ from the shop's: each needs a rate. */
export async function payoutCurrenciesNeedingRates(shopId: string, shopCurrency: string): Promise<string[]> {
  const rows = await prisma.creator.findMany({
    where: { shopId, payoutCurrency: { not: null } },
    distinct: ["payoutCurrency"],
    select: { payoutCurrency: true },
  });
  return rows.map((row) => row.payoutCurrency!).filter((code) => code !== shopCurrency).sort();
}

const CURRENCY_CODES = new Set(Intl.supportedValuesOf("currency"));

export type ExchangeRateFieldErrors = Partial<Record<"currencyCode" | "rate", string>>;

export async function addExchangeRate(
  shopId: string,
  shopCurrency: string,
  raw: Record<string, unknown>,
): Promise<{ ok: true; currencyCode: string; rate: string } | { ok: false; fieldErrors: ExchangeRateFieldErrors }> {
  const currencyCode = String(raw.currencyCode ?? "").trim().toUpperCase();
  const fieldErrors: ExchangeRateFieldErrors = {};
  if (!CURRENCY_CODES.has(currencyCode)) fieldErrors.currencyCode = "Choose a currency from the list";
  else if (currencyCode === shopCurrency) fieldErrors.currencyCode = `${shopCurrency} is the shop's own currency: it needs no rate`;
  const rate = parseFxRate(String(raw.rate ?? ""));
  if (!rate.ok) fieldErrors.rate = rate.message;
  if (Object.keys(fieldErrors).length > 0 || !rate.ok) return { ok: false, fieldErrors };
  await prisma.exchangeRate.create({ data: { shopId, currencyCode, rate: rate.rate } });
  return { ok: true, currencyCode, rate: rate.rate };
}

// ---------- Exclusions ----------

/** Null when the creator is not the shop's. */
export async function setStatementsExcluded(shopId: string, creatorId: string, excluded: boolean): Promise<boolean | null> {
  if (!isGuid(creatorId)) return null;
  const { count } = await prisma.creator.updateMany({ where: { id: creatorId, shopId }, data: { statementsExcluded: excluded } });
  return count === 1 ? excluded : null;
}

export async function listExcludedCreators(shopId: string): Promise<{ id: string; name: string }[]> {
  return prisma.creator.findMany({ where: { shopId, statementsExcluded: true }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}

// ---------- Runs and the delivery log ----------

export interface StatementRunView {
  periodKey: string;
  requestedAt: Date;
  completedAt: Date | null;
  lastError: string | null;
}

export async function listStatementRuns(shopId: string, limit = 24): Promise<StatementRunView[]> {
  return prisma.statementRun.findMany({
    where: { shopId },
    orderBy: { periodStart: "desc" },
    take: limit,
    select: { periodKey: true, requestedAt: true, completedAt: true, lastError: true },
  });
}

export interface DeliveryView {
  id: string;
  kind: StatementDeliveryKind;
  status: StatementDeliveryStatus;
  skipReason: StatementSkipReason | null;
  messageId: string | null;
  toEmail: string | null;
  smtpResponse: string | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface CreatorPeriodStatus {
  creatorId: string;
  name: string;
  email: string | null;
  payoutCurrency: string | null;
  statementsOptOut: boolean;
  statementsExcluded: boolean;
  state: CreatorStatementState;
  /** Generated (and so locked) when first sent. */
  statement: { id: string; closingPayoutMinor: bigint; payoutCurrency: string; fxRate: string } | null;
  /** Newest first. */
  deliveries: DeliveryView[];
}

/** What a statement needs of its creator: who they are, whether they get one (recipientSkipReason) and in which currency. */
export const STATEMENT_CREATOR_FIELDS = {
  id: true,
  name: true,
  email: true,
  payoutCurrency: true,
  statementsOptOut: true,
  statementsExcluded: true,
} as const satisfies Prisma.CreatorSelect;

/** Every creator of the shop with where their statement for the period stands and its delivery log. */
export async function periodCreatorStatuses(shopId: string, periodKey: string): Promise<CreatorPeriodStatus[]> {
  const creators = await prisma.creator.findMany({
    where: { shopId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      ...STATEMENT_CREATOR_FIELDS,
      statements: {
        where: { periodKey },
        select: { id: true, closingPayoutMinor: true, payoutCurrency: true, fxRate: true },
      },
      statementDeliveries: {
        where: { periodKey },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: {
          id: true,
          kind: true,
          status: true,
          skipReason: true,
          messageId: true,
          toEmail: true,
          smtpResponse: true,
          error: true,
          requestedBy: true,
          createdAt: true,
          finishedAt: true,
        },
      },
    },
  });
  return creators.map((creator) => {
    const statement = creator.statements[0];
    return {
      creatorId: creator.id,
      name: creator.name,
      email: creator.email,
      payoutCurrency: creator.payoutCurrency,
      statementsOptOut: creator.statementsOptOut,
      statementsExcluded: creator.statementsExcluded,
      state: creatorStatementState(creator.statementDeliveries),
      statement: statement
        ? { id: statement.id, closingPayoutMinor: statement.closingPayoutMinor, payoutCurrency: statement.payoutCurrency, fxRate: statement.fxRate.toFixed() }
        : null,
      deliveries: creator.statementDeliveries,
    };
  });
}

export interface CreatorStatementRow {
  id: string;
  periodKey: string;
  periodStart: Date;
  periodEnd: Date;
  payoutCurrency: string;
  closingPayoutMinor: bigint;
  /** The latest delivery's status; null when none was attempted. */
  lastDelivery: { status: StatementDeliveryStatus; at: Date } | null;
}

/** The creator's statements, latest period first, with how the last delivery went. */
export async function creatorStatements(shopId: string, creatorId: string, limit = 12): Promise<CreatorStatementRow[]> {
  if (!z.guid().safeParse(creatorId).success) return [];
  const rows = await prisma.statement.findMany({
    where: { shopId, creatorId },
    orderBy: { periodStart: "desc" },
    take: limit,
    select: {
      id: true,
      periodKey: true,
      periodStart: true,
      periodEnd: true,
      payoutCurrency: true,
      closingPayoutMinor: true,
      deliveries: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, createdAt: true, finishedAt: true } },
    },
  });
  return rows.map(({ deliveries, ...row }) => ({
    ...row,
    lastDelivery: deliveries[0] ? { status: deliveries[0].status, at: deliveries[0].finishedAt ?? deliveries[0].createdAt } : null,
  }));
}
