// Deliberately independent of app/domain/money.ts: the simulator plays Shopify, and sharing the app's
// conversions would let a bug in them cancel out in the tests.
// Money as Shopify's webhooks carry it: decimal strings with the currency's number of decimals.
// The simulator computes in integer minor units (plain numbers: store amounts stay far below 2^53).

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyDecimals(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** 1234 USD minor units → "12.34"; 1234 JPY → "1234". */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isInteger(minor)) throw new Error(`Amount must be whole minor units, got ${minor}`);
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** "12.34" → 1234 (USD). */
export function parseAmount(amount: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a decimal amount: ${amount}`);
  const decimals = currencyDecimals(currency);
  const fraction = (match[3] ?? "").padEnd(decimals, "0");
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) {
    throw new Error(`${amount} has more than ${decimals} decimals for ${currency}`);
  }
  const minor = Number(`${match[2]}${fraction.slice(0, decimals)}`);
  return match[1] ? -minor : minor;
}

export interface Money {
  amount: string;
  currency_code: string;
}

export interface MoneySet {
  shop_money: Money;
  presentment_money: Money;
}

/** How shop-currency amounts convert to the currency the buyer saw. */
export interface Presentment {
  currency: string;
  /** Presentment units per shop unit (1 when the buyer paid in the shop currency). */
  rate: number;
}

export function toPresentmentMinor(shopMinor: number, shopCurrency: string, presentment: Presentment): number {
  if (presentment.currency === shopCurrency && presentment.rate === 1) return shopMinor;
  const scale = 10 ** (currencyDecimals(presentment.currency) - currencyDecimals(shopCurrency));
  return Math.round(shopMinor * presentment.rate * scale);
}

export function moneySet(shopMinor: number, shopCurrency: string, presentment: Presentment): MoneySet {
  return {
    shop_money: { amount: formatAmount(shopMinor, shopCurrency), currency_code: shopCurrency },
    presentment_money: {
      amount: formatAmount(toPresentmentMinor(shopMinor, shopCurrency, presentment), presentment.currency),
      currency_code: presentment.currency,
    },
  };
}

/** Splits `total` over `weights` proportionally; the parts are whole and always add up to `total` (largest remainder). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (weights.length === 0) return [];
  if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / weightSum);
  const parts = exact.map((x) => Math.floor(x));
  let remainder = total - parts.reduce((sum, p) => sum + p, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; remainder > 0; k = (k + 1) % order.length, remainder--) parts[order[k]!.i]! += 1;
  return parts;
}

/** `minor × percent / 100`, rounded half away from zero, as Shopify rounds discounts and taxes. */
export function percentOf(minor: number, percent: number): number {
  const raw = (minor * percent) / 100;
  return Math.sign(raw) * Math.round(Math.abs(raw) + 1e-9);
}
