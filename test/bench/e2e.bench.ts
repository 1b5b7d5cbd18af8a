// End to end: N signed orders/create deliveries (each crediting one of the creators by discount code) sent to the
// web process as fast as 32 connections go, while the worker processes them. An order is done when its inbox row is
// processed, its attribution is decided and its ledger entry exists (or it is held for review: the code-burst rule
// holds a code's orders past its 20th in an hour), and the shop has no RollupChange left (its rollups are rebuilt). Measured:
// sustained orders/s from the first delivery to the last order done, the worst and p99 inbox lag (received →
// processed), and how long the pipeline took to drain after the last acknowledgement. The ceiling: how many
// single-row INSERT + COMMITs this PostgreSQL takes per second (every order needs at least two commits: the inbox
// row, then the transaction that processes it).
import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { WEB_RSS_TARGET_MB } from "./ack.bench";
import { appEnv, BENCH_API_SECRET, deleteQueueKeys, MemorySampler, startWeb, startWorker } from "./bench-env";
import { singleRowCommitRate } from "./commit-rate";
import { queuePrefix, type BenchContext } from "./context";
import { benchCode, createBenchCreators, createBenchShop } from "./fixtures";
import { postWebhooks } from "./load";
import { orderWebhookFactory } from "./order-webhooks";
import type { Measurement } from "./report";

export const E2E_TARGET_PER_SECOND = 1_000;
export const WORKER_RSS_TARGET_MB = 300;
const CONNECTIONS = 32;
/** Give up when nothing moved for this long. */
const STALL_MS = 120_000;

interface Progress {
  processed: number;
  ordersSettled: number;
  heldForReview: number;
  rollupChanges: number;
}

async function progress(shop: Shop): Promise<Progress> {
  // An order is settled once attributed and either in the ledger or held for review: at 100k orders a code takes ~100
  // orders within the hour, and the code-burst rule holds each one past its 20th (no commission until reviewed).
  const [row] = await prisma.$queryRaw<{ processed: bigint; settled: bigint; held: bigint; changes: bigint }[]>`
    SELECT
      (SELECT count(*) FROM "InboxEvent" WHERE "shopDomain" = ${shop.domain} AND "processedAt" IS NOT NULL) AS processed,
      (SELECT count(*) FROM "Attribution" a WHERE a."shopId" = ${shop.id}::uuid
         AND (a."reviewStatus" = 'PENDING' OR EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."orderId" = a."orderId"))) AS settled,
      (SELECT count(*) FROM "Attribution" a WHERE a."shopId" = ${shop.id}::uuid AND a."reviewStatus" = 'PENDING') AS held,
      (SELECT count(*) FROM "RollupChange" WHERE "shopId" = ${shop.id}::uuid) AS changes`;
  return {
    processed: Number(row!.processed),
    ordersSettled: Number(row!.settled),
    heldForReview: Number(row!.held),
    rollupChanges: Number(row!.changes),
  };
}

export async function benchEndToEnd(context: BenchContext): Promise<Measurement[]> {
  const { sizes, log } = context;
  const commitSeconds = 5;
  const commitRates = [];
  for (const connections of [1, 16]) commitRates.push({ connections, perSecond: await singleRowCommitRate(context.databaseUrl, connections, commitSeconds) });
  log(`e2e: PostgreSQL single-row insert+commit: ${commitRates.map((rate) => `${Math.round(rate.perSecond)}/s at ${rate.connections} conn.`).join(", ")}`);
  const commitLimit = Math.max(...commitRates.map((rate) => rate.perSecond));
  const measurements: Measurement[] = commitRates.map((rate) => ({
    bench: "e2e",
    name: `PostgreSQL single-row insert+commit, ${rate.connections} conn.`,
    value: rate.perSecond,
    unit: "commits/s",
    details: { seconds: commitSeconds },
  }));
  for (const orders of sizes.e2eOrders) {
    measurements.push(...(await runOnce(context, orders, commitLimit)));
    measurements.push(await drainOnce(context, orders));
  }
  return measurements;
}

