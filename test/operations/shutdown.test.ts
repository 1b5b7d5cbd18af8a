// SIGTERM (a deploy, a scale-down) while work is in flight: the worker finishes the job it holds before it exits,
// and the web process stops taking connections but answers the request it is reading. Both run as the real
// processes (the commands of `npm run worker` and `npm start`, over the production build), the way they are deployed.
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { COMMISSIONS_QUEUE, createRedis, INBOX_QUEUE, inboxJobId, settleJobId, type SettleCreatorPeriodJob } from "~/queues.server";
import { ensureSharedProductionBuild, packageScriptCommand } from "../support/e2e-app";
import { freePort, startService, type Service } from "../support/processes";
import { createTestCreator, createTestShop } from "../helpers/factories";
import { sampleOrder } from "../helpers/shopify-samples";
import { signedWebhookRequest } from "../helpers/webhooks";

const ROOT = join(import.meta.dirname, "..", "..");
const QUEUE_PREFIX = `test-shutdown-${process.pid}-${Date.now()}`;
const appEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", QUEUE_PREFIX, LOG_LEVEL: "info" };
const services: Service[] = [];
// The package scripts' commands run directly: npm, on SIGTERM, passes the signal on and then kills itself with it,
// so its exit would not say how the process it ran ended.
const NODE = join(ROOT, "node_modules", ".bin", "node");
const WORKER = packageScriptCommand("worker");
const WEB = packageScriptCommand("start");

// Web and worker run from build/ (build/server, build/worker), built here when the sources are newer.
beforeAll(() => ensureSharedProductionBuild(ROOT, "auto"), 300_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop(5_000)));
});

/** A creator's pay period with a change to settle (what an order or a contract change leaves on the to-do list). */
async function periodToSettle(): Promise<SettleCreatorPeriodJob> {
  const shop = await createTestShop();
  const creator = await createTestCreator(shop.id);
  const period = await prisma.creatorPeriod.create({ data: { shopId: shop.id, creatorId: creator.id, periodKey: "2026-01", changeVersion: 1 } });
  return { shopId: shop.id, creatorId: creator.id, periodKey: period.periodKey, changeVersion: period.changeVersion };
}

const periodRow = (period: SettleCreatorPeriodJob) =>
  prisma.creatorPeriod.findUniqueOrThrow({ where: { creatorId_periodKey: { creatorId: period.creatorId, periodKey: period.periodKey } } });

/**
 * A worker process running a settlement that cannot finish until `release()`: the test holds the period's advisory
 * lock, which the settlement takes first.
 */
