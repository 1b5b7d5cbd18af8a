import { z } from "zod";
import { ENTRY_STATUSES } from "../ledger/entry-status";
import { STATEMENT_LINE_GROUPS, type Statement } from "./build-statement";
import { STATEMENT_CADENCES } from "./statement-periods";

/**
 * What a statement email shows, kept on the Statement row when it is generated: every delivery of the statement
 * (a resend months later included) renders this, not the ledger as it is by then. Amounts are stored as decimal
 * strings of minor units (JSON has no bigint) and read back through the schema below.
 */
export interface StatementDocument {
  version: 1;
  shopName: string;
  creatorName: string;
  /** "November 2026", "Nov 16 – 22, 2026". */
  periodLabel: string;
  timezone: string;
  generatedAt: Date;
  statement: Statement;
}

const minor = z
  .string()
  .regex(/^-?\d{1,30}$/)
  .transform((value) => BigInt(value));
const instant = z.iso.datetime().transform((value) => new Date(value));
const amount = z.object({ shopMinor: minor, minor });

const lineSchema = z.object({
  group: z.enum(STATEMENT_LINE_GROUPS),
  label: z.string(),
  date: z.iso.date(),
  orderName: z.string().nullable(),
  description: z.string(),
  amount,
  status: z.enum(ENTRY_STATUSES).nullable(),
  received: z.object({ amountMinor: minor, currency: z.string(), fxRate: z.string() }).nullable(),
});

const documentSchema = z.object({
  version: z.literal(1),
  shopName: z.string(),
  creatorName: z.string(),
  periodLabel: z.string(),
  timezone: z.string(),
  generatedAt: instant,
  statement: z.object({
    periodKey: z.string(),
    cadence: z.enum(STATEMENT_CADENCES),
    periodStart: instant,
    periodEnd: instant,
    shopCurrency: z.string(),
    payoutCurrency: z.string(),
    fxRate: z.string(),
    opening: amount,
    groups: z.array(
      z.object({ group: z.enum(STATEMENT_LINE_GROUPS), title: z.string(), lines: z.array(lineSchema), subtotal: amount }),
    ),
    roundingMinor: minor,
    closing: amount,
    pending: amount,
    approved: amount,
    hasActivity: z.boolean(),
  }),
});

export type StatementDocumentJson = { [key: string]: StatementDocumentJsonValue };
type StatementDocumentJsonValue = string | number | boolean | StatementDocumentJsonValue[] | StatementDocumentJson | null;

/** JSON for the database: bigints as decimal strings, dates as ISO instants. */
export function serializeStatementDocument(document: StatementDocument): StatementDocumentJson {
  return JSON.parse(
    JSON.stringify(document, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
  ) as StatementDocumentJson;
}

export function parseStatementDocument(json: unknown): StatementDocument {
  return documentSchema.parse(json) satisfies StatementDocument;
}
