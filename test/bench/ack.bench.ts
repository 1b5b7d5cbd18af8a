// Webhook acknowledgement: signed orders/create deliveries at rising concurrency against the app's web process
// (the web server over the production build: HMAC, inbox row, enqueue), then against a bare node:http server doing
// the same work (bare-webhook-server.ts), the ceiling. The worker is not running: this measures the acknowledgement
// alone (the end-to-end bench runs both). Every delivery is a new event (fresh X-Shopify-Event-Id), so every one is
// a real insert; the rows are counted afterwards to prove it.
import { prisma } from "~/db.server";
import { appEnv, BENCH_API_SECRET, deleteQueueKeys, MemorySampler, startBenchScript, startWeb } from "./bench-env";
import { queuePrefix, type BenchContext } from "./context";
import { benchCode, createBenchCreators, createBenchShop } from "./fixtures";
import { postWebhooks, type LoadResult } from "./load";
import { orderWebhookFactory } from "./order-webhooks";
import type { Measurement } from "./report";

export const ACK_TARGET = { perSecond: 2_000, p99Ms: 25 };
export const WEB_RSS_TARGET_MB = 250;

export async function benchAck(context: BenchContext): Promise<Measurement[]> {
  const { sizes, log } = context;
  const shop = await createBenchShop("ack");
  await createBenchCreators(shop.id, 10);
  const prefix = queuePrefix(context, "ack");
  const env = appEnv(context.databaseUrl, prefix);
  const factory = orderWebhookFactory({ shopDomain: shop.domain, secret: BENCH_API_SECRET });
  const bodies = Array.from({ length: 1_000 }, (_, n) => factory.delivery(n, benchCode((n % 10) + 1)));
  let sent = 0;
  const next = () => factory.redeliver(bodies[sent++ % bodies.length]!);

  const servers = [
    { name: "app", start: () => startWeb(env) },
    { name: "bare", start: () => startBenchScript("bare-webhook-server", "test/bench/bare-webhook-server.ts", env) },
  ] as const;
  const levels: Record<(typeof servers)[number]["name"], LoadResult[]> = { app: [], bare: [] };
  let webPeakMb = 0;
  let acknowledged = 0;
  try {
    for (const server of servers) {
      const running = await server.start();
      const sampler = new MemorySampler([running.process]).start();
      try {
        log(`ack: ${server.name} warming up`);
        acknowledged += (await postWebhooks({ url: running.url, connections: 8, seconds: 2, next })).acknowledged;
        for (const connections of sizes.ackConnections) {
          const result = await postWebhooks({ url: running.url, connections, seconds: sizes.ackSecondsPerLevel, next });
          acknowledged += result.acknowledged;
          levels[server.name].push(result);
          log(`ack: ${server.name} ${connections} connections: ${Math.round(result.perSecond)}/s p50 ${result.p50Ms} ms p99 ${result.p99Ms} ms` +
            (result.non2xx || result.errors ? ` (${result.non2xx} non-2xx, ${result.errors} errors)` : ""));
        }
      } finally {
        const peaks = sampler.stop();
        if (server.name === "app") webPeakMb = peaks.get(running.process.name) ?? 0;
        await running.process.stop();
      }
    }
    // At least one row per acknowledgement (requests still in flight when a level's time ran out are stored but
    // not counted by the load generator), and never more rows than deliveries sent.
    const stored = await prisma.inboxEvent.count({ where: { shopDomain: shop.domain } });
    if (stored < acknowledged || stored > sent) throw new Error(`${acknowledged} of ${sent} deliveries were acknowledged but ${stored} inbox rows exist`);
  } finally {
    // Nobody will process these: the end-to-end bench's worker must not find them.
    await prisma.inboxEvent.deleteMany({ where: { shopDomain: shop.domain } });
    await deleteQueueKeys(prefix);
  }

  const measurements: Measurement[] = [];
  levels.app.forEach((app, index) => {
    const bare = levels.bare[index]!;
    const details = { connections: app.connections, acknowledged: app.acknowledged, non2xx: app.non2xx, errors: app.errors, seconds: Math.round(app.seconds) };
    measurements.push(
      { bench: "ack", name: `throughput, ${app.connections} conn.`, value: app.perSecond, unit: "req/s", limit: { name: "bare node", value: bare.perSecond }, details },
      { bench: "ack", name: `p50 latency, ${app.connections} conn.`, value: app.p50Ms, unit: "ms", limit: { name: "bare node", value: bare.p50Ms } },
      { bench: "ack", name: `p99 latency, ${app.connections} conn.`, value: app.p99Ms, unit: "ms", limit: { name: "bare node", value: bare.p99Ms } },
    );
  });
  // The target: the best throughput at which p99 still stays within 25 ms.
  const withinLatency = (results: LoadResult[]) =>
    results.filter((result) => result.p99Ms <= ACK_TARGET.p99Ms && result.non2xx + result.errors === 0).reduce((best, result) => Math.max(best, result.perSecond), 0);
  measurements.push(
    {
      bench: "ack",
      name: `best throughput with p99 ≤ ${ACK_TARGET.p99Ms} ms`,
      value: withinLatency(levels.app),
      unit: "req/s",
      limit: { name: "bare node", value: withinLatency(levels.bare) },
      target: { op: ">=", value: ACK_TARGET.perSecond },
    },
    { bench: "ack", name: "web peak RSS under ack load", value: webPeakMb, unit: "MB", target: { op: "<=", value: WEB_RSS_TARGET_MB } },
  );
  return measurements;
}
