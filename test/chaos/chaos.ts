// The chaos run (issue #9): the app as production runs it — web (`npm start` over build/) and worker
// (`npm run worker`) as child processes — on a PostgreSQL cluster and a Redis server of its own, fed a seeded store
// history with duplicates, reordering and forged signatures, while the worker is SIGKILLed and restarted, Redis is
// restarted empty and PostgreSQL is stopped. Deliveries retry like Shopify (same event id, backoff on anything but
// a 2xx). Afterwards every event must have been processed exactly once and the ledger must equal the oracle's
// recomputation to the cent. `npm run chaos` and test/chaos.test.ts both call runChaos.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureSharedProductionBuild } from "../support/e2e-app";
import { createMigratedDatabase } from "../support/database";
import { freePort, startService, waitForHttp, type ExitInfo, type Service } from "../support/processes";
import type { CreatorSeed } from "../support/seed";
import { WebhookDeliverer, type Delivery } from "../simulator/delivery";
import { expectedLedger, orderGid, periodEntryKey, type ExpectedLedger } from "./oracle";
import { PrivatePostgres, PrivateRedis } from "./private-services";
import { buildScenario, CHAOS_API_VERSION, CHAOS_CREATORS, type ChaosCreator, type ChaosScenario, type ChaosShop, type PlannedDelivery } from "./scenario";

export interface ChaosOptions {
  orders: number;
  seed: number;
  /** Worker SIGKILLs (each followed by a restart). */
  kills: number;
  /** Redis restarts with nothing kept; the last comes after the last kill, so no fresh worker start hides a loss. */
  redisRestarts: number;
  /** How long PostgreSQL stays down (0: not stopped). */
  postgresDownMs: number;
  /** The delivery stream lasts at least this long, so that the faults fall among deliveries. */
  streamMs: number;
  /** Give up waiting for the pipeline to drain after this long. */
  settleTimeoutMs: number;
  /** Where the processes' logs go. */
  artifacts: string;
  build: "auto" | "always" | "never";
  log: (line: string) => void;
}

export const DEFAULT_CHAOS_OPTIONS: Omit<ChaosOptions, "artifacts" | "log"> = {
  orders: 60,
  seed: 9,
  kills: 3,
  redisRestarts: 2,
  postgresDownMs: 4_000,
  streamMs: 30_000,
  settleTimeoutMs: 120_000,
  build: "auto",
};

export interface ChaosReport {
  seed: number;
  orders: number;
  events: number;
  deliveries: number;
  duplicates: number;
  reordered: number;
  /** Forged deliveries sent, and how many were answered 401 (all must be), and stored (none may be). */
  forged: number;
  forgedRejected401: number;
  forgedStored: number;
  /** Every HTTP attempt, and the 5xx among them while PostgreSQL was down (Shopify retries those). */
  attempts: number;
  serverErrorsWhilePostgresDown: number;
  serverErrorsOtherwise: number;
  /** Deliveries that got a 5xx (or no answer) and were acknowledged on a later retry. */
  retriedToSuccess: number;
  /** A 2xx answered while PostgreSQL was down: an acknowledgement without a durable write. Must be 0. */
  acknowledgedWhilePostgresDown: number;
  /** Deliveries still without a 2xx after every retry. */
  unacknowledged: number;
  workerKills: number;
  redisRestarts: number;
  postgresStops: number;
  /** Seconds from the last delivery until every event was processed and every period settled. */
  drainSeconds: number | null;
  lost: number;
  duplicated: number;
  ledgerMismatches: number;
  ordersInWrongState: number;
  leaks: string[];
  /** What went wrong, in words (empty when all is well). */
  problems: string[];
  ledgerTotalMinor: string;
  seconds: number;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOP: ChaosShop = { domain: "", name: "Chaos Store", currencyCode: "USD", timezone: "America/New_York" };
const API_KEY = "chaos-api-key";
const SCOPES = "read_orders,read_discounts,write_discounts,read_customers,read_products";

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const startedAt = Date.now();
  const run = randomBytes(3).toString("hex");
  const log = options.log;
  const shop: ChaosShop = { ...SHOP, domain: `chaos-${run}.myshopify.com` };
  const secret = `chaos-secret-${run}`;
  const queuePrefix = `chaos-${run}`;
  mkdirSync(options.artifacts, { recursive: true });
  const logFile = (name: string) => join(options.artifacts, `${name}.log`);

