// Creator statements against a real SMTP server (smtp-server, started here), real PostgreSQL and real BullMQ:
// what a statement says and that it reconciles with the ledger, its attachments, skips, and that a creator gets a
// period's statement once — across retries, concurrent senders and explicit resends.
import { parse } from "csv-parse/sync";
import { Queue, QueueEvents, type Worker } from "bullmq";
import type { SMTPServerSession } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-statements-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { toMinorUnits } from "~/domain/money";
import { statementPeriodByKey } from "~/domain/statements/statement-periods";
import { startStatementsWorker } from "~/jobs/statements-worker.server";
import { getCreator, updateCreator } from "~/models/creator.server";
import { creatorBalances } from "~/models/ledger.server";
import {
  addExchangeRate,
  getStatementSettings,
  periodCreatorStatuses,
  setStatementsExcluded,
  updateStatementSettings,
} from "~/models/statements.server";
import { createRedis, STATEMENTS_QUEUE, statementsJobId, type StatementsJob } from "~/queues.server";
import { deliverStatement, resendStatement } from "~/services/deliver-statement.server";
import { loadStatementSubject, prepareStatement } from "~/services/prepare-statement.server";
import { previewStatement } from "~/services/preview-statement.server";
import { sendPeriodStatements } from "~/services/send-period-statements.server";
import { createStatementMailer, type StatementMailer } from "~/utils/mailer.server";
import { startMailSink, type MailSink, type SinkMessage } from "./mail-sink/mail-sink";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { createTestOrder, payTestEntries, postTestEntry } from "./helpers/ledger-factories";

const FROM = "statements@creator-ledger.test";
const NY = "America/New_York";
const MARCH = "2025-03";
const at = (iso: string) => new Date(iso);
const CUSTOMER_GID = "gid://shopify/Customer/7421983321";
const EMAIL_HASH = "5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99";

let sink: MailSink;
let mailer: StatementMailer;
/** Refuses the next message with this SMTP reply when set. */
let refuseNext: { code: number; message: string } | null = null;
/** Messages to these addresses are held by the server until `expected` of them are held at once (or 3 s pass). */
let holdFor: { addresses: Set<string>; expected: number; held: number; mostAtOnce: number; release: () => void; released: Promise<void> } | null = null;

