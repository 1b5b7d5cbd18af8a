import { stringify } from "csv-stringify/sync";
import { fromMinorUnits } from "~/domain/money";
import type { StatementDocument } from "~/domain/statements/statement-document";
import { spreadsheetSafeText } from "~/domain/spreadsheet-text";
import { STATUS_LABELS } from "./statement-format";

export const STATEMENT_CSV_COLUMNS = [
  "Section",
  "Date",
  "Type",
  "Order",
  "Description",
  "Status",
  "Amount",
  "Currency",
  "Ledger amount",
  "Ledger currency",
] as const;

/**
 * The statement's lines as CSV: the opening balance, every line of every section, the rounding (if any) and the
 * closing balance, so the file adds up on its own. Amounts are plain decimals in the payout currency, with the
 * ledger's shop-currency amount beside them.
 */
export function renderStatementCsv(document: StatementDocument): string {
  const { statement } = document;
  const pay = (minor: bigint) => fromMinorUnits(minor, statement.payoutCurrency);
  const shop = (minor: bigint) => fromMinorUnits(minor, statement.shopCurrency);
  const rows: string[][] = [[...STATEMENT_CSV_COLUMNS]];
  rows.push(["Opening balance", "", "", "", "", "", pay(statement.opening.minor), statement.payoutCurrency, shop(statement.opening.shopMinor), statement.shopCurrency]);
  for (const group of statement.groups) {
    for (const line of group.lines) {
      rows.push([
        group.title,
        line.date,
        line.label,
        spreadsheetSafeText(line.orderName ?? ""),
        spreadsheetSafeText(line.description),
        line.status ? STATUS_LABELS[line.status] : "",
        pay(line.amount.minor),
        statement.payoutCurrency,
        shop(line.amount.shopMinor),
        statement.shopCurrency,
      ]);
    }
  }
  if (statement.roundingMinor !== 0n) {
    rows.push(["Currency rounding", "", "", "", "Lines converted one by one differ from the converted balance by this much", "", pay(statement.roundingMinor), statement.payoutCurrency, "", ""]);
  }
  rows.push(["Closing balance", "", "", "", "", "", pay(statement.closing.minor), statement.payoutCurrency, shop(statement.closing.shopMinor), statement.shopCurrency]);
  rows.push(["Of which pending", "", "", "", "", "", pay(statement.pending.minor), statement.payoutCurrency, shop(statement.pending.shopMinor), statement.shopCurrency]);
  rows.push(["Of which approved", "", "", "", "", "", pay(statement.approved.minor), statement.payoutCurrency, shop(statement.approved.shopMinor), statement.shopCurrency]);
  return stringify(rows, { record_delimiter: "windows" });
}