/** Waits until the shop's orders are all done (processed, in the ledger, rollups rebuilt); answers when. */
async function waitUntilDone(shop: Shop, orders: number, log: (line: string) => void): Promise<number> {
  let last: Progress = { processed: 0, ordersSettled: 0, heldForReview: 0, rollupChanges: 0 };
  let lastMoved = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await progress(shop);
    if (now.processed >= orders && now.ordersSettled >= orders && now.rollupChanges === 0) return Date.now();
    if (now.processed !== last.processed || now.ordersSettled !== last.ordersSettled || now.rollupChanges !== last.rollupChanges) lastMoved = Date.now();
    if (Date.now() - lastMoved > STALL_MS) throw new Error(`e2e stalled: ${JSON.stringify(now)} of ${orders} orders`);
    if (now.processed !== last.processed && now.processed % 1_000 < last.processed % 1_000) log(`e2e: ${now.processed}/${orders} processed, ${now.rollupChanges} rollup changes waiting`);
    last = now;
  }
}

/**
 * The worker alone: the orders are acknowledged into the inbox first (no worker running), then a worker starts and
 * drains it. On a small machine the end-to-end run shares the cores with the web process and its load, so this is
 * the worker's own rate: from the first event it processed to the last order done (rollups included).
 */
async function drainOnce(context: BenchContext, orders: number): Promise<Measurement> {
  const { sizes, log } = context;
  const shop = await createBenchShop(`drain-${orders}`);
  await createBenchCreators(shop.id, sizes.e2eCreators);
  const prefix = queuePrefix(context, `drain-${orders}`);
  const env = appEnv(context.databaseUrl, prefix);
  const web = await startWeb(env);
  const factory = orderWebhookFactory({ shopDomain: shop.domain, secret: BENCH_API_SECRET });
  let sent = 0;
  const next = () => {
    const n = sent++;
    return factory.delivery(n, benchCode((n % sizes.e2eCreators) + 1));
  };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    log(`e2e: ${orders} orders into the inbox, then a worker drains it`);
    const load = await postWebhooks({ url: web.url, connections: CONNECTIONS, amount: orders, next });
    if (load.acknowledged !== orders) throw new Error(`${load.acknowledged} of ${orders} deliveries were acknowledged (${load.non2xx} non-2xx, ${load.errors} errors)`);
    await web.process.stop();
    const startedAt = Date.now();
    worker = await startWorker(env, "drain-worker");
    const ready = Date.now();
    const doneAt = await waitUntilDone(shop, orders, log);
    // From the first event the worker processed: its start-up (loading modules, connections) is not part of its rate.
    const [first] = await prisma.$queryRaw<{ at: Date }[]>`
      SELECT min("processedAt") AS at FROM "InboxEvent" WHERE "shopDomain" = ${shop.domain}`;
    const seconds = (doneAt - first!.at.getTime()) / 1_000;
    log(`e2e: worker drained ${orders} orders in ${seconds.toFixed(1)} s = ${Math.round(orders / seconds)}/s (start-up ${((ready - startedAt) / 1_000).toFixed(1)} s)`);
    return {
      bench: "e2e",
      name: `worker drain, ${orders.toLocaleString("en-US")} orders`,
      value: orders / seconds,
      unit: "orders/s",
      target: { op: ">=", value: E2E_TARGET_PER_SECOND },
      details: { orders, creators: sizes.e2eCreators, seconds: Number(seconds.toFixed(1)), startupSeconds: Number(((ready - startedAt) / 1_000).toFixed(1)) },
    };
  } finally {
    await web.process.stop();
    await worker?.stop();
    await deleteQueueKeys(prefix);
  }
}