  const scenario = buildScenario({ shop, secret, orders: options.orders, seed: options.seed });
  log(`scenario: ${scenario.counts.events} events for ${scenario.orders.length} orders, ${scenario.counts.deliveries} deliveries`);

  const faults = new Faults();
  let postgres: PrivatePostgres | undefined;
  let redis: PrivateRedis | undefined;
  let verifier: pg.Pool | undefined;
  const services: Service[] = [];
  let report: ChaosReport | undefined;
  try {
    const [built, cluster, redisServer] = await Promise.all([
      // The e2e files' lock: side by side in the suite they would otherwise build into the same build/ folder.
      ensureSharedProductionBuild(ROOT, options.build).then(() => "ready"),
      PrivatePostgres.create(),
      PrivateRedis.create((generation) => logFile(`redis-${generation}`)),
    ]);
    postgres = cluster;
    redis = redisServer;
    log(`build/ ${built}; private PostgreSQL on :${postgres.port}, Redis on :${redis.port}`);
    const databaseUrl = await createMigratedDatabase(postgres.url, "creator_ledger_chaos", ROOT);
    verifier = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // Queries fail while PostgreSQL is down on purpose; an idle client's error must not end this process.
    verifier.on("error", () => undefined);

    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: "http://localhost:3000",
      SCOPES,
      LOG_LEVEL: "info",
    };
    const shopId = await seedShop(appEnv, shop);

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const web = startService({ name: "web", command: "npm", args: ["--silent", "start"], cwd: ROOT, env: { ...appEnv, PORT: String(webPort) }, logFile: logFile("web"), keepLines: 200 });
    services.push(web);
    const workers = new WorkerProcesses(appEnv, logFile);
    const firstWorker = workers.start();
    services.push(firstWorker);
    await Promise.all([waitForHttp(`${webUrl}/webhooks`, { service: web, timeoutMs: 90_000 }), firstWorker.waitForLine(/worker started/, 90_000)]);
    log(`web on ${webUrl}, worker started; delivering`);

    const deliverer = new WebhookDeliverer({
      appUrl: webUrl,
      secret,
      shopDomain: shop.domain,
      apiVersion: CHAOS_API_VERSION,
      concurrency: 4,
      timeoutMs: 10_000,
      // Shopify's shape (exponential backoff, same event id), compressed: 0.5 s doubling to 8 s, 12 retries.
      retry: { retries: 12, initialDelayMs: 500, factor: 2, maxDelayMs: 8_000 },
    });
    const forgedAnswers: number[] = [];
    const streamMs = Math.max(options.streamMs, scenario.deliveries.length * 25);
    const streamStart = Date.now();
    const faultRun = faults.run(
      planFaults(options, streamMs),
      streamStart,
      { workers, services, redis, postgres, log },
    );
    const sent: Delivery[] = [];
    for (const [index, planned] of scenario.deliveries.entries()) {
      await sleepUntil(streamStart + (index * streamMs) / scenario.deliveries.length);
      if (planned.kind === "forged") forgedAnswers.push(await sendForged(webUrl, planned));
      else sent.push(deliverer.enqueue({ topic: planned.event.topic, payload: JSON.parse(planned.event.body), eventId: planned.event.eventId, triggeredAt: planned.event.occurredAt }));
    }
    await faultRun;
    await deliverer.idle();
    const lastDeliveryAt = Date.now();
    log(`stream done: ${deliverer.summary().delivered} delivered, ${deliverer.summary().failed} failed; waiting for the pipeline to drain`);

    const drained = await waitForDrain(verifier, shop.domain, shopId, scenario, options.settleTimeoutMs, log);
    const drainSeconds = drained ? (Date.now() - lastDeliveryAt) / 1_000 : null;
    const checks = await verify(verifier, shop, shopId, scenario, expectedLedger(scenario.orders, CHAOS_CREATORS, shop.timezone));
    const runtimeLeaks = await runtimeLeakChecks(verifier, redis.url, queuePrefix);
    const http = httpCounts(sent, faults.postgresDown);

