import type { StatementDocument } from "~/domain/statements/statement-document";
import { createPdfDocument } from "./pdf-standard-fonts.server";
import { converted, dayLabel, greeting, lineDetail, money, rateSentence, STATUS_LABELS, subject, summaryRows, type SummaryRow } from "./statement-format";

/*
 * A printable copy of the statement (A4), drawn with PDFKit's built-in Helvetica, so nothing is downloaded or
 * installed for it. Those fonts cover the Windows-1252 characters (Latin alphabets, €, £, ¥…); any other character
 * (a shop name in Japanese, say) prints as "?" in the PDF — the HTML and text parts show it as it is.
 */

const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const printable = (value: string) =>
  [...value]
    .map((char) => {
      const code = char.codePointAt(0)!;
      return char === "\n" || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) ? char : "?";
    })
    .join("");

const LEFT = 50;
const WIDTH = 495; // A4 is 595pt wide
const DATE_WIDTH = 75;
const AMOUNT_WIDTH = 120;
const DETAILS_X = LEFT + DATE_WIDTH;
const DETAILS_WIDTH = WIDTH - DATE_WIDTH - AMOUNT_WIDTH - 10;
const AMOUNT_X = LEFT + WIDTH - AMOUNT_WIDTH;

export async function renderStatementPdf(document: StatementDocument): Promise<Buffer> {
  const { statement } = document;
  const pdf = createPdfDocument({ size: "A4", margin: LEFT, info: { Title: printable(subject(document)), Author: printable(document.shopName) } }, [
    "Helvetica",
    "Helvetica-Bold",
  ]);
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });

  const showShop = converted(statement);
  const amount = (minor: bigint, shopMinor: bigint | null) =>
    printable(money(minor, statement.payoutCurrency) + (showShop && shopMinor !== null ? `\n${money(shopMinor, statement.shopCurrency)}` : ""));
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;
  const ensureRoom = (height: number) => {
    if (pdf.y + height > bottom()) pdf.addPage();
  };
  const rule = () => {
    pdf.moveTo(LEFT, pdf.y).lineTo(LEFT + WIDTH, pdf.y).lineWidth(0.5).strokeColor("#cccccc").stroke();
  };
  /** One row: a date (optional), the details, the amount on the right; returns after the tallest of them. */
  const row = (cells: { date?: string; details: string; amount: string; bold?: boolean; wide?: boolean }) => {
    pdf.font(cells.bold ? "Helvetica-Bold" : "Helvetica").fontSize(9.5);
    const detailsX = cells.wide ? LEFT : DETAILS_X;
    const detailsWidth = cells.wide ? DETAILS_WIDTH + DATE_WIDTH : DETAILS_WIDTH;
    const detailsHeight = pdf.heightOfString(cells.details, { width: detailsWidth });
    const amountHeight = pdf.heightOfString(cells.amount, { width: AMOUNT_WIDTH });
    const height = Math.max(detailsHeight, amountHeight) + 6;
    ensureRoom(height);
    const top = pdf.y + 3;
    if (cells.date) pdf.text(cells.date, LEFT, top, { width: DATE_WIDTH - 6 });
    pdf.text(cells.details, detailsX, top, { width: detailsWidth });
    pdf.text(cells.amount, AMOUNT_X, top, { width: AMOUNT_WIDTH, align: "right" });
    pdf.x = LEFT;
    pdf.y = top + height - 3;
    rule();
  };
  const heading = (text: string) => {
    ensureRoom(40);
    pdf.moveDown(1).font("Helvetica-Bold").fontSize(12).fillColor("#1a1a1a").text(printable(text), LEFT, pdf.y, { width: WIDTH });
    pdf.moveDown(0.3);
    rule();
  };
  const summary = (rows: SummaryRow[]) => {
    for (const item of rows) {
      row({ details: printable(item.note ? `${item.label}\n${item.note}` : item.label), amount: amount(item.minor, item.shopMinor), bold: item.emphasis, wide: true });
    }
  };

  pdf.font("Helvetica-Bold").fontSize(18).fillColor("#1a1a1a").text(printable(document.shopName), LEFT, LEFT, { width: WIDTH });
  pdf.font("Helvetica").fontSize(12).fillColor("#616161").text(printable(`Statement for ${document.periodLabel}`));
  pdf.moveDown(0.8).fillColor("#1a1a1a").fontSize(10).text(printable(greeting(document)), { width: WIDTH });
  const rate = rateSentence(document);
  if (rate) pdf.moveDown(0.5).fontSize(8.5).fillColor("#616161").text(printable(rate), { width: WIDTH }).fillColor("#1a1a1a");

  const { balance, split } = summaryRows(statement);
  heading("Summary");
  summary(balance);
  pdf.moveDown(0.6).font("Helvetica").fontSize(9).fillColor("#616161").text("Of the closing balance:", LEFT, pdf.y).fillColor("#1a1a1a");
  summary(split);

  for (const group of statement.groups) {
    heading(group.title);
    for (const line of group.lines) {
      const what = line.orderName ? `${line.label} · Order ${line.orderName}` : line.label;
      const status = line.status ? ` (${STATUS_LABELS[line.status]})` : "";
      row({ date: dayLabel(line.date), details: printable(`${what}${status}\n${lineDetail(line, statement)}`), amount: amount(line.amount.minor, line.amount.shopMinor) });
    }
    row({ details: "Total", amount: amount(group.subtotal.minor, group.subtotal.shopMinor), bold: true });
  }
  if (statement.groups.length === 0) pdf.moveDown(1).font("Helvetica").fontSize(10).text("Nothing was posted or paid out in this period.", LEFT, pdf.y);
  pdf.moveDown(1.5).font("Helvetica").fontSize(8).fillColor("#616161").text(printable(`Sent for ${document.shopName} by Creator Ledger.`), LEFT, pdf.y, { width: WIDTH });

  pdf.end();
  return finished;
}