async function workerBusyWithASettlement(extraEnv: Record<string, string> = {}) {
  const period = await periodToSettle();
  const connection = createRedis({ failFast: false });
  const queue = new Queue<SettleCreatorPeriodJob>(COMMISSIONS_QUEUE, { connection, prefix: QUEUE_PREFIX });
  const worker = startService({ name: "worker", command: NODE, args: WORKER.args, cwd: ROOT, env: { ...appEnv, ...extraEnv, ...WORKER.env } });
  services.push(worker);
  await worker.waitForLine(/worker started/, 60_000);

  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockHeld = new Promise<void>((resolve) => (locked = resolve));
  const holder = prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`period/${period.creatorId}/${period.periodKey}`}, 0))`;
      locked();
      await released;
    },
    { timeout: 120_000 },
  );
  await lockHeld;
  const jobId = settleJobId(period);
  await queue.add("settle-creator-period", period, { jobId });
  await vi.waitFor(async () => expect(await queue.getJobState(jobId)).toBe("active"), { timeout: 30_000, interval: 100 });
  const cleanUp = async () => {
    release();
    await holder;
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  };
  return { period, queue, worker, jobId, release, holder, cleanUp };
}

describe("the worker on SIGTERM", () => {
  it("finishes the job it is running, then exits cleanly", async () => {
    const busy = await workerBusyWithASettlement();
    const { period, queue, worker, jobId } = busy;
    try {
      process.kill(-worker.child.pid!, "SIGTERM");
      await worker.waitForLine(/worker stopping/, 10_000);
      // Still waiting for its job: the worker has not gone anywhere, and the period is not settled yet.
      expect(worker.exitInfo).toBeNull();
      expect(await periodRow(period)).toMatchObject({ settledVersion: 0 });

      busy.release();
      await busy.holder;
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      const settled = await periodRow(period);
      expect(settled.settledVersion).toBe(settled.changeVersion);
      // Completed, not failed nor left active for another worker to redo.
      expect(await queue.getJobState(jobId)).toBe("completed");
    } finally {
      await busy.cleanUp();
    }
  }, 120_000);

  it("leaves a job that outlives the shutdown deadline to the queue, unfinished and unfailed, and exits", async () => {
    const busy = await workerBusyWithASettlement({ WORKER_SHUTDOWN_DEADLINE_MS: "1500" });
    const { period, queue, worker, jobId } = busy;
    try {
      process.kill(-worker.child.pid!, "SIGTERM");
      await worker.waitForLine(/shutdown deadline/, 10_000);
      expect(await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000))])).toEqual({ code: 0, signal: null });
      // Nothing of the job committed, and it was not marked failed: its lock expires and another worker runs it.
      expect(await periodRow(period)).toMatchObject({ settledVersion: 0 });
      expect(await queue.getJobState(jobId)).toBe("active");
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${worker.tail(30)}`);
    } finally {
      await busy.cleanUp();
    }
  }, 120_000);
});

/** Opens a fresh TCP connection to the port; rejects when nothing accepts it. */
function connects(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("the web process on SIGTERM", () => {
  it("refuses new connections but answers the request it is reading", async () => {
    const shop = await createTestShop();
    const port = await freePort();
    const web = startService({ name: "web", command: NODE, args: WEB.args, cwd: ROOT, env: { ...appEnv, ...WEB.env, PORT: String(port) } });
    services.push(web);
    await web.waitForLine(/web listening on/, 60_000);

    // A webhook whose body is still arriving when the signal comes.
    const eventId = randomUUID();
    const signed = signedWebhookRequest({ topic: "orders/create", shop: shop.domain, body: sampleOrder({}), eventId });
    const body = Buffer.from(await signed.arrayBuffer());
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/webhooks",
      method: "POST",
      headers: { ...Object.fromEntries(signed.headers), "content-length": String(body.length), expect: "100-continue" },
    });
    const answered = new Promise<number>((resolve, reject) => {
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on("error", reject);
    });
    // The server sends 100 Continue once it has read the headers and handed the request to the app.
    await new Promise<void>((resolve) => request.once("continue", resolve));
    request.write(body.subarray(0, 100));

    process.kill(-web.child.pid!, "SIGTERM");
    try {
      // A new connection each time (fetch would reuse a kept-alive one, which is not a new client arriving).
      await vi.waitFor(() => expect(connects(port)).rejects.toThrow(/ECONNREFUSED/), { timeout: 10_000, interval: 100 });

      request.end(body.subarray(100));
      expect(await answered).toBe(200);
      expect(await prisma.inboxEvent.count({ where: { shopDomain: shop.domain, eventId } })).toBe(1);
      expect(await web.exited).toMatchObject({ code: 0 });
      // Its Redis handle closed only after the answer: the wake-up job is queued, not left to the inbox sweeper.
      const connection = createRedis({ failFast: false });
      const inbox = new Queue(INBOX_QUEUE, { connection, prefix: QUEUE_PREFIX });
      try {
        expect(await inbox.getJobState(inboxJobId({ shopDomain: shop.domain, eventId }))).toBe("waiting");
      } finally {
        await inbox.obliterate({ force: true });
        await inbox.close();
        connection.disconnect();
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${web.tail(30)}`);
    }
  }, 300_000);
});