async function runOnce(context: BenchContext, orders: number, commitLimit: number): Promise<Measurement[]> {
  const { sizes, log } = context;
  const shop = await createBenchShop(`e2e-${orders}`);
  await createBenchCreators(shop.id, sizes.e2eCreators);
  const prefix = queuePrefix(context, `e2e-${orders}`);
  const env = appEnv(context.databaseUrl, prefix);
  const web = await startWeb(env);
  const worker = await startWorker(env);
  const sampler = new MemorySampler([web.process, worker]).start();
  const factory = orderWebhookFactory({ shopDomain: shop.domain, secret: BENCH_API_SECRET });
  let sent = 0;
  const next = () => {
    const n = sent++;
    return factory.delivery(n, benchCode((n % sizes.e2eCreators) + 1));
  };

  try {
    log(`e2e: ${orders} orders over ${CONNECTIONS} connections, ${sizes.e2eCreators} creators`);
    const sending = postWebhooks({ url: web.url, connections: CONNECTIONS, amount: orders, next });
    let last: Progress = { processed: 0, ordersSettled: 0, heldForReview: 0, rollupChanges: 0 };
    let lastMoved = Date.now();
    let maxRollupBacklog = 0;
    let load: Awaited<typeof sending> | undefined;
    void sending.then((result) => (load = result));
    let doneAt: number;
    let heldForReview = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await progress(shop);
      maxRollupBacklog = Math.max(maxRollupBacklog, now.rollupChanges);
      if (load && now.processed >= orders && now.ordersSettled >= orders && now.rollupChanges === 0) {
        doneAt = Date.now();
        heldForReview = now.heldForReview;
        break;
      }
      if (now.processed !== last.processed || now.ordersSettled !== last.ordersSettled || now.rollupChanges !== last.rollupChanges) lastMoved = Date.now();
      if (Date.now() - lastMoved > STALL_MS) throw new Error(`e2e stalled: ${JSON.stringify(now)} of ${orders} orders`);
      if (now.processed !== last.processed && now.processed % 1_000 < last.processed % 1_000) log(`e2e: ${now.processed}/${orders} processed, ${now.rollupChanges} rollup changes waiting`);
      last = now;
    }
    const sentLoad = await sending;
    if (sentLoad.acknowledged !== orders) throw new Error(`${sentLoad.acknowledged} of ${orders} deliveries were acknowledged (${sentLoad.non2xx} non-2xx, ${sentLoad.errors} errors)`);
    const [lag] = await prisma.$queryRaw<{ worst: number; p99: number; p50: number }[]>`
      SELECT
        extract(epoch FROM max("processedAt" - "receivedAt"))::float8 AS worst,
        extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY "processedAt" - "receivedAt"))::float8 AS p99,
        extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY "processedAt" - "receivedAt"))::float8 AS p50
      FROM "InboxEvent" WHERE "shopDomain" = ${shop.domain}`;
    const seconds = (doneAt - sentLoad.startedAt.getTime()) / 1_000;
    const drainSeconds = Math.max(0, (doneAt - sentLoad.finishedAt.getTime()) / 1_000);
    const peaks = sampler.stop();
    const perSecond = orders / seconds;
    log(`e2e: ${orders} orders in ${seconds.toFixed(1)} s = ${Math.round(perSecond)}/s; acks ${Math.round(sentLoad.perSecond)}/s; worst lag ${lag!.worst.toFixed(1)} s; ${heldForReview} held for review`);
    const label = `${orders.toLocaleString("en-US")} orders`;
    return [
      {
        bench: "e2e",
        name: `sustained, ${label}`,
        value: perSecond,
        unit: "orders/s",
        limit: { name: "single-row commits", value: commitLimit },
        target: { op: ">=", value: E2E_TARGET_PER_SECOND },
        details: { orders, creators: sizes.e2eCreators, connections: CONNECTIONS, seconds: Number(seconds.toFixed(1)), ackPerSecond: Math.round(sentLoad.perSecond), maxRollupBacklog, heldForReview },
      },
      { bench: "e2e", name: `worst inbox lag, ${label}`, value: lag!.worst, unit: "s", details: { p50: Number(lag!.p50.toFixed(2)), p99: Number(lag!.p99.toFixed(2)) } },
      { bench: "e2e", name: `drain after last ack, ${label}`, value: drainSeconds, unit: "s" },
      { bench: "e2e", name: `web peak RSS, ${label}`, value: peaks.get(web.process.name) ?? 0, unit: "MB", target: { op: "<=", value: WEB_RSS_TARGET_MB } },
      { bench: "e2e", name: `worker peak RSS, ${label}`, value: peaks.get(worker.name) ?? 0, unit: "MB", target: { op: "<=", value: WORKER_RSS_TARGET_MB } },
    ];
  } finally {
    sampler.stop();
    await web.process.stop();
    await worker.stop();
    await deleteQueueKeys(prefix);
  }
}
