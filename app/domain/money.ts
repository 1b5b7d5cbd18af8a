import Decimal from "decimal.js";

// Building an Intl.NumberFormat costs ~40 µs; ledger reasons format thousands of amounts per settlement.
const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currencyCode: string): Intl.NumberFormat {
  const key = `${locale}/${currencyCode}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
    formatters.set(key, formatter);
  }
  return formatter;
}

const exponents = new Map<string, number>();

/** Digits after the decimal point of a currency's minor unit (USD 2, JPY 0, KWD 3), from ISO 4217 via Intl. */
export function currencyExponent(currencyCode: string): number {
  // resolvedOptions() builds a new object on every call; a statement converts and formats each amount through here.
  let exponent = exponents.get(currencyCode);
  if (exponent === undefined) {
    exponent = currencyFormatter("en", currencyCode).resolvedOptions().maximumFractionDigits!;
    exponents.set(currencyCode, exponent);
  }
  return exponent;
}

/** Shopify sends amounts as decimal strings ("414.95"); money inside the app is integer minor units. */
export function toMinorUnits(amount: string, currencyCode: string): bigint {
  const minor = new Decimal(amount).times(new Decimal(10).pow(currencyExponent(currencyCode)));
  if (!minor.isInteger()) {
    throw new RangeError(`${amount} has more decimals than ${currencyCode} allows`);
  }
  return BigInt(minor.toFixed(0));
}

export function fromMinorUnits(minor: bigint, currencyCode: string): string {
  return new Decimal(minor.toString()).dividedBy(new Decimal(10).pow(currencyExponent(currencyCode))).toFixed(
    currencyExponent(currencyCode),
  );
}

export function formatMoney(minor: bigint, currencyCode: string, locale = "en-US"): string {
  const amount = fromMinorUnits(minor, currencyCode) as Intl.StringNumericLiteral;
  return currencyFormatter(locale, currencyCode).format(amount);
}
