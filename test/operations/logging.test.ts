// What the web and worker processes log, read from their real output: a webhook and an admin action served over
// HTTP, an inbox job and a statement job run by the real workers, all carrying a customer's and a creator's personal
// data and every kind of secret. Every line says which request or job it belongs to; none of them repeats a secret.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-logging-${process.pid}-${Date.now()}`;
  // Other tests keep the logs quiet; these read them.
  process.env.LOG_LEVEL = "info";
});

import { prisma } from "~/db.server";
import { startInboxWorker } from "~/jobs/inbox-worker.server";
import { startStatementsWorker } from "~/jobs/statements-worker.server";
import { createCommissionsQueue, createInboxQueue, createRedis, createStatementsQueue, statementsJobId } from "~/queues.server";
import { action as createCreatorAction } from "~/routes/app.creators.new";
import { action as webhookAction } from "~/routes/webhooks._index";
import { logger } from "~/utils/logger.server";
import type { StatementMailer } from "~/utils/mailer.server";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { adminRequest, callRoute, storeOfflineSession } from "../helpers/admin-requests";
import { postTestEntry } from "../helpers/ledger-factories";
import { sampleOrder } from "../helpers/shopify-samples";
import { signedWebhookRequest } from "../helpers/webhooks";

const CUSTOMER = { email: "wilhelmina.logsworth@example.net", phone: "+15145550147", first: "Wilhelmina", last: "Logsworth", street: "12 Quiet Harbour Road" };
const CREATOR_EMAIL = "creator.private@example.org";
const SMTP_PASSWORD = "Sm7pPa55w0rd";
const SECRETS = [CUSTOMER.email, CUSTOMER.phone, CUSTOMER.first, CUSTOMER.last, CUSTOMER.street, CREATOR_EMAIL, SMTP_PASSWORD, "shpat_", "eyJ", process.env.SHOPIFY_API_SECRET!];

interface LogLine {
  msg: string;
  requestId?: string;
  jobId?: string;
  queue?: string;
  [key: string]: unknown;
}

let lines: string[] = [];
let restoreStdout: () => void;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // Read, not echoed: the test's output stays readable.
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  }) as typeof process.stdout.write);
  restoreStdout = () => spy.mockRestore();

  // A plain node:http server in front of the app's route modules, as the web server is: the request id is Node's doing.
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const request = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : [])),
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const route = url.pathname === "/webhooks" ? webhookAction : createCreatorAction;
    const { status, response } = await callRoute(route as never, request);
    res.writeHead(status, response ? Object.fromEntries(response.headers) : {}).end(response ? Buffer.from(await response.arrayBuffer()) : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  restoreStdout?.();
  await new Promise((resolve) => server?.close(resolve));
});

const logLines = (): LogLine[] =>
  lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      return typeof parsed.msg === "string" ? [parsed] : [];
    } catch {
      return [];
    }
  });

function expectNoSecrets() {
  const leaks = lines.flatMap((line) => SECRETS.filter((secret) => line.includes(secret)).map((secret) => `${secret} in ${line}`));
  expect(leaks).toEqual([]);
}

