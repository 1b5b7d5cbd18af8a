import { TZDate } from "@date-fns/tz";
import type { PayoutMethod } from "@prisma/client";
import { format } from "date-fns";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { prisma } from "~/db.server";
import { convertToPayoutCurrency, parseFxRate } from "~/domain/ledger/payout-fx";
import {
  PAYPAL_NOTE_MAX_LENGTH,
  paypalPayoutRows,
  type PayPalRowError,
  type PayoutForPayPal,
} from "~/domain/ledger/paypal-payout-rows";
import { selectPayable } from "~/domain/ledger/select-payable";
import { formatMoney } from "~/domain/money";
import { fieldErrorsOf } from "~/utils/field-errors";

export const PAYOUT_METHODS = ["PAYPAL", "BANK_TRANSFER", "OTHER"] as const satisfies readonly PayoutMethod[];
const BIGINT_MAX = 2n ** 63n - 1n;

export interface RecordPayoutInput {
  method: PayoutMethod;
  reference: string | null;
  note: string | null;
  /** Shop currency → payout currency as exact decimal text; required when the creator is paid in another currency. */
  fxRate: string | null;
  paidAt: Date;
}

export type RecordPayoutFieldErrors = Partial<Record<"method" | "reference" | "note" | "fxRate" | "paidOn", string>>;

export type RecordPayoutResult =
  | {
      ok: true;
      payoutId: string;
      amountMinor: bigint;
      currencyCode: string;
      payoutAmountMinor: bigint;
      payoutCurrency: string;
      fxRate: string;
      entryCount: number;
    }
  | { ok: false; error: "NOTHING_PAYABLE"; message: string; approvedMinor: bigint; currencyCode: string }
  | { ok: false; error: "INVALID"; fieldErrors: RecordPayoutFieldErrors };

// ---------- The form ----------

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((value) => (value === "" ? null : value));

const payoutFormSchema = z.object({
  method: z.enum(PAYOUT_METHODS, "Choose how the creator was paid"),
  reference: optionalText(200, "Keep the reference under 200 characters"),
  note: optionalText(PAYPAL_NOTE_MAX_LENGTH, `Keep the note under ${PAYPAL_NOTE_MAX_LENGTH} characters: PayPal shows no more`),
  fxRate: z.string().trim(),
  paidOn: z
    .string()
    .trim()
    .regex(/^$|^\d{4}-\d{2}-\d{2}$/, "Enter the date the payment was made"),
});

/**
 * Reads the "Record payout" form. The payment date is a day in the shop's timezone: today means now, an earlier
 * day means its start; a later day is refused (a payout records money already sent).
 */
export function parsePayoutForm(
  raw: Record<string, unknown>,
  timezone: string,
  now = new Date(),
): { ok: true; input: RecordPayoutInput } | { ok: false; fieldErrors: RecordPayoutFieldErrors } {
  const parsed = payoutFormSchema.safeParse({ reference: "", note: "", fxRate: "", paidOn: "", ...raw });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { method, reference, note, fxRate, paidOn } = parsed.data;
  const fieldErrors: RecordPayoutFieldErrors = {};

  let rate: string | null = null;
  if (fxRate !== "") {
    const parsedRate = parseFxRate(fxRate);
    if (parsedRate.ok) rate = parsedRate.rate;
    else fieldErrors.fxRate = parsedRate.message;
  }

  const today = format(new TZDate(now.getTime(), timezone), "yyyy-MM-dd");
  let paidAt = now;
  if (paidOn !== "" && paidOn !== today) {
    const [year, month, day] = paidOn.split("-").map(Number) as [number, number, number];
    const start = new TZDate(year, month - 1, day, timezone);
    if (Number.isNaN(start.getTime()) || format(start, "yyyy-MM-dd") !== paidOn) fieldErrors.paidOn = "Enter a real date";
    else if (paidOn > today) fieldErrors.paidOn = "A payout records money already sent: the date cannot be in the future";
    else paidAt = new Date(start.getTime());
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, input: { method, reference, note, fxRate: rate, paidAt } };
}

// ---------- Recording ----------

/**
 * Pays the creator's approved, unpaid entries: one Payout for their sum (clawbacks included) and one PayoutItem
 * per entry, in one transaction. The creator's row is locked first, so payouts for the same creator run one after
 * the other and the second sees the first's items: an entry is never paid twice (PayoutItem.ledgerEntryId is
 * unique as well). The lock does not block commissions being posted meanwhile; those wait for the next payout.
 *
 * Null when the creator is not the shop's.
 */