async function holdMessage(session: SMTPServerSession) {
  const hold = holdFor;
  if (!hold || !session.envelope.rcptTo.some((rcpt) => hold.addresses.has(rcpt.address))) return;
  hold.held += 1;
  hold.mostAtOnce = Math.max(hold.mostAtOnce, hold.held);
  if (hold.held >= hold.expected) hold.release();
  await Promise.race([hold.released, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  hold.held -= 1;
}

beforeAll(async () => {
  sink = await startMailSink({
    onMessage: async (_raw, session) => {
      await holdMessage(session);
      if (!refuseNext) return;
      const error = Object.assign(new Error(refuseNext.message), { responseCode: refuseNext.code });
      refuseNext = null;
      throw error;
    },
  });
  mailer = createStatementMailer(sink.smtpUrl, FROM);
});
afterAll(async () => {
  mailer.close();
  await sink.close();
});

const messagesTo = (email: string) => sink.messages().filter((message) => message.to.includes(email));
const deliveriesOf = (creatorId: string) => prisma.statementDelivery.findMany({ where: { creatorId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

/**
 * Ada's March 2025 (New York): a February commission carried in and paid out in March, then clawed back; the
 * month's retainer; two commissions (the second posted after midnight on April 1st, before statements were due);
 * a deduction.
 */
async function adaInMarch() {
  const shop = await createTestShop({ timezone: NY });
  const ada = await createTestCreator(shop.id, { name: "Ada Lovelace", email: "ada@example.com" });
  const order = (name: string, processedAt: string) =>
    createTestOrder(shop.id, { name, processedAt: at(processedAt), customerGid: CUSTOMER_GID, customerEmailHash: EMAIL_HASH, landingSite: "/?customer=jane.doe@example.com" });
  const february = await order("#0990", "2025-02-10T15:00:00Z");
  const first = await order("#1001", "2025-03-05T17:00:00Z");
  const late = await order("#1002", "2025-03-31T03:30:00Z"); // 23:30 on March 30 in New York

  const feb = await postTestEntry(shop.id, ada.id, {
    amountMinor: 5_000n,
    createdAt: at("2025-02-10T15:01:00Z"),
    availableAt: at("2025-02-20T15:01:00Z"),
    orderId: february.id,
    sourceKey: `order:${february.id}:revenue-share`,
    reason: "10.00% revenue share of $500.00 net merchandise on order #0990",
  });
  await payTestEntries(shop.id, ada.id, [feb], { createdAt: at("2025-03-10T15:00:00Z"), reference: "PP-MARCH" });
  await postTestEntry(shop.id, ada.id, {
    kind: "REVERSAL",
    amountMinor: -5_000n,
    createdAt: at("2025-03-15T12:00:00Z"),
    orderId: february.id,
    sourceKey: `order:${february.id}:revenue-share`,
    reason: "Reverses $50.00 for order #0990: no longer owed",
  });
  await postTestEntry(shop.id, ada.id, { kind: "RETAINER", amountMinor: 30_000n, createdAt: at("2025-03-01T05:10:00Z"), periodKey: MARCH, reason: "March retainer" });
  await postTestEntry(shop.id, ada.id, {
    amountMinor: 1_250n,
    createdAt: at("2025-03-05T17:01:00Z"),
    availableAt: at("2025-04-04T17:01:00Z"),
    orderId: first.id,
    reason: "10.00% revenue share of $125.00 net merchandise on order #1001",
  });
  await postTestEntry(shop.id, ada.id, {
    kind: "CPA",
    amountMinor: 1_200n,
    createdAt: at("2025-04-01T09:00:00Z"), // 05:00 in New York: before 06:00, so it counts in March
    availableAt: at("2025-04-30T09:00:00Z"),
    orderId: late.id,
    reason: "$12.00 CPA for order #1002",
  });
  await postTestEntry(shop.id, ada.id, { kind: "ADJUSTMENT", amountMinor: -300n, createdAt: at("2025-03-20T12:00:00Z"), reason: "Sample not returned" });
  return { shop, ada };
}

const csvRows = (message: SinkMessage) => {
  const csv = message.attachments.find((attachment) => attachment.filename.endsWith(".csv"))!;
  return parse(csv.content.toString("utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
};

describe("a creator's statement", () => {
  it("is emailed once with the period's lines, totals that reconcile with the ledger, a CSV and a PDF, and no customer data", async () => {
    const { shop, ada } = await adaInMarch();
    const outcome = await deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH });
    expect(outcome).toMatchObject({ outcome: "SENT" });

    const [message] = messagesTo("ada@example.com");
    expect(messagesTo("ada@example.com")).toHaveLength(1);
    expect(message!.subject).toBe(`Your ${shop.name} statement for March 2025`);
    expect(message!.from).toContain(FROM);

    // The figures: opening 50.00 (February's unpaid commission); commissions 12.50 + 12.00; the retainer 300.00;
    // the clawback -50.00; the deduction -3.00; the payout -50.00. Closing 271.50: 24.50 pending, 247.00 approved.
    for (const body of [message!.text, message!.html!]) {
      for (const expected of ["#1001", "#1002", "Clawback", "#0990", "March retainer", "Sample not returned", "PP-MARCH", "$50.00", "$271.50", "$24.50", "$247.00"]) {
        expect(body).toContain(expected);
      }
      // What the app knows of the customers stays out: their account, email hash and landing page.
      for (const privateFact of ["7421983321", EMAIL_HASH, "jane.doe"]) expect(body).not.toContain(privateFact);
    }
    const period = statementPeriodByKey(MARCH, NY)!;
    const ledger = await creatorBalances(shop.id, ada.id, period.end);
    expect(ledger).toMatchObject({ pendingMinor: 2_450n, approvedMinor: 24_700n, paidMinor: 5_000n });
    const statement = await prisma.statement.findFirstOrThrow({ where: { creatorId: ada.id } });
    expect(statement.closingMinor).toBe(ledger.pendingMinor + ledger.approvedMinor);
    expect(statement.openingMinor).toBe(5_000n);

    // The CSV parses back and adds up on its own: opening + every line = closing.
    const rows = csvRows(message!);
    const minor = (row: Record<string, string>) => toMinorUnits(row.Amount!, "USD");
    const opening = rows.find((row) => row.Section === "Opening balance")!;
    const closing = rows.find((row) => row.Section === "Closing balance")!;
    const lines = rows.filter((row) => row.Date !== "");
    expect(lines).toHaveLength(6);
    expect(minor(opening) + lines.reduce((sum, row) => sum + minor(row), 0n)).toBe(minor(closing));
    expect(minor(closing)).toBe(27_150n);
    expect(lines.find((row) => row.Order === "#1002")).toMatchObject({ Type: "CPA", Date: "2025-03-30", Status: "Pending", Amount: "12.00" });
    expect(rows.map((row) => Object.values(row).join(" ")).join("\n")).not.toContain("7421983321");
    const pdf = message!.attachments.find((attachment) => attachment.filename === `statement-${MARCH}.pdf`)!;
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.content.subarray(0, 5).toString()).toBe("%PDF-");

    // The delivery log names the message the server holds.
    const [delivery] = await deliveriesOf(ada.id);
    expect(delivery).toMatchObject({ status: "SENT", kind: "ORIGINAL", attempt: 1, toEmail: "ada@example.com", messageId: message!.messageId });
    expect(delivery!.smtpResponse).toMatch(/^250 /);

    // Asked again (a retry, a second sweep, a merchant's Send): nothing more is sent.
    expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH })).toEqual({ outcome: "ALREADY_SENT" });
    expect(messagesTo("ada@example.com")).toHaveLength(1);
  });

  it("shows the shop's logo when the merchant gave an https image, and refuses any other address", async () => {
    const { shop, ada } = await adaInMarch();
    const settings = { cadence: "MONTHLY", autoSend: "on" };
    expect(await updateStatementSettings(shop.id, { ...settings, logoUrl: "http://shop.example/logo.png" })).toEqual({
      ok: false,
      fieldErrors: { logoUrl: expect.stringMatching(/https address of an image/) },
    });
    expect(await updateStatementSettings(shop.id, { ...settings, logoUrl: "javascript:alert(1)" })).toMatchObject({ ok: false });
    expect((await getStatementSettings(shop.id)).logoUrl).toBeNull();

    const logoUrl = "https://cdn.shopify.com/s/files/1/0001/files/logo.png";
    expect(await updateStatementSettings(shop.id, { ...settings, logoUrl })).toEqual({ ok: true });
    expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH })).toMatchObject({ outcome: "SENT" });
    const [message] = messagesTo("ada@example.com").filter((m) => m.html?.includes(shop.name));
    expect(message!.html).toContain(`<img src="${logoUrl}"`);
  });

  it("is in the creator's payout currency at the exchange rate locked when it is generated, and waits for a rate", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const eva = await createTestCreator(shop.id, { name: "Eva", email: "eva@example.com" });
    await prisma.creator.update({ where: { id: eva.id }, data: { payoutCurrency: "EUR" } });
    await postTestEntry(shop.id, eva.id, { amountMinor: 10_001n, createdAt: at("2025-03-03T10:00:00Z"), reason: "Launch post" });

    expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: eva.id, periodKey: MARCH })).toMatchObject({
      outcome: "SKIPPED",
      reason: "NO_EXCHANGE_RATE",
      text: "No exchange rate for EUR: add one in statement settings",
    });
    await addExchangeRate(shop.id, "USD", { currencyCode: "EUR", rate: "0.9" });
    await addExchangeRate(shop.id, "USD", { currencyCode: "eur", rate: "0.92" });
    expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: eva.id, periodKey: MARCH })).toMatchObject({ outcome: "SENT" });
    const [message] = messagesTo("eva@example.com");
    expect(message!.text).toContain("1 USD = 0.92 EUR");
    expect(message!.text).toContain("€92.01"); // 100.01 × 0.92 = 92.0092
    const statement = await prisma.statement.findFirstOrThrow({ where: { creatorId: eva.id } });
    expect([statement.payoutCurrency, statement.fxRate.toFixed(), statement.closingPayoutMinor]).toEqual(["EUR", "0.92", 9_201n]);
    // The merchant's preview shows the statement as generated, at its locked rate.
    const preview = await previewStatement(shop.id, eva.id, MARCH);
    expect(preview).toMatchObject({ ok: true, generated: true, payoutCurrency: "EUR", fxRate: "0.92" });
    expect(preview!.ok && preview!.html).toContain("€92.01");

    // A newer rate changes statements generated from now on, not this one: a resend shows the locked rate.
    await addExchangeRate(shop.id, "USD", { currencyCode: "EUR", rate: "0.95" });
    await resendStatement(mailer, { shopId: shop.id, creatorId: eva.id, periodKey: MARCH, requestKey: crypto.randomUUID() });
    expect(messagesTo("eva@example.com")[1]!.text).toContain("1 USD = 0.92 EUR");
  });

  it("counts an entry posted after statements were due in the next period, which opens where this one closed", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const ben = await createTestCreator(shop.id, { name: "Ben", email: "ben@example.com" });
    const order = await createTestOrder(shop.id, { name: "#2001", processedAt: at("2025-03-31T23:00:00Z") });
    // Statements began long before (the shop's first statement), so the history rule does not apply.
    await prisma.statementSettings.create({ data: { shopId: shop.id, historyCutoffAt: at("2025-01-01T00:00:00Z") } });
    await postTestEntry(shop.id, ben.id, { amountMinor: 700n, createdAt: at("2025-04-01T05:59:00Z"), orderId: order.id });
    await postTestEntry(shop.id, ben.id, { kind: "REVERSAL", amountMinor: -700n, createdAt: at("2025-04-01T06:30:00Z"), orderId: order.id });
    for (const periodKey of [MARCH, "2025-04"]) {
      expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: ben.id, periodKey })).toMatchObject({ outcome: "SENT" });
    }
    const [march, april] = await prisma.statement.findMany({ where: { creatorId: ben.id }, orderBy: { periodStart: "asc" } });
    expect([march!.openingMinor, march!.closingMinor]).toEqual([0n, 700n]);
    expect([april!.openingMinor, april!.closingMinor]).toEqual([700n, 0n]);
  });
});