    report = {
      seed: options.seed,
      orders: scenario.orders.length,
      events: scenario.counts.events,
      deliveries: scenario.counts.deliveries,
      duplicates: scenario.counts.duplicates,
      reordered: scenario.counts.reordered,
      forged: scenario.counts.forged,
      forgedRejected401: forgedAnswers.filter((status) => status === 401).length,
      forgedStored: checks.forgedStored,
      attempts: http.attempts + forgedAnswers.length,
      serverErrorsWhilePostgresDown: http.serverErrorsWhileDown,
      serverErrorsOtherwise: http.serverErrorsOtherwise,
      retriedToSuccess: http.retriedToSuccess,
      acknowledgedWhilePostgresDown: http.acknowledgedWhileDown,
      unacknowledged: sent.filter((delivery) => delivery.state !== "delivered").length,
      workerKills: faults.workerKills,
      redisRestarts: faults.redisRestarts,
      postgresStops: faults.postgresDown.length,
      drainSeconds,
      lost: checks.lost,
      duplicated: checks.duplicated,
      ledgerMismatches: checks.ledgerMismatches,
      ordersInWrongState: checks.ordersInWrongState,
      leaks: runtimeLeaks,
      problems: [...(drained ? [] : [`the pipeline did not drain within ${options.settleTimeoutMs / 1000} s`]), ...checks.problems],
      ledgerTotalMinor: checks.ledgerTotalMinor.toString(),
      seconds: 0,
    };
    if (!drained || checks.problems.length) {
      for (const service of services) log(service.tail(15));
    }
  } finally {
    faults.stop();
    const exits = await stopAll(services);
    await verifier?.end().catch(() => undefined);
    await redis?.destroy();
    await postgres?.destroy();
    const afterLeaks = [
      ...exits.filter(({ info }) => info.signal === "SIGKILL").map(({ name }) => `${name} did not stop within 10 s of SIGTERM (killed)`),
      ...services.filter((service) => processAlive(service.child.pid)).map((service) => `${service.name} (pid ${service.child.pid}) still running`),
      ...(postgres && !postgres.removed ? ["the private PostgreSQL directory was not removed"] : []),
      ...(redis && !redis.removed ? ["the private Redis directory was not removed"] : []),
    ];
    if (report) report.leaks.push(...afterLeaks);
  }
  report.seconds = Math.round((Date.now() - startedAt) / 1_000);
  return report;
}

/** The shop as installed, and the chaos creators with their contracts, written through the app's own models. */
async function seedShop(appEnv: NodeJS.ProcessEnv, shop: ChaosShop): Promise<string> {
  // The models connect on import, to whatever DATABASE_URL names then; nothing else in this process uses them.
  for (const name of ["DATABASE_URL", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES", "QUEUE_PREFIX", "REDIS_URL"]) {
    process.env[name] = appEnv[name];
  }
  const seed = await import("../support/seed");
  const { installShop } = await import("~/models/shop.server");
  const { termsForModel } = await import("~/domain/commissions/contract-presets");
  try {
    // No offline session: the worker then never calls Shopify (journeys, reconciliation), which is not here.
    const row = await installShop(shop);
    const creators: CreatorSeed[] = CHAOS_CREATORS.map((creator) => ({
      name: creator.name,
      email: `${creator.handle}@chaos.test`,
      handle: creator.handle,
      referrerDomains: [],
      discountCode: creator.code,
      revenueSharePercent: percentOf(creator),
      segments: { platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "chaos" },
      contract:
        creator.contract.model === "CPA"
          ? { model: "CPA", terms: termsForModel("CPA", { amountMinor: creator.contract.amountMinor, newCustomersOnly: false }) }
          : { model: "REVENUE_SHARE", terms: termsForModel("REVENUE_SHARE", { percent: percentOf(creator), capPerPeriodMinor: creator.contract.capPerPeriodMinor }) },
    }));
    const { created } = await seed.seedCreators(row.id, creators);
    if (created.length !== creators.length) throw new Error(`Seeded ${created.length} of ${creators.length} creators`);
    return row.id;
  } finally {
    await seed.disconnect();
  }
}

function percentOf(creator: ChaosCreator): string {
  const basisPoints = creator.contract.model === "REVENUE_SHARE" ? creator.contract.basisPoints : 1_000n;
  return `${basisPoints / 100n}.${String(basisPoints % 100n).padStart(2, "0")}`;
}

/** The worker processes of the run, one at a time: each SIGKILL is followed by a new one. */
class WorkerProcesses {
  current: Service | undefined;
  private generation = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: (name: string) => string,
  ) {}

  start(): Service {
    this.generation += 1;
    const name = `worker-${this.generation}`;
    this.current = startService({ name, command: "npm", args: ["--silent", "run", "worker"], cwd: ROOT, env: this.env, logFile: this.logFile(name), keepLines: 200 });
    return this.current;
  }
}