/** Sends a Request the tests built to the HTTP server, as the network would deliver it. */
async function overHttp(request: Request, path: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}${path}`, {
    method: request.method,
    redirect: "manual",
    // A browser's user agent: Shopify's library turns bots (Node's fetch says "node") away from admin routes.
    headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", ...Object.fromEntries(request.headers), ...headers },
    body: request.method === "GET" ? undefined : await request.arrayBuffer(),
  });
}

function customersOrder() {
  const order = sampleOrder({ customerId: 90_210 });
  const address = { first_name: CUSTOMER.first, last_name: CUSTOMER.last, address1: CUSTOMER.street, phone: CUSTOMER.phone };
  Object.assign(order, { email: CUSTOMER.email, contact_email: CUSTOMER.email, phone: CUSTOMER.phone, shipping_address: { ...order.shipping_address, ...address } });
  order.customer = { ...order.customer, email: CUSTOMER.email, first_name: CUSTOMER.first, last_name: CUSTOMER.last, phone: CUSTOMER.phone };
  return order;
}

describe("logs", () => {
  const connection = createRedis({ failFast: false });
  const inboxQueue = createInboxQueue(connection);
  const commissionsQueue = createCommissionsQueue(connection);
  const statementsQueue = createStatementsQueue(connection);
  const workers: Worker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([inboxQueue.obliterate({ force: true }), commissionsQueue.obliterate({ force: true }), statementsQueue.obliterate({ force: true })]);
    await Promise.all([inboxQueue.close(), commissionsQueue.close(), statementsQueue.close()]);
    connection.disconnect();
  });

  it("a webhook and an admin action: one line per request with its id (given or made), no query string, no secret", async () => {
    lines = [];
    const shop = await createTestShop();
    await storeOfflineSession(shop.domain);
    const eventId = randomUUID();
    const webhook = () => signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: customersOrder(), eventId });
    const first = await overHttp(webhook(), "/webhooks", { "X-Request-Id": "edge-4f1c9a" });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-request-id")).toBe("edge-4f1c9a");
    // Shopify delivers again: acknowledged, and said so in the log.
    const again = await overHttp(webhook(), "/webhooks");
    const againId = again.headers.get("x-request-id");
    expect(againId).toMatch(/^[0-9a-f-]{36}$/);

    const admin = adminRequest(shop.domain, "/app/creators/new", {
      form: { name: "Private Creator", email: CREATOR_EMAIL, handle: "private", discountCode: "PRIVATE10", revenueSharePercent: "10", referrerDomains: "", customerGid: "" },
    });
    const token = admin.headers.get("authorization")!.slice("Bearer ".length);
    // Embedded admin URLs carry the session token and Shopify's hmac in their query string.
    const created = await overHttp(admin, `/app/creators/new?shop=${shop.domain}&hmac=deadbeef&id_token=${token}&email=${encodeURIComponent(CREATOR_EMAIL)}`);
    expect(created.status).toBeLessThan(400);
    const adminId = created.headers.get("x-request-id");

    await vi.waitFor(() => expect(logLines().filter((line) => line.msg === "request served")).toHaveLength(3));
    const served = logLines().filter((line) => line.msg === "request served");
    expect(served.map(({ requestId, method, path }) => ({ requestId, method, path }))).toEqual([
      { requestId: "edge-4f1c9a", method: "POST", path: "/webhooks" },
      { requestId: againId, method: "POST", path: "/webhooks" },
      { requestId: adminId, method: "POST", path: "/app/creators/new" },
    ]);
    // A line logged by the app's own code while handling the request carries the request's id.
    expect(logLines().find((line) => line.msg === "duplicate delivery acknowledged")).toMatchObject({ requestId: againId, shopDomain: shop.domain });
    expectNoSecrets();
  });

  it("an inbox job and a statement job: every line names the job; a failure's error keeps no secret", async () => {
    lines = [];
    workers.push(await startInboxWorker({ db: prisma, queue: inboxQueue, commissionsQueue, connection, sweepEveryMs: 3_600_000 }));
    const shop = await createTestShop();
    // An order Shopify sent that the app cannot read (no money on it): the job fails for good, and says why.
    const unreadable = customersOrder();
    delete unreadable.current_subtotal_price_set;
    delete unreadable.subtotal_price_set;
    const eventId = randomUUID();
    // The worker's first sweep may also pick up other test files' stale events (the database is shared): this one's.
    const isThisInboxFailure = (line: LogLine) =>
      line.queue === "inbox" && line.msg === "job failed" && String(line.jobId).includes(eventId.replace(/[^A-Za-z0-9_.-]/g, "_"));
    expect((await overHttp(signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: unreadable, eventId }), "/webhooks")).status).toBe(200);

    // A statement whose delivery SMTP refuses, quoting the recipient and the connection string it used.
    const creator = await createTestCreator(shop.id, { email: CREATOR_EMAIL });
    await postTestEntry(shop.id, creator.id, { kind: "RETAINER", amountMinor: 30_000n, createdAt: new Date("2025-03-02T12:00:00Z"), periodKey: "2025-03", reason: "March retainer" });
    const refusing: StatementMailer = {
      fromAddress: "statements@example.com",
      send: async () => {
        throw Object.assign(new Error(`Can't send mail via smtp://statements:${SMTP_PASSWORD}@smtp.example.com: 550 5.1.1 <${CREATOR_EMAIL}>: Recipient address rejected`), { code: "EENVELOPE", responseCode: 550 });
      },
      close: () => undefined,
    };
    workers.push(await startStatementsWorker({ queue: statementsQueue, connection, mailer: refusing, schedule: false }));
    const statementJobId = statementsJobId(shop.id, "2025-03");
    await statementsQueue.add("send-period-statements", { kind: "send-period", shopId: shop.id, periodKey: "2025-03", requestedBy: null }, { jobId: statementJobId, attempts: 1 });

    await vi.waitFor(
      () => {
        expect(logLines().some(isThisInboxFailure)).toBe(true);
        expect(logLines().some((line) => line.jobId === statementJobId && line.msg === "statement not sent")).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(logLines().find(isThisInboxFailure)).toMatchObject({ jobName: "process-inbox-event", attemptsMade: 1 });
    expect(logLines().find((line) => line.msg === "statement not sent")).toMatchObject({ queue: "statements", jobId: statementJobId, attemptsMade: 0 });
    expectNoSecrets();
  });

  it("the logger censors secrets wherever a line carries them: by key, and by their look in any text", () => {
    lines = [];
    const token = adminRequest("x.myshopify.com", "/app").headers.get("authorization")!;
    logger.warn(
      {
        headers: { authorization: token, "x-shopify-hmac-sha256": "c2VjcmV0aG1hYw==" },
        customer: { email: CUSTOMER.email, first_name: CUSTOMER.first },
        order: { shipping_address: { address1: CUSTOMER.street }, phone: CUSTOMER.phone },
        smtp: { auth: { user: "statements", pass: SMTP_PASSWORD } },
        err: new Error(`550 <${CREATOR_EMAIL}> rejected by smtp://statements:${SMTP_PASSWORD}@smtp.example.com; token shpat_0123abcd, ${token}`),
      },
      `could not reach ${CUSTOMER.email.replace("@", "%40")}`,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("c2VjcmV0aG1hYw==");
    expectNoSecrets();
    expect(JSON.parse(lines[0]!)).toMatchObject({ customer: "[redacted]", msg: "could not reach [email]" });
  });
});
