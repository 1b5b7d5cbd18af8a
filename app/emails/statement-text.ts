import type { StatementDocument } from "~/domain/statements/statement-document";
import { converted, dayLabel, greeting, lineDetail, money, rateSentence, STATUS_LABELS, summaryRows, type SummaryRow } from "./statement-format";

/** The statement email's plain-text part: the same figures as the HTML, in aligned columns. */
export function renderStatementText(document: StatementDocument, options: { replyTo?: string | null } = {}): string {
  const { statement } = document;
  const showShop = converted(statement);
  const amount = (minor: bigint, shopMinor: bigint | null) =>
    money(minor, statement.payoutCurrency) + (showShop && shopMinor !== null ? ` (${money(shopMinor, statement.shopCurrency)})` : "");
  const row = (label: string, value: string) => `${label.padEnd(28)} ${value.padStart(24)}`;
  const summary = (rows: SummaryRow[]) => rows.map((item) => row(item.label, amount(item.minor, item.shopMinor)));

  const { balance, split } = summaryRows(statement);
  const lines: string[] = [
    document.shopName,
    `Statement for ${document.periodLabel}`,
    "",
    greeting(document),
  ];
  const rate = rateSentence(document);
  if (rate) lines.push("", rate);
  lines.push("", "SUMMARY", ...summary(balance), "", "Of the closing balance:", ...summary(split));
  for (const group of statement.groups) {
    lines.push("", group.title.toUpperCase());
    for (const line of group.lines) {
      const what = line.orderName ? `${line.label}, order ${line.orderName}` : line.label;
      const status = line.status ? ` [${STATUS_LABELS[line.status]}]` : "";
      lines.push(`${dayLabel(line.date)}  ${what}${status}  ${amount(line.amount.minor, line.amount.shopMinor)}`);
      lines.push(`    ${lineDetail(line, statement)}`);
    }
    lines.push(row("Total", amount(group.subtotal.minor, group.subtotal.shopMinor)));
  }
  if (statement.groups.length === 0) lines.push("", "Nothing was posted or paid out in this period.");
  lines.push("", "The attached CSV lists the same lines for a spreadsheet, and the PDF is a printable copy.");
  if (options.replyTo) lines.push(`Questions about this statement? Reply to this email (${options.replyTo}).`);
  lines.push(`Sent for ${document.shopName} by Creator Ledger.`, "");
  return lines.join("\n");
}
