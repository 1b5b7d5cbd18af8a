import { skipReasonText } from "~/domain/statements/delivery-rules";
import { renderStatementHtml } from "~/emails/statement-html";
import { getStatementSettings } from "~/models/statements.server";
import { loadStatementSubject, prepareStatement } from "./prepare-statement.server";

export type StatementPreview =
  | { ok: true; creatorName: string; html: string; generated: boolean; payoutCurrency: string; fxRate: string }
  | { ok: false; creatorName: string; message: string };

/**
 * The statement email as the creator sees (or would see) it. Once generated it is the locked statement; before,
 * it is built from the ledger as it is now, at the latest exchange rate, and nothing is saved. Shown even for
 * creators who are skipped for who they are (no email, opted out, excluded): the merchant may want to check it.
 * Null when the creator is not the shop's.
 */
export async function previewStatement(shopId: string, creatorId: string, periodKey: string): Promise<StatementPreview | null> {
  const subject = await loadStatementSubject(shopId, creatorId, periodKey);
  if (!subject) return null;
  const prepared = await prepareStatement(subject, { generate: false, ignoreRecipient: true });
  if (!prepared.ok) {
    return { ok: false, creatorName: subject.creator.name, message: skipReasonText(prepared.skipReason, { payoutCurrency: prepared.payoutCurrency }) };
  }
  const settings = await getStatementSettings(shopId);
  return {
    ok: true,
    creatorName: subject.creator.name,
    html: renderStatementHtml(prepared.document, { replyTo: settings.replyTo, logoUrl: settings.logoUrl }),
    generated: prepared.row !== null,
    payoutCurrency: prepared.payoutCurrency,
    fxRate: prepared.fxRate,
  };
}