describe("skipped creators", () => {
  it("are skipped with the reason shown in the delivery log: no email, opted out, excluded, nothing to report", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const make = async (name: string, email: string, extra: { statementsOptOut?: boolean } = {}) => {
      const creator = await createTestCreator(shop.id, { name, email });
      if (extra.statementsOptOut) {
        // As the merchant records it: the creator form's checkbox.
        const form = { name, email, handle: creator.handle, discountCode: creator.discountCodes[0]!.code, statementsOptOut: "on" };
        expect(await updateCreator(shop.id, creator.id, form)).toEqual({ ok: true, creatorId: creator.id });
        expect(await getCreator(shop.id, creator.id)).toMatchObject({ statementsOptOut: true });
      }
      await postTestEntry(shop.id, creator.id, { amountMinor: 1_000n, createdAt: at("2025-03-02T00:00:00Z") });
      return creator;
    };
    const noEmail = await make("No Email", "");
    const optedOut = await make("Opted Out", "out@example.com", { statementsOptOut: true });
    const excluded = await make("Excluded", "excluded@example.com");
    expect(await setStatementsExcluded(shop.id, excluded.id, true)).toBe(true);
    const quiet = await createTestCreator(shop.id, { name: "Quiet", email: "quiet@example.com" });
    const active = await make("Active", "active@example.com");

    const summary = await sendPeriodStatements(mailer, { shopId: shop.id, periodKey: MARCH });
    expect(summary).toMatchObject({ creators: 5, sent: 1, skipped: 4, failed: 0 });
    // A second pass changes nothing and logs nothing new.
    expect(await sendPeriodStatements(mailer, { shopId: shop.id, periodKey: MARCH })).toMatchObject({ alreadySent: 1, skipped: 4 });

    const statuses = await periodCreatorStatuses(shop.id, MARCH);
    const byName = new Map(statuses.map((status) => [status.name, status]));
    expect(byName.get("Active")!.state).toBe("SENT");
    for (const [creator, reason, text] of [
      [noEmail, "NO_EMAIL", "No email address for this creator"],
      [optedOut, "OPTED_OUT", "The creator opted out of statements"],
      [excluded, "EXCLUDED", "Excluded from statements by the shop"],
      [quiet, "NOTHING_TO_REPORT", "Nothing to report: no activity and no balance"],
    ] as const) {
      const status = byName.get(creator.name)!;
      expect(status.state).toBe("SKIPPED");
      expect(status.deliveries).toHaveLength(1);
      expect(status.deliveries[0]).toMatchObject({ status: "SKIPPED", skipReason: reason, error: text });
    }
    expect(sink.messages().filter((message) => message.to.some((to) => to.endsWith("@example.com") && to !== "active@example.com" && /out|excluded|quiet/.test(to)))).toEqual([]);
    expect(messagesTo("active@example.com")).toHaveLength(1);
    void active;
  });
});