type Fault =
  | { at: number; kind: "kill-worker" }
  | { at: number; kind: "restart-redis" }
  | { at: number; kind: "stop-postgres"; downMs: number };

/**
 * Kills spread over the first two thirds of the stream, PostgreSQL stopped at 70%, Redis restarted between kills and
 * once more at 88%, after the last kill, so that only the app's own recovery can bring back what Redis lost.
 */
export function planFaults(options: Pick<ChaosOptions, "kills" | "redisRestarts" | "postgresDownMs">, streamMs: number): Fault[] {
  const faults: Fault[] = [];
  for (let i = 0; i < options.kills; i++) faults.push({ at: (0.1 + (0.55 * i) / Math.max(1, options.kills - 1 || 1)) * streamMs, kind: "kill-worker" });
  for (let i = 0; i < options.redisRestarts; i++) {
    const at = i === options.redisRestarts - 1 ? 0.88 : 0.2 + (0.4 * (i + 1)) / options.redisRestarts;
    faults.push({ at: at * streamMs, kind: "restart-redis" });
  }
  if (options.postgresDownMs > 0) faults.push({ at: 0.7 * streamMs, kind: "stop-postgres", downMs: options.postgresDownMs });
  return faults.sort((a, b) => a.at - b.at);
}

interface FaultTargets {
  workers: WorkerProcesses;
  services: Service[];
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  log: (line: string) => void;
}

/** Carries out the faults one after another, at their times; remembers when PostgreSQL was down. */
class Faults {
  workerKills = 0;
  redisRestarts = 0;
  readonly postgresDown: { from: number; to: number }[] = [];
  private stopped = false;

