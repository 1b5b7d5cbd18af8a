import type { CSSProperties, ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { StatementDocument } from "~/domain/statements/statement-document";
import {
  converted,
  dayLabel,
  greeting,
  lineDetail,
  money,
  rateSentence,
  STATUS_LABELS,
  subject,
  summaryRows,
  type SummaryRow,
} from "./statement-format";

/*
 * The statement email's HTML: one centred column, at most 640px wide and fluid below that, table-based and styled
 * inline (what mail clients render reliably). The <style> block only adds what inline styles cannot: narrow screens
 * drop the status column and shrink the padding; clients that ignore it get the same layout, a little tighter.
 */

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const INK = "#1a1a1a";
const MUTED = "#616161";
const RULE = "#e3e3e3";

const cell: CSSProperties = { padding: "8px 6px", borderBottom: `1px solid ${RULE}`, verticalAlign: "top", fontSize: 14, color: INK };
const amountCell: CSSProperties = { ...cell, textAlign: "right", whiteSpace: "nowrap" };
const small: CSSProperties = { fontSize: 12, color: MUTED };

const RESPONSIVE_CSS = `
@media only screen and (max-width: 480px) {
  .statement-card { padding: 16px !important; }
  .statement-status { display: none !important; }
}`;

export interface StatementHtmlOptions {
  /** Where replies go, said in the footer. */
  replyTo?: string | null;
  /** The shop's logo, above its name. */
  logoUrl?: string | null;
}

export function renderStatementHtml(document: StatementDocument, options: StatementHtmlOptions = {}): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(
    <StatementEmail document={document} replyTo={options.replyTo ?? null} logoUrl={options.logoUrl ?? null} />,
  )}`;
}

function Amount({ minor, shopMinor, currency, shopCurrency, show }: { minor: bigint; shopMinor: bigint | null; currency: string; shopCurrency: string; show: boolean }) {
  return (
    <>
      {money(minor, currency)}
      {show && shopMinor !== null ? (
        <>
          <br />
          <span style={small}>{money(shopMinor, shopCurrency)}</span>
        </>
      ) : null}
    </>
  );
}

function SummaryTable({ rows, document }: { rows: SummaryRow[]; document: StatementDocument }) {
  const { statement } = document;
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", marginTop: 8 }}>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td style={{ ...cell, fontWeight: row.emphasis ? 700 : 400 }}>
              {row.label}
              {row.note ? (
                <>
                  <br />
                  <span style={small}>{row.note}</span>
                </>
              ) : null}
            </td>
            <td style={{ ...amountCell, fontWeight: row.emphasis ? 700 : 400 }}>
              <Amount minor={row.minor} shopMinor={row.shopMinor} currency={statement.payoutCurrency} shopCurrency={statement.shopCurrency} show={converted(statement)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h2 style={{ fontSize: 16, margin: "28px 0 4px", color: INK }}>{title}</h2>
      {children}
    </>
  );
}

function StatementEmail({
  document,
  replyTo,
  logoUrl,
}: {
  document: StatementDocument;
  replyTo: string | null;
  logoUrl: string | null;
}) {
  const { statement } = document;
  const { balance, split } = summaryRows(statement);
  const rate = rateSentence(document);
  const showShop = converted(statement);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{subject(document)}</title>
        <style>{RESPONSIVE_CSS}</style>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: "#f1f1f1", fontFamily: FONT, color: INK }}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ backgroundColor: "#f1f1f1" }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "24px 8px" }}>
                <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ maxWidth: 640, backgroundColor: "#ffffff", borderRadius: 12 }}>
                  <tbody>
                    <tr>
                      <td className="statement-card" style={{ padding: 32 }}>
                        {logoUrl ? (
                          <img
                            src={logoUrl}
                            alt=""
                            height={48}
                            style={{ display: "block", height: 48, width: "auto", maxWidth: 240, margin: "0 0 12px", border: 0 }}
                          />
                        ) : null}
                        <div style={{ fontSize: 22, fontWeight: 700, letterSpacing: "-0.01em" }}>{document.shopName}</div>
                        <h1 style={{ fontSize: 18, fontWeight: 600, margin: "6px 0 16px", color: MUTED }}>Statement for {document.periodLabel}</h1>
                        <p style={{ fontSize: 14, lineHeight: "20px", margin: "0 0 12px" }}>{greeting(document)}</p>
                        {rate ? <p style={{ ...small, lineHeight: "18px", margin: "0 0 12px" }}>{rate}</p> : null}

                        <Section title="Summary">
                          <SummaryTable rows={balance} document={document} />
                          <p style={{ ...small, margin: "16px 0 0" }}>Of the closing balance:</p>
                          <SummaryTable rows={split} document={document} />
                        </Section>

                        {statement.groups.map((group) => (
                          <Section key={group.group} title={group.title}>
                            <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse" }}>
                              <thead>
                                <tr>
                                  <th align="left" style={{ ...cell, ...small, fontWeight: 600, width: 104 }}>Date</th>
                                  <th align="left" style={{ ...cell, ...small, fontWeight: 600 }}>Details</th>
                                  <th align="left" className="statement-status" style={{ ...cell, ...small, fontWeight: 600, width: 72 }}>Status</th>
                                  <th align="right" style={{ ...amountCell, ...small, fontWeight: 600, width: 96 }}>Amount</th>
                                </tr>
                              </thead>
                              <tbody>
                                {group.lines.map((line, index) => (
                                  <tr key={index}>
                                    <td style={{ ...cell, whiteSpace: "nowrap" }}>{dayLabel(line.date)}</td>
                                    <td style={cell}>
                                      <strong>{line.orderName ? `${line.label} · Order ${line.orderName}` : line.label}</strong>
                                      <br />
                                      <span style={small}>{lineDetail(line, statement)}</span>
                                    </td>
                                    <td className="statement-status" style={{ ...cell, ...small }}>{line.status ? STATUS_LABELS[line.status] : ""}</td>
                                    <td style={amountCell}>
                                      <Amount minor={line.amount.minor} shopMinor={line.amount.shopMinor} currency={statement.payoutCurrency} shopCurrency={statement.shopCurrency} show={showShop} />
                                    </td>
                                  </tr>
                                ))}
                                <tr>
                                  <td style={{ ...cell, fontWeight: 600 }} colSpan={2}>Total</td>
                                  <td className="statement-status" style={cell} />
                                  <td style={{ ...amountCell, fontWeight: 600 }}>
                                    <Amount minor={group.subtotal.minor} shopMinor={group.subtotal.shopMinor} currency={statement.payoutCurrency} shopCurrency={statement.shopCurrency} show={showShop} />
                                  </td>
                                </tr>
                              </tbody>
                            </table>
                          </Section>
                        ))}

                        {statement.groups.length === 0 ? (
                          <p style={{ fontSize: 14, margin: "24px 0 0" }}>Nothing was posted or paid out in this period.</p>
                        ) : null}

                        <p style={{ ...small, lineHeight: "18px", margin: "28px 0 0" }}>
                          The attached CSV lists the same lines for a spreadsheet, and the PDF is a printable copy.
                          {replyTo ? ` Questions about this statement? Reply to this email (${replyTo}).` : ""}
                        </p>
                        <p style={{ ...small, margin: "8px 0 0" }}>Sent for {document.shopName} by Creator Ledger.</p>
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}
