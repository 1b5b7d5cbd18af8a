// End to end, through real processes, a real SMTP server and a real browser: the merchant opens Statements for last
// month, previews a creator's statement, sends the period's statements (the worker sends them to the SMTP server
// started here), sees who got one and who was skipped and why, then resends one statement after confirming; the
// delivery log names each message the server received. Statement settings take an exchange rate.
//
// How the app runs (web, worker, store simulator, admin harness, Chromium): test/support/e2e-app.ts.
// Screenshots and process logs: test/artifacts/e2e/statements/. Set SKIP_E2E=1 to skip.
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestClosedPeriod, statementPeriodLabel } from "~/domain/statements/statement-periods";
import { startMailSink, type MailSink } from "../mail-sink/mail-sink";
import { E2eApp } from "../support/e2e-app";

const e2e = new E2eApp({ name: "statements", shopName: "E2E Statements Store" });
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.skipIf(process.env.SKIP_E2E === "1")("creator statements, end to end", () => {
  let page: Page;
  let app: FrameLocator;
  let sink: MailSink;
  const period = latestClosedPeriod("MONTHLY", e2e.shop.timezone, new Date());
  const label = statementPeriodLabel(period, e2e.shop.timezone);
  const midPeriod = (day: number) => new Date(period.start.getTime() + day * 86_400_000 + 15 * 3_600_000);

  beforeAll(async () => {
    sink = await startMailSink();
    e2e.extraEnv = { SMTP_URL: sink.smtpUrl, STATEMENTS_FROM: "statements@e2e.test" };
    await e2e.start();
    ({ page, app } = e2e);

    // Last month's ledger for two creators, one of them without an email. The factories connect to the e2e
    // database: they are imported once e2e.start() has pointed the app's models at it.
    const { createTestCreator } = await import("../helpers/factories");
    const { createTestOrder, postTestEntry } = await import("../helpers/ledger-factories");
    const shop = await e2e.seed!.prisma.shop.findUniqueOrThrow({ where: { domain: e2e.shop.domain } });
    const ada = await createTestCreator(shop.id, { name: "Ada Byron", email: "ada@example.com" });
    const noor = await createTestCreator(shop.id, { name: "Noor Haddad", email: "" });
    const order = await createTestOrder(shop.id, { name: "#5001", processedAt: midPeriod(3) });
    await postTestEntry(shop.id, ada.id, { amountMinor: 2_480n, createdAt: new Date(midPeriod(3).getTime() + 60_000), orderId: order.id, reason: "10.00% revenue share of $248.00 net merchandise on order #5001" });
    await postTestEntry(shop.id, ada.id, { kind: "ADJUSTMENT", amountMinor: 1_500n, createdAt: midPeriod(9), reason: "Unboxing video bonus" });
    await postTestEntry(shop.id, noor.id, { amountMinor: 990n, createdAt: midPeriod(5), reason: "Launch post" });
  }, 300_000);

  afterAll(async () => {
    await e2e.stop();
    await sink?.close();
  });

  const screenshot = (name: string) => e2e.screenshot(name, { wholeApp: true });
  // The creators table comes first; the delivery log below it names creators too.
  const row = (name: string) => app.getByRole("row").filter({ hasText: name }).first();

  async function openStatements() {
    await page.getByRole("link", { name: "Statements" }).click();
    await app.getByRole("heading", { name: "Statements", level: 1 }).waitFor();
  }

  it("previews, sends the period's statements, logs each delivery and skip, and resends after confirming", async () => {
    try {
      await e2e.openAdmin();
      await openStatements();
      expect(await app.getByLabel("Period").inputValue()).toBe(period.key);
      await expect.poll(() => row("Ada Byron").innerText()).toContain("Not sent yet");
      await screenshot("01-statements");

      // Preview: the email as Ada would get it, nothing sent or saved.
      await app.getByRole("button", { name: "Preview Ada Byron's statement" }).click();
      const preview = app.frameLocator(`iframe[title="Statement preview for Ada Byron"]`);
      await preview.getByText(`Statement for ${label}`).waitFor({ timeout: 15_000 });
      expect(squash(await preview.locator("body").innerText())).toContain("Order #5001");
      expect(squash(await preview.locator("body").innerText())).toContain("$39.80");
      await app.getByText("Not sent yet: built from the ledger as it is now").waitFor();
      expect(sink.messages()).toHaveLength(0);
      await screenshot("02-preview");

      // Send now: the worker sends every due statement; Noor has no email and is skipped, with the reason.
      await app.getByRole("button", { name: "Send now" }).click();
      await app.getByText("Sending statements").waitFor({ timeout: 15_000 });
      const [message] = await sink.waitForMessages(1);
      expect(message!.to).toEqual(["ada@example.com"]);
      expect(message!.subject).toBe(`Your E2E Statements Store statement for ${label}`);
      // The message can reach the sink a moment before the worker records it as sent: wait for both rows.
      await expect
        .poll(
          async () => {
            await openStatements();
            return [squash(await row("Noor Haddad").innerText()), squash(await row("Ada Byron").innerText())];
          },
          { timeout: 30_000, interval: 500 },
        )
        .toEqual([expect.stringContaining("No email address for this creator"), expect.stringContaining("Sent")]);
      const log = app.locator("body");
      expect(squash(await log.innerText())).toContain(message!.messageId!);
      expect(squash(await log.innerText())).toContain("To ada@example.com");
      await screenshot("03-sent-and-skipped");

      // Resend, after confirming: a second message, logged as a resend by the staff member.
      await app.getByRole("button", { name: "Resend Ada Byron's statement" }).click();
      await app.getByText(`Resend ${label} to Ada Byron?`).waitFor();
      await screenshot("04-confirm-resend");
      await app.getByRole("button", { name: "Resend statement" }).click();
      await app.getByText("Statement resent").first().waitFor({ timeout: 15_000 });
      const messages = await sink.waitForMessages(2);
      expect(messages).toHaveLength(2);
      expect(messages[1]!.messageId).not.toBe(messages[0]!.messageId);
      await expect.poll(async () => squash(await log.innerText()), { timeout: 15_000 }).toContain(messages[1]!.messageId!);
      expect(squash(await log.innerText())).toMatch(/Resend by /);
      await screenshot("05-resent");

      // Statement settings: an exchange rate for creators paid in euros, used by statements generated from now on.
      await app.getByRole("link", { name: "Statement settings" }).click();
      await app.getByRole("heading", { name: "Statement settings", level: 1 }).waitFor();
      await app.getByLabel("Currency").selectOption("EUR");
      await app.getByLabel("Rate (1 USD in EUR)").fill("0.92");
      await app.getByRole("button", { name: "Save rate" }).click();
      await app.getByText("Exchange rate saved: 1 USD = 0.92 EUR").waitFor({ timeout: 15_000 });
      await app.getByText(/1 USD = 0\.92 EUR \(entered /).waitFor();
      await screenshot("06-statement-settings");
    } catch (error) {
      await e2e.reportFailure();
      throw error;
    }
  }, 240_000);
});