describe("a period's run", () => {
  it("sends several creators' statements at once, each once", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const addresses = ["one.at.once@example.com", "two.at.once@example.com", "three.at.once@example.com"];
    for (const [index, email] of addresses.entries()) {
      const creator = await createTestCreator(shop.id, { name: `At once ${index + 1}`, email });
      await postTestEntry(shop.id, creator.id, { amountMinor: 1_000n, createdAt: at("2025-03-02T00:00:00Z") });
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    holdFor = { addresses: new Set(addresses), expected: addresses.length, held: 0, mostAtOnce: 0, release, released };
    try {
      // Sent one after another, each message would wait out the hold alone (3 s) and the server would never hold two.
      expect(await sendPeriodStatements(mailer, { shopId: shop.id, periodKey: MARCH })).toMatchObject({ creators: 3, sent: 3, failed: 0, errors: 0 });
      expect(holdFor.mostAtOnce).toBe(3);
    } finally {
      holdFor = null;
    }
    for (const email of addresses) expect(messagesTo(email)).toHaveLength(1);
    const run = await prisma.statementRun.findUniqueOrThrow({ where: { shopId_periodKey: { shopId: shop.id, periodKey: MARCH } } });
    expect([run.completedAt !== null, run.lastError]).toEqual([true, null]);
  });

  it("records every creator's failure and throws once all were handled, completing the run only on the last attempt", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const addresses = ["refused.run@example.com", "fine.run.1@example.com", "fine.run.2@example.com"];
    for (const [index, email] of addresses.entries()) {
      const creator = await createTestCreator(shop.id, { name: `Run ${index + 1}`, email });
      await postTestEntry(shop.id, creator.id, { amountMinor: 1_000n, createdAt: at("2025-03-02T00:00:00Z") });
    }
    const refusing = await startMailSink({
      onMessage: (_raw, session) => {
        if (session.envelope.rcptTo.some((rcpt) => rcpt.address === "refused.run@example.com")) {
          throw Object.assign(new Error("Mailbox busy"), { responseCode: 450 });
        }
      },
    });
    const refusingMailer = createStatementMailer(refusing.smtpUrl, FROM);
    const key = { shopId_periodKey: { shopId: shop.id, periodKey: MARCH } };
    try {
      const first = sendPeriodStatements(refusingMailer, { shopId: shop.id, periodKey: MARCH });
      await expect(first).rejects.toMatchObject({ name: "StatementsNotSentError", summary: { creators: 3, sent: 2, failed: 1 } });
      expect(await prisma.statementRun.findUniqueOrThrow({ where: key })).toMatchObject({ completedAt: null, lastError: expect.stringContaining("1 of 3") });

      const last = await sendPeriodStatements(refusingMailer, { shopId: shop.id, periodKey: MARCH, lastAttempt: true });
      expect(last).toMatchObject({ creators: 3, sent: 0, alreadySent: 2, failed: 1, firstError: expect.stringContaining("Mailbox busy") });
      const run = await prisma.statementRun.findUniqueOrThrow({ where: key });
      expect(run.completedAt).not.toBeNull();
      expect(run.lastError).toContain("1 of 3 statements were not sent");
      expect(refusing.messages().map((message) => message.to[0]).sort()).toEqual(["fine.run.1@example.com", "fine.run.2@example.com"]);
    } finally {
      refusingMailer.close();
      await refusing.close();
    }
  });
});

