import type { StatementDocument } from "~/domain/statements/statement-document";
import type { OutgoingMessage } from "~/utils/mailer.server";
import { renderStatementCsv } from "./statement-csv";
import { subject } from "./statement-format";
import { renderStatementHtml } from "./statement-html";
import { renderStatementPdf } from "./statement-pdf.server";
import { renderStatementText } from "./statement-text";

export interface StatementEnvelope {
  messageId: string;
  to: string;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  logoUrl: string | null;
  /** The Statement row's id, in a header so a message in any mailbox names its statement. */
  statementId: string;
}

/** The statement email: HTML and plain text, the lines as CSV and a printable PDF. */
export async function composeStatementMessage(document: StatementDocument, envelope: StatementEnvelope): Promise<OutgoingMessage> {
  const base = `statement-${document.statement.periodKey}`;
  return {
    messageId: envelope.messageId,
    from: { name: envelope.fromName, address: envelope.fromAddress },
    to: envelope.to,
    replyTo: envelope.replyTo,
    subject: subject(document),
    text: renderStatementText(document, { replyTo: envelope.replyTo }),
    html: renderStatementHtml(document, { replyTo: envelope.replyTo, logoUrl: envelope.logoUrl }),
    headers: { "X-Creator-Ledger-Statement": envelope.statementId },
    attachments: [
      { filename: `${base}.csv`, content: renderStatementCsv(document), contentType: "text/csv; charset=utf-8" },
      { filename: `${base}.pdf`, content: await renderStatementPdf(document), contentType: "application/pdf" },
    ],
  };
}