  async run(plan: readonly Fault[], start: number, targets: FaultTargets): Promise<void> {
    for (const fault of plan) {
      await sleepUntil(start + fault.at);
      if (this.stopped) return;
      const t = ((Date.now() - start) / 1_000).toFixed(1);
      switch (fault.kind) {
        case "kill-worker": {
          await this.killWorker(targets);
          targets.log(`[${t}s] worker SIGKILLed (${this.workerKills}); a new one is starting`);
          break;
        }
        case "restart-redis":
          await targets.redis.restart(1_000);
          this.redisRestarts += 1;
          targets.log(`[${t}s] Redis restarted empty (${this.redisRestarts})`);
          break;
        case "stop-postgres": {
          await targets.postgres.stop("immediate");
          const from = Date.now();
          targets.log(`[${t}s] PostgreSQL stopped (immediate) for ${fault.downMs / 1000} s`);
          // A worker that boots during the outage must wait it out, not die.
          await this.killWorker(targets);
          const bootedInOutage = targets.workers.current!;
          targets.log(`[${t}s] worker SIGKILLed (${this.workerKills}); a new one boots while PostgreSQL is down`);
          await new Promise((resolve) => setTimeout(resolve, fault.downMs));
          const to = Date.now();
          this.postgresDown.push({ from, to });
          await targets.postgres.start();
          targets.log(`[${((Date.now() - start) / 1_000).toFixed(1)}s] PostgreSQL started again`);
          await bootedInOutage.waitForLine(/worker started/, 90_000);
          if (bootedInOutage.exitInfo) throw new Error(`the worker booted during the outage exited\n${bootedInOutage.tail(30)}`);
          break;
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** Killed while it works, not while it boots: a kill during start-up tests nothing new. */
  private async killWorker(targets: FaultTargets): Promise<void> {
    const worker = targets.workers.current!;
    await worker.waitForLine(/worker started/, 90_000);
    process.kill(-worker.child.pid!, "SIGKILL");
    await worker.exited;
    this.workerKills += 1;
    targets.services.push(targets.workers.start());
  }
}

/** A forged delivery: sent once, as Shopify never would; the answer must be 401. */
async function sendForged(webUrl: string, planned: PlannedDelivery): Promise<number> {
  try {
    const response = await fetch(`${webUrl}/webhooks`, { method: "POST", headers: planned.forged!.headers, body: planned.forged!.body, signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  } catch {
    return 0;
  }
}

function httpCounts(deliveries: readonly Delivery[], down: readonly { from: number; to: number }[]) {
  let attempts = 0;
  let serverErrorsWhileDown = 0;
  let serverErrorsOtherwise = 0;
  let acknowledgedWhileDown = 0;
  let retriedToSuccess = 0;
  for (const delivery of deliveries) {
    let failedBefore = false;
    for (const attempt of delivery.attempts) {
      attempts += 1;
      const started = Date.parse(attempt.startedAt);
      const ended = started + attempt.durationMs;
      const whileDown = down.some((window) => started >= window.from && ended <= window.to);
      const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
      if (ok && whileDown) acknowledgedWhileDown += 1;
      if (attempt.status !== null && attempt.status >= 500) {
        const overlapsDown = down.some((window) => started <= window.to + 2_000 && ended >= window.from - 2_000);
        if (overlapsDown) serverErrorsWhileDown += 1;
        else serverErrorsOtherwise += 1;
      }
      if (ok && failedBefore) retriedToSuccess += 1;
      if (!ok) failedBefore = true;
    }
  }
  return { attempts, serverErrorsWhileDown, serverErrorsOtherwise, acknowledgedWhileDown, retriedToSuccess };
}

/** Waits until every event is stored and processed, every pay period settled and every rollup change rebuilt. */
async function waitForDrain(db: pg.Pool, shopDomain: string, shopId: string, scenario: ChaosScenario, timeoutMs: number, log: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastLine = "";
  let lastLoggedAt = 0;
  while (Date.now() < deadline) {
    try {
      const { rows } = await db.query<{ stored: string; unprocessed: string; unsettled: string; rollups: string }>(
        `SELECT
           (SELECT count(*) FROM "InboxEvent" WHERE "shopDomain" = $1) AS stored,
           (SELECT count(*) FROM "InboxEvent" WHERE "shopDomain" = $1 AND "processedAt" IS NULL) AS unprocessed,
           (SELECT count(*) FROM "CreatorPeriod" WHERE "shopId" = $2 AND "settledVersion" < "changeVersion") AS unsettled,
           (SELECT count(*) FROM "RollupChange" WHERE "shopId" = $2) AS rollups`,
        [shopDomain, shopId],
      );
      const row = rows[0]!;
      const line = `${row.stored}/${scenario.counts.events} events stored, ${row.unprocessed} unprocessed, ${row.unsettled} periods unsettled, ${row.rollups} rollup changes`;
      if (Number(row.stored) >= scenario.counts.events && row.unprocessed === "0" && row.unsettled === "0" && row.rollups === "0") {
        log(`drained: ${line}`);
        return true;
      }
      if (line !== lastLine && Date.now() - lastLoggedAt > 5_000) {
        log(`draining: ${line}`);
        lastLine = line;
        lastLoggedAt = Date.now();
      }
    } catch {
      // PostgreSQL restarting: ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

interface Checks {
  lost: number;
  duplicated: number;
  ledgerMismatches: number;
  ordersInWrongState: number;
  forgedStored: number;
  ledgerTotalMinor: bigint;
  problems: string[];
}

async function verify(db: pg.Pool, shop: ChaosShop, shopId: string, scenario: ChaosScenario, expected: ExpectedLedger): Promise<Checks> {
  const problems: string[] = [];
  const inbox = await db.query<{ eventId: string; processed: boolean; attempts: number; lastError: string | null }>(
    `SELECT "eventId", "processedAt" IS NOT NULL AS processed, attempts, "lastError" FROM "InboxEvent" WHERE "shopDomain" = $1`,
    [shop.domain],
  );
  const rowsById = new Map<string, typeof inbox.rows>();
  for (const row of inbox.rows) rowsById.set(row.eventId, [...(rowsById.get(row.eventId) ?? []), row]);
  const valid = new Set(scenario.events.map((event) => event.eventId));
  let lost = 0;
  for (const event of scenario.events) {
    const rows = rowsById.get(event.eventId) ?? [];
    if (rows.length === 0 || !rows[0]!.processed) {
      lost += 1;
      problems.push(`event ${event.eventId} (${event.topic} of order ${event.orderId}) ${rows.length === 0 ? "was never stored" : `is unprocessed: ${rows[0]!.lastError ?? "no error"}`}`);
    }
  }
  const forgedIds = new Set(scenario.deliveries.filter((delivery) => delivery.kind === "forged" && !valid.has(delivery.event.eventId)).map((delivery) => delivery.event.eventId));
  const forgedStored = inbox.rows.filter((row) => forgedIds.has(row.eventId)).length;
  const strangers = inbox.rows.filter((row) => !valid.has(row.eventId) && !forgedIds.has(row.eventId)).length;
  if (forgedStored) problems.push(`${forgedStored} forged deliveries were stored`);
  if (strangers) problems.push(`${strangers} inbox rows match no delivered event`);
  let duplicated = [...rowsById.values()].reduce((sum, rows) => sum + rows.length - 1, 0);

  const ledger = await db.query<{ handle: string; gid: string | null; periodKey: string; sourceKey: string; kind: string; amountMinor: string; reason: string; idempotencyKey: string }>(
    `SELECT c.handle, o."shopifyOrderGid" AS gid, l."periodKey", l."sourceKey", l.kind::text, l."amountMinor"::text, l.reason,
            l."idempotencyKey"
     FROM "LedgerEntry" l JOIN "Creator" c ON c.id = l."creatorId" LEFT JOIN "Order" o ON o.id = l."orderId"
     WHERE l."shopId" = $1`,
    [shopId],
  );
  // A double post is an entry posted while its source still has one standing: the app reverses what stands before
  // posting anew, so a source's entries net to zero before each posting. The same entry posted again after its
  // reversal is not one: a period whose facts change and change back (an order placed, then cancelled, with the cap
  // settled in between) rightly reverses its cap adjustment and posts the same one again. A source's entries are
  // numbered in posting order (idempotency key "<source>#<n>").
  const postingNumber = (entry: { idempotencyKey: string }) => Number(entry.idempotencyKey.slice(entry.idempotencyKey.lastIndexOf("#") + 1));
  const bySource = new Map<string, typeof ledger.rows>();
  for (const entry of ledger.rows) {
    const source = [entry.handle, entry.gid, entry.periodKey, entry.sourceKey].join("|");
    bySource.set(source, [...(bySource.get(source) ?? []), entry]);
  }
  for (const [source, entries] of bySource) {
    let standing = 0n;
    for (const entry of entries.sort((a, b) => postingNumber(a) - postingNumber(b))) {
      if (entry.kind !== "REVERSAL" && standing !== 0n) {
        duplicated += 1;
        problems.push(`ledger entry posted over a standing one: ${source}|${entry.kind}|${entry.amountMinor}|${entry.reason}`);
      }
      standing += BigInt(entry.amountMinor);
    }
  }
  const actualOrders = new Map<string, Map<string, bigint>>();
  const actualPeriods = new Map<string, bigint>();
  const actualCreators = new Map<string, bigint>();
  let ledgerTotalMinor = 0n;
  for (const entry of ledger.rows) {
    const amount = BigInt(entry.amountMinor);
    ledgerTotalMinor += amount;
    actualCreators.set(entry.handle, (actualCreators.get(entry.handle) ?? 0n) + amount);
    if (entry.gid) {
      const perCreator = actualOrders.get(entry.gid) ?? new Map<string, bigint>();
      perCreator.set(entry.handle, (perCreator.get(entry.handle) ?? 0n) + amount);
      actualOrders.set(entry.gid, perCreator);
    } else {
      const key = periodEntryKey(entry.handle, entry.periodKey);
      actualPeriods.set(key, (actualPeriods.get(key) ?? 0n) + amount);
    }
  }
  let ledgerMismatches = 0;
  const compare = (what: string, want: bigint, got: bigint) => {
    if (want === got) return;
    ledgerMismatches += 1;
    problems.push(`${what}: expected ${want}, ledger holds ${got}`);
  };
  for (const gid of new Set([...expected.orders.keys(), ...actualOrders.keys()])) {
    const want = expected.orders.get(gid) ?? new Map<string, bigint>();
    const got = actualOrders.get(gid) ?? new Map<string, bigint>();
    for (const handle of new Set([...want.keys(), ...got.keys()])) compare(`order ${gid}, ${handle}`, want.get(handle) ?? 0n, got.get(handle) ?? 0n);
  }
  for (const key of new Set([...expected.periods.keys(), ...actualPeriods.keys()])) compare(`period entries ${key}`, expected.periods.get(key) ?? 0n, actualPeriods.get(key) ?? 0n);
  for (const creator of CHAOS_CREATORS) compare(`creator ${creator.handle} in all`, expected.creators.get(creator.handle) ?? 0n, actualCreators.get(creator.handle) ?? 0n);

  // The stored order is the newest version whatever order the events came in.
  const orders = await db.query<{ gid: string; net: string; cancelled: boolean }>(
    `SELECT "shopifyOrderGid" AS gid, "netMerchandiseMinor"::text AS net, "cancelledAt" IS NOT NULL AS cancelled FROM "Order" WHERE "shopId" = $1`,
    [shopId],
  );
  const stored = new Map(orders.rows.map((row) => [row.gid, row]));
  let ordersInWrongState = 0;
  for (const order of scenario.orders) {
    const row = stored.get(orderGid(order));
    const net = order.lines.reduce((sum, line) => sum + line.priceMinor * line.quantity - line.discountMinor - line.refundedSubtotalMinor, 0);
    if (!row || BigInt(row.net) !== BigInt(net) || row.cancelled !== (order.cancelledAt !== null)) {
      ordersInWrongState += 1;
      problems.push(`order ${orderGid(order)} stored as ${row ? `net ${row.net}, cancelled ${row.cancelled}` : "nothing"}; final is net ${net}, cancelled ${order.cancelledAt !== null}`);
    }
  }
  const refunds = await db.query<{ count: string }>(`SELECT count(*) FROM "Refund" WHERE "shopId" = $1`, [shopId]);
  const refundCount = scenario.orders.reduce((sum, order) => sum + order.refunds.length, 0);
  if (Number(refunds.rows[0]!.count) !== refundCount) {
    problems.push(`${refunds.rows[0]!.count} refunds stored, ${refundCount} made`);
    if (Number(refunds.rows[0]!.count) < refundCount) lost += refundCount - Number(refunds.rows[0]!.count);
    else duplicated += Number(refunds.rows[0]!.count) - refundCount;
  }
  return { lost, duplicated, ledgerMismatches, ordersInWrongState, forgedStored, ledgerTotalMinor, problems };
}

/** Once drained: nothing may hold a transaction, a lock or a job. */
async function runtimeLeakChecks(db: pg.Pool, redisUrl: string, queuePrefix: string): Promise<string[]> {
  const leaks: string[] = [];
  const idle = await db.query<{ count: string }>(
    `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
  );
  if (idle.rows[0]!.count !== "0") leaks.push(`${idle.rows[0]!.count} PostgreSQL sessions idle in a transaction`);
  const locks = await db.query<{ count: string }>(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`);
  if (locks.rows[0]!.count !== "0") leaks.push(`${locks.rows[0]!.count} advisory locks held`);
  const { Queue } = await import("bullmq");
  const { Redis } = await import("ioredis");
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const name of ["inbox", "commissions", "reporting"]) {
      const queue = new Queue(name, { connection, prefix: queuePrefix });
      const counts = await queue.getJobCounts("active", "wait", "prioritized");
      await queue.close();
      const busy = (counts.active ?? 0) + (counts.wait ?? 0) + (counts.prioritized ?? 0);
      if (busy) leaks.push(`${busy} ${name} jobs still queued or active after the drain`);
    }
  } finally {
    connection.disconnect();
  }
  return leaks;
}

async function stopAll(services: readonly Service[]): Promise<{ name: string; info: ExitInfo }[]> {
  const exits: { name: string; info: ExitInfo }[] = [];
  // Web first, so nothing reaches a stopped worker's queues; then whatever workers are alive.
  for (const service of services) {
    if (service.exitInfo) continue;
    exits.push({ name: service.name, info: await service.stop(10_000) });
  }
  return exits;
}

function processAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function sleepUntil(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

export function chaosArtifacts(name: string): string {
  const dir = join(ROOT, "test", "artifacts", "chaos", name);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  return dir;
}