describe("exactly once", () => {
  const connection = createRedis({ failFast: false });
  let queue: Queue<StatementsJob>;
  let events: QueueEvents;
  let worker: Worker<StatementsJob>;

  beforeAll(async () => {
    queue = new Queue<StatementsJob>(STATEMENTS_QUEUE, { connection, prefix: process.env.QUEUE_PREFIX });
    events = new QueueEvents(STATEMENTS_QUEUE, { connection: createRedis({ failFast: false }), prefix: process.env.QUEUE_PREFIX });
    await events.waitUntilReady();
    worker = await startStatementsWorker({ queue, connection, mailer, schedule: false });
  });
  afterAll(async () => {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it("a job whose send SMTP refused is retried by BullMQ and sends once", async () => {
    const { shop, ada } = await adaInMarch();
    await prisma.creator.update({ where: { id: ada.id }, data: { email: "ada.retry@example.com" } });
    refuseNext = { code: 451, message: "Try again later" };
    const job = await queue.add("send-period-statements", { kind: "send-period", shopId: shop.id, periodKey: MARCH, requestedBy: null }, {
      jobId: statementsJobId(shop.id, MARCH),
      attempts: 3,
      backoff: { type: "fixed", delay: 10 },
    });
    const result = await job.waitUntilFinished(events);
    expect(result).toMatchObject({ sent: 1, failed: 0 });
    expect(messagesTo("ada.retry@example.com")).toHaveLength(1);
    const deliveries = await deliveriesOf(ada.id);
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempt])).toEqual([
      ["FAILED", 1],
      ["SENT", 2],
    ]);
    expect(deliveries[0]!.error).toContain("451");
    // The same job again (the schedule's sweep, a redeploy): nothing is sent.
    const again = await queue.add("send-period-statements", { kind: "send-period", shopId: shop.id, periodKey: MARCH, requestedBy: null }, { jobId: statementsJobId(shop.id, MARCH, "again") });
    expect(await again.waitUntilFinished(events)).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(messagesTo("ada.retry@example.com")).toHaveLength(1);
    const run = await prisma.statementRun.findUniqueOrThrow({ where: { shopId_periodKey: { shopId: shop.id, periodKey: MARCH } } });
    expect(run.completedAt).not.toBeNull();
  });

  it("two senders at once send one message", async () => {
    const { shop, ada } = await adaInMarch();
    await prisma.creator.update({ where: { id: ada.id }, data: { email: "ada.race@example.com" } });
    const outcomes = await Promise.all([1, 2, 3].map(() => deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH })));
    expect(outcomes.map((outcome) => outcome!.outcome).sort()).toEqual(["ALREADY_SENT", "ALREADY_SENT", "SENT"]);
    expect(messagesTo("ada.race@example.com")).toHaveLength(1);
  });

  it("a sender whose lock connection is lost mid-send fails without crashing, and the statement is not sent again", async () => {
    const { shop, ada } = await adaInMarch();
    await prisma.creator.update({ where: { id: ada.id }, data: { email: "ada.lost@example.com" } });
    const key = `statement:${shop.id}:${ada.id}:${MARCH}`;
    // PostgreSQL ends the connection holding the lock (a restart, idle_session_timeout) once SMTP has the message.
    const losing: StatementMailer = {
      fromAddress: mailer.fromAddress,
      close: () => undefined,
      async send(message) {
        const sent = await mailer.send(message);
        const [ended] = await prisma.$queryRaw<{ terminated: boolean }[]>`
          SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
          WHERE locktype = 'advisory' AND objsubid = 1 AND granted
            AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(${key}, 0)`;
        expect(ended).toEqual({ terminated: true });
        return sent;
      },
    };
    await expect(deliverStatement(losing, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH })).rejects.toThrow();
    expect(messagesTo("ada.lost@example.com")).toHaveLength(1);
    expect((await deliveriesOf(ada.id)).map((delivery) => delivery.status)).toEqual(["SENDING"]);

    // The next sender gets the lock at once, and finds a send that was never recorded.
    expect(await deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH })).toMatchObject({ outcome: "UNCONFIRMED" });
    expect(messagesTo("ada.lost@example.com")).toHaveLength(1);
    expect((await deliveriesOf(ada.id)).map((delivery) => delivery.status)).toEqual(["UNCONFIRMED"]);
  });

  it("a resend is explicit, logged as its own delivery, and a double submit sends once", async () => {
    const { shop, ada } = await adaInMarch();
    await prisma.creator.update({ where: { id: ada.id }, data: { email: "ada.resend@example.com" } });
    const requestKey = crypto.randomUUID();
    expect(await resendStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH, requestKey })).toEqual({ outcome: "NOT_GENERATED" });
    await deliverStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH });
    const resent = await resendStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH, requestKey, requestedBy: "staff-42" });
    expect(resent).toMatchObject({ outcome: "SENT" });
    expect(await resendStatement(mailer, { shopId: shop.id, creatorId: ada.id, periodKey: MARCH, requestKey })).toMatchObject({ outcome: "DUPLICATE" });
    const messages = messagesTo("ada.resend@example.com");
    expect(messages).toHaveLength(2);
    expect(messages[1]!.messageId).not.toBe(messages[0]!.messageId);
    expect(messages[1]!.html).toBe(messages[0]!.html);
    const deliveries = await deliveriesOf(ada.id);
    expect(deliveries.map((delivery) => [delivery.kind, delivery.status, delivery.attempt, delivery.requestedBy])).toEqual([
      ["ORIGINAL", "SENT", 1, null],
      ["RESEND", "SENT", 2, "staff-42"],
    ]);
  });
});

describe("tenant isolation", () => {
  it("a shop cannot preview, send or resend another shop's statements", async () => {
    const { shop, ada } = await adaInMarch();
    const other = await createTestShop();
    expect(await loadStatementSubject(other.id, ada.id, MARCH)).toBeNull();
    expect(await deliverStatement(mailer, { shopId: other.id, creatorId: ada.id, periodKey: MARCH })).toBeNull();
    expect(await resendStatement(mailer, { shopId: other.id, creatorId: ada.id, periodKey: MARCH, requestKey: crypto.randomUUID() })).toBeNull();
    expect(await setStatementsExcluded(other.id, ada.id, true)).toBeNull();
    expect(await periodCreatorStatuses(other.id, MARCH)).toEqual([]);
    const subject = await loadStatementSubject(shop.id, ada.id, MARCH);
    expect(await prepareStatement(subject!, { generate: false })).toMatchObject({ ok: true, row: null });
    expect(await prisma.statement.count({ where: { creatorId: ada.id } })).toBe(0);
  });
});
