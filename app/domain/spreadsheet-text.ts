/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a formula when a CSV
 * is opened: CSV injection.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function startsLikeFormula(value: string): boolean {
  return FORMULA_START.test(value);
}

/** Free text for a CSV cell: one that would run as a formula gets a leading apostrophe, the rest stays as it is. */
export function spreadsheetSafeText(value: string): string {
  return startsLikeFormula(value) ? `'${value}` : value;
}
