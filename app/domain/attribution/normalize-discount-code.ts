/** Shoppers type codes in any case and with stray spaces; "sarah 10 " and "SARAH10" are the same code. */
export function normalizeDiscountCode(code: string): string {
  return code.replace(/\s+/g, "").toUpperCase();
}
