import { fromMinorUnits } from "../money";
import { spreadsheetSafeText } from "../spreadsheet-text";

/*
 * Rows of a PayPal Payouts Web upload file (developer.paypal.com/payouts/use-payouts/send-money/use-web-ui):
 * no header row; per payout, in this order: recipient identifier (the PayPal account's email), amount (decimal
 * point, the currency's minor-unit digits), currency (ISO 4217; one currency per file), customer ID (optional,
 * at most 30 characters, no spaces), note to recipient (optional for PayPal, at most 400 characters) and
 * recipient wallet ("PAYPAL"). At most 5,000 rows per file.
 */

export const PAYPAL_MAX_ROWS = 5000;
export const PAYPAL_NOTE_MAX_LENGTH = 400;
export const PAYPAL_CUSTOMER_ID_MAX_LENGTH = 30;
/** PayPal's limit for an email recipient (Payouts API: up to 127 single-byte characters). */
export const PAYPAL_EMAIL_MAX_LENGTH = 127;

export type PayoutMethod = "PAYPAL" | "BANK_TRANSFER" | "OTHER";

export interface PayoutForPayPal {
  payoutId: string;
  creatorName: string;
  paypalEmail: string | null;
  method: PayoutMethod;
  payoutCurrency: string;
  payoutAmountMinor: bigint;
  note: string | null;
  paidAt: Date;
}

export type PayPalRow = [
  recipient: string,
  amount: string,
  currency: string,
  customerId: string,
  note: string,
  wallet: "PAYPAL",
];

export interface PayPalRowError {
  /** Null for a problem with the file as a whole. */
  payoutId: string | null;
  creatorName: string | null;
  message: string;
}

export interface PayPalRows {
  /** The file's one currency; null when no payout made it in. */
  currencyCode: string | null;
  rows: PayPalRow[];
  /** The payouts in `rows`, in the same order. */
  payoutIds: string[];
  /** Every payout that could not be written, and why: none is dropped silently. */
  errors: PayPalRowError[];
}

/**
 * The payout's id (a UUID), as the file's customer ID: PayPal takes 30 characters and the UUID has 36, so the
 * same 128 bits are written in base 36 ("CL" + at most 25 characters), which keeps it unique and reversible.
 */
export function paypalCustomerId(payoutId: string): string {
  const hex = payoutId.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`Not a payout id: ${payoutId}`);
  return `CL${BigInt(`0x${hex}`).toString(36).toUpperCase()}`;
}

export function payoutIdFromCustomerId(customerId: string): string | null {
  const match = /^CL([0-9A-Z]{1,25})$/.exec(customerId);
  if (!match) return null;
  let value = 0n;
  for (const digit of match[1]!) value = value * 36n + BigInt(Number.parseInt(digit, 36));
  const hex = value.toString(16).padStart(32, "0");
  if (hex.length > 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One line of plain text (PayPal shows it in the payment email), cut to PayPal's limit. A note that starts like a
 * spreadsheet formula (= + - @) gets a leading apostrophe, so opening the file in a spreadsheet cannot run it;
 * only the note is free text, so only the note is guarded (an email may legitimately start with + or -).
 */
function noteFor(payout: PayoutForPayPal, defaultNote: (payout: PayoutForPayPal) => string): string {
  let text = (payout.note?.trim() || defaultNote(payout)).replace(/\s+/g, " ");
  text = spreadsheetSafeText(text);
  return text.length <= PAYPAL_NOTE_MAX_LENGTH ? text : `${text.slice(0, PAYPAL_NOTE_MAX_LENGTH - 1)}…`;
}

export function paypalPayoutRows(
  payouts: readonly PayoutForPayPal[],
  options: { defaultNote: (payout: PayoutForPayPal) => string },
): PayPalRows {
  const errors: PayPalRowError[] = [];
  const writable: PayoutForPayPal[] = [];
  for (const payout of payouts) {
    const fail = (message: string) => errors.push({ payoutId: payout.payoutId, creatorName: payout.creatorName, message });
    if (payout.method !== "PAYPAL") {
      fail(`${payout.creatorName}'s payout was recorded as ${payout.method === "BANK_TRANSFER" ? "a bank transfer" : "paid another way"}, not through PayPal`);
    } else if (!payout.paypalEmail?.trim()) {
      fail(`${payout.creatorName} has no PayPal email: add it on their ledger page`);
    } else if (payout.payoutAmountMinor <= 0n) {
      fail(`${payout.creatorName}'s payout has no positive amount`);
    } else {
      writable.push(payout);
    }
  }

  const currencies = [...new Set(writable.map((payout) => payout.payoutCurrency))].sort();
  if (currencies.length > 1) {
    for (const payout of writable) {
      errors.push({
        payoutId: payout.payoutId,
        creatorName: payout.creatorName,
        message: `PayPal takes one currency per file: download the ${currencies.join(", ")} payouts separately`,
      });
    }
    return { currencyCode: null, rows: [], payoutIds: [], errors };
  }
  if (writable.length > PAYPAL_MAX_ROWS) {
    errors.push({
      payoutId: null,
      creatorName: null,
      message: `PayPal takes at most ${PAYPAL_MAX_ROWS} payments per file; select fewer payouts`,
    });
    return { currencyCode: null, rows: [], payoutIds: [], errors };
  }

  return {
    currencyCode: currencies[0] ?? null,
    rows: writable.map((payout) => [
      payout.paypalEmail!.trim(),
      fromMinorUnits(payout.payoutAmountMinor, payout.payoutCurrency),
      payout.payoutCurrency,
      paypalCustomerId(payout.payoutId),
      noteFor(payout, options.defaultNote),
      "PAYPAL",
    ]),
    payoutIds: writable.map((payout) => payout.payoutId),
    errors,
  };
}