export async function recordPayout(
  shopId: string,
  creatorId: string,
  input: RecordPayoutInput,
  now = new Date(),
): Promise<RecordPayoutResult | null> {
  if (!z.guid().safeParse(creatorId).success) return null;
  return prisma.$transaction(async (tx): Promise<RecordPayoutResult | null> => {
    // FOR NO KEY UPDATE: serialises payouts per creator without blocking the ledger's foreign-key checks.
    const [creator] = await tx.$queryRaw<{ payoutCurrency: string | null; shopCurrency: string }[]>`
      SELECT c."payoutCurrency", s."currencyCode" AS "shopCurrency"
      FROM "Creator" c JOIN "Shop" s ON s."id" = c."shopId"
      WHERE c."id" = ${creatorId}::uuid AND c."shopId" = ${shopId}::uuid
      FOR NO KEY UPDATE OF c`;
    if (!creator) return null;

    const currencyCode = creator.shopCurrency;
    const payoutCurrency = creator.payoutCurrency ?? currencyCode;
    let fxRate = "1";
    if (payoutCurrency !== currencyCode) {
      if (input.fxRate === null) {
        return invalid({ fxRate: `Enter the exchange rate: how many ${payoutCurrency} one ${currencyCode} buys` });
      }
      fxRate = input.fxRate;
    }

    // Read after the lock: under READ COMMITTED this statement sees every payout committed before it.
    const unpaid = await tx.ledgerEntry.findMany({
      where: { shopId, creatorId, payoutItem: { is: null }, availableAt: { lte: now } },
      select: { id: true, amountMinor: true, availableAt: true },
      orderBy: { createdAt: "asc" },
    });
    const selection = selectPayable(
      unpaid.map((entry) => ({ ...entry, paid: false })),
      now,
    );
    if (!selection.ok) {
      return {
        ok: false as const,
        error: "NOTHING_PAYABLE" as const,
        message:
          selection.amountMinor < 0n
            ? `Nothing payable: deductions exceed approved earnings by ${formatMoney(-selection.amountMinor, currencyCode)}. They come off future earnings.`
            : "Nothing payable: no approved earnings are waiting to be paid.",
        approvedMinor: selection.amountMinor,
        currencyCode,
      };
    }

    const payoutAmountMinor = convertToPayoutCurrency(selection.amountMinor, currencyCode, payoutCurrency, fxRate);
    if (payoutAmountMinor <= 0n) {
      return invalid({ fxRate: `At this rate ${formatMoney(selection.amountMinor, currencyCode)} comes to nothing in ${payoutCurrency}` });
    }
    if (payoutAmountMinor > BIGINT_MAX) return invalid({ fxRate: "This rate gives an amount too large to record" });

    const payout = await tx.payout.create({
      data: {
        shopId,
        creatorId,
        amountMinor: selection.amountMinor,
        currencyCode,
        payoutCurrency,
        fxRate,
        payoutAmountMinor,
        method: input.method,
        reference: input.reference,
        note: input.note,
        paidAt: input.paidAt,
      },
    });
    await tx.payoutItem.createMany({
      data: selection.entries.map((entry) => ({ shopId, payoutId: payout.id, ledgerEntryId: entry.id })),
    });
    return {
      ok: true as const,
      payoutId: payout.id,
      amountMinor: selection.amountMinor,
      currencyCode,
      payoutAmountMinor,
      payoutCurrency,
      fxRate,
      entryCount: selection.entries.length,
    };
  });
}

function invalid(fieldErrors: RecordPayoutFieldErrors): RecordPayoutResult {
  return { ok: false, error: "INVALID", fieldErrors };
}

// ---------- PayPal Payouts file ----------

export interface PayoutsCsv {
  /** The file, or null when no payout could be written. */
  csv: string | null;
  currencyCode: string | null;
  filename: string;
  /** The payouts written, in file order. */
  payoutIds: string[];
  /** Payouts that could not be written (unknown, not PayPal, no PayPal email, mixed currencies): never dropped. */
  errors: PayPalRowError[];
}

/**
 * A PayPal Payouts Web upload file for the shop's payouts `payoutIds` (see paypal-payout-rows.ts for the
 * columns). Ids that are not this shop's payouts are reported as errors, like any payout that cannot be paid
 * through PayPal; the caller decides whether a file with errors is handed out.
 */
export async function payoutsCsv(shopId: string, payoutIds: readonly string[], now = new Date()): Promise<PayoutsCsv> {
  const ids = [...new Set(payoutIds)];
  const validIds = ids.filter((id) => z.guid().safeParse(id).success);
  const [shop, payouts] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { name: true, timezone: true } }),
    prisma.payout.findMany({
      where: { shopId, id: { in: validIds } },
      include: { creator: { select: { name: true, paypalEmail: true } } },
      orderBy: [{ paidAt: "asc" }, { id: "asc" }],
    }),
  ]);

  const found = new Set(payouts.map((payout) => payout.id));
  const unknown: PayPalRowError[] = ids
    .filter((id) => !found.has(id))
    .map((id) => ({ payoutId: id, creatorName: null, message: "No such payout in this shop" }));

  const day = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "yyyy-MM-dd");
  const result = paypalPayoutRows(
    payouts.map(
      (payout): PayoutForPayPal => ({
        payoutId: payout.id,
        creatorName: payout.creator.name,
        paypalEmail: payout.creator.paypalEmail,
        method: payout.method,
        payoutCurrency: payout.payoutCurrency,
        payoutAmountMinor: payout.payoutAmountMinor,
        note: payout.note,
        paidAt: payout.paidAt,
      }),
    ),
    { defaultNote: (payout) => `Creator payout from ${shop.name}, ${day(payout.paidAt)}` },
  );

  return {
    csv: result.rows.length > 0 ? stringify(result.rows, { record_delimiter: "windows" }) : null,
    currencyCode: result.currencyCode,
    filename: `paypal-payouts-${result.currencyCode ?? "none"}-${day(now)}.csv`,
    payoutIds: result.payoutIds,
    errors: [...unknown, ...result.errors],
  };
}

/** Stamps the payouts as handed out in a PayPal Payouts file, so the payouts page stops offering them. */
export async function markPayoutsExported(shopId: string, payoutIds: readonly string[], now = new Date()): Promise<number> {
  const { count } = await prisma.payout.updateMany({
    where: { shopId, id: { in: [...payoutIds] } },
    data: { exportedAt: now },
  });
  return count;
}
