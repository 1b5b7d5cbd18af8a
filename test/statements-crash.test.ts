// The crash between sending and recording, for real: a worker process sends a creator's statement and is killed
// (SIGKILL) while the SMTP server holds the message, before it can record that it was sent. BullMQ hands the job to
// another worker, which must not send it again: the attempt becomes UNCONFIRMED, visible to the merchant, and only
// their explicit Resend sends a second message.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { QueueEvents, type Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-statements-crash-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { startStatementsWorker } from "~/jobs/statements-worker.server";
import { createRedis, createStatementsQueue, STATEMENTS_QUEUE, statementsJobId, type StatementsJob } from "~/queues.server";
import { resendStatement } from "~/services/deliver-statement.server";
import { createStatementMailer } from "~/utils/mailer.server";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { postTestEntry } from "./helpers/ledger-factories";
import { startMailSink, type MailSink } from "./mail-sink/mail-sink";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FROM = "statements@creator-ledger.test";
const PERIOD = "2025-03";

describe("a worker killed between sending a statement and recording it", () => {
  let sink: MailSink;
  let child: ChildProcess | null = null;
  let childExited: Promise<unknown> | null = null;
  let killOnNextMessage = false;
  const connection = createRedis({ failFast: false });
  const queue = createStatementsQueue(connection);
  let events: QueueEvents;
  let takeover: Worker<StatementsJob> | null = null;

  beforeAll(async () => {
    sink = await startMailSink({
      // The server has the whole message; the sender dies before it hears back, let alone records anything.
      onMessage: async () => {
        if (!killOnNextMessage || !child) return;
        killOnNextMessage = false;
        child.kill("SIGKILL");
        await childExited;
      },
    });
    events = new QueueEvents(STATEMENTS_QUEUE, { connection: createRedis({ failFast: false }), prefix: process.env.QUEUE_PREFIX });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await takeover?.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    await sink.close();
  });

  it("sends the statement once; the next worker marks it unconfirmed; only the merchant's resend sends it again", async () => {
    const shop = await createTestShop({ timezone: "UTC" });
    const creator = await createTestCreator(shop.id, { name: "Cleo", email: "cleo@example.com" });
    await postTestEntry(shop.id, creator.id, { amountMinor: 4_200n, createdAt: new Date("2025-03-12T10:00:00Z"), reason: "Spring campaign" });

    child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/statements-worker-process.ts"], {
      cwd: ROOT,
      env: { ...process.env, SMTP_URL: sink.smtpUrl, STATEMENTS_FROM: FROM, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    childExited = once(child, "exit");
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) if (line.includes("statements worker ready")) break;

    killOnNextMessage = true;
    const job = await queue.add(
      "send-period-statements",
      { kind: "send-period", shopId: shop.id, periodKey: PERIOD, requestedBy: null },
      { jobId: statementsJobId(shop.id, PERIOD), attempts: 2, backoff: { type: "fixed", delay: 10 } },
    );
    const [exitCode, signal] = (await childExited) as [number | null, NodeJS.Signals | null];
    expect([exitCode, signal]).toEqual([null, "SIGKILL"]);
    const [sent] = await sink.waitForMessages(1);
    expect(sink.messages()).toHaveLength(1);
    const [left] = await prisma.statementDelivery.findMany({ where: { creatorId: creator.id } });
    expect(left).toMatchObject({ status: "SENDING", messageId: sent!.messageId });

    // Another worker takes the job over once the dead one's lock lapses (BullMQ's stalled-job check).
    takeover = await startStatementsWorker({ queue, connection, mailer: createStatementMailer(sink.smtpUrl, FROM), schedule: false, stalledIntervalMs: 250 });
    expect(await job.waitUntilFinished(events)).toMatchObject({ sent: 0, unconfirmed: 1 });
    expect(sink.messages()).toHaveLength(1);
    const [unconfirmed] = await prisma.statementDelivery.findMany({ where: { creatorId: creator.id } });
    expect(unconfirmed).toMatchObject({ status: "UNCONFIRMED", messageId: sent!.messageId, attempt: 1 });
    expect(unconfirmed!.error).toMatch(/may have this statement/);

    // Later passes (the sweep, a redeploy, the merchant's Send now) leave it alone.
    const again = await queue.add("send-period-statements", { kind: "send-period", shopId: shop.id, periodKey: PERIOD, requestedBy: null }, { jobId: statementsJobId(shop.id, PERIOD, "redeploy") });
    expect(await again.waitUntilFinished(events)).toMatchObject({ sent: 0, unconfirmed: 1 });
    expect(sink.messages()).toHaveLength(1);

    // The merchant resends it explicitly: a second message, logged as its own delivery.
    const mailer = createStatementMailer(sink.smtpUrl, FROM);
    expect(await resendStatement(mailer, { shopId: shop.id, creatorId: creator.id, periodKey: PERIOD, requestKey: crypto.randomUUID() })).toMatchObject({ outcome: "SENT" });
    mailer.close();
    expect(sink.messages()).toHaveLength(2);
    const deliveries = await prisma.statementDelivery.findMany({ where: { creatorId: creator.id }, orderBy: { attempt: "asc" } });
    expect(deliveries.map((delivery) => [delivery.kind, delivery.status, delivery.attempt])).toEqual([
      ["ORIGINAL", "UNCONFIRMED", 1],
      ["RESEND", "SENT", 2],
    ]);
  });
});
