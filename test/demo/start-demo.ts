// `npm run demo`: the whole app running locally with sample data, no Shopify account needed.
//
//   1. demo database `creator_ledger_demo` on local PostgreSQL (created if missing), migrated
//   2. seed: the shop "Demo Creator Store", its offline session, 8 creators with codes (idempotent)
//   3. `npm run build` (skip with --no-build), then web, worker, store simulator and admin harness
//   4. a few hundred orders replayed through the simulator as signed webhooks, with a progress bar; then some
//      shoppers answer the post-purchase survey through the app's /api/survey endpoints
//   5. creator costs and two incrementality experiments (a geo split and a holdout) with the orders they measure;
//      the worker's rollups brought up to date for the leaderboard, creator pages and dashboard
//   6. last month's creator statements, sent by the worker to a local mail sink: read them at http://127.0.0.1:4400
//   7. open http://localhost:4200/admin; Ctrl-C stops everything
//
// Flags: --orders N (default 300; 0 skips the replay), --no-build, --verbose (all log lines on screen).
// Ports: WEB_PORT (3000), HARNESS_PORT (4200), SIMULATOR_PORT (4300), MAIL_PORT (4400, the mail sink's page),
// MAIL_SMTP_PORT (2525, its SMTP). Database: DEMO_DATABASE_URL.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { describeExit, portInUse, runCommand, startService, stopServices, waitForHttp, type Service } from "../support/processes";
import { adminApiProxyEnv, SEEDED_ACCESS_TOKEN } from "../support/admin-api";
import { answerSurvey, type SurveyEndpoint, type SurveyOptionJson } from "../simulator/survey-shopper";
import { color, formatLogLine, progressBar, Terminal } from "../support/terminal";
import { startMailSink, type MailSink } from "../mail-sink/mail-sink";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOG_DIR = join(ROOT, ".demo", "logs");

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    orders: { type: "string", default: "300" },
    build: { type: "boolean", default: true },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(`npm run demo -- [--orders N] [--no-build] [--verbose]

Runs Creator Ledger locally: demo database, seed data, web, worker, store simulator and admin harness.
  --orders N    orders to replay through the simulator (default 300, 0 to skip)
  --no-build    reuse build/ instead of running npm run build
  --verbose     print every log line (they are always written to .demo/logs/)
Env: WEB_PORT, HARNESS_PORT, SIMULATOR_PORT, MAIL_PORT, MAIL_SMTP_PORT, DEMO_DATABASE_URL, REDIS_URL, LOG_LEVEL`);
  process.exit(0);
}
const orderCount = Number.parseInt(flags.orders!, 10);
if (!Number.isInteger(orderCount) || orderCount < 0) {
  console.error(`--orders must be a whole number, got ${flags.orders}`);
  process.exit(2);
}

const webPort = Number(process.env.WEB_PORT ?? 3000);
const harnessPort = Number(process.env.HARNESS_PORT ?? 4200);
const simulatorPort = Number(process.env.SIMULATOR_PORT ?? 4300);
const mailPort = Number(process.env.MAIL_PORT ?? 4400);
const mailSmtpPort = Number(process.env.MAIL_SMTP_PORT ?? 2525);
const harnessUrl = `http://localhost:${harnessPort}`;
const webUrl = `http://127.0.0.1:${webPort}`;
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
const DEMO_BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const databaseUrl = process.env.DEMO_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/creator_ledger_demo";

// The demo's own configuration: nothing comes from .env, so it runs the same on every machine.
const appEnv: Record<string, string> = {
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  QUEUE_PREFIX: "creator-ledger-demo",
  SHOPIFY_API_KEY: "creator-ledger-demo-api-key",
  SHOPIFY_API_SECRET: "creator-ledger-demo-api-secret",
  SHOPIFY_APP_URL: harnessUrl,
  // shopify-app-remix's node adapter reads this one for the pages it renders itself (the session-token bounce page).
  APP_BRIDGE_URL: `${harnessUrl}/app-bridge.js`,
  SCOPES: "read_orders,read_discounts,write_discounts,read_customers,read_products",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  // Creator statements go to the demo's mail sink (test/mail-sink/), which keeps them in .demo/mail.
  SMTP_URL: `smtp://127.0.0.1:${mailSmtpPort}`,
  STATEMENTS_FROM: "statements@creator-ledger.localhost",
};
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, ...appEnv, ...extra });

const term = new Terminal();
const services: Service[] = [];
let mailSink: MailSink | null = null;
let shuttingDown = false;

const step = (text: string) => term.log(`${color.cyan("▸")} ${text}`);
const done = (text: string) => term.log(`${color.green("✓")} ${text}`);

const PREFIX_COLORS: Record<string, (s: string) => string> = {
  web: color.blue,
  worker: color.magenta,
  simulator: color.yellow,
  harness: color.cyan,
};

/** Routine lines (access logs, info-level logs) go to .demo/logs only; warnings, errors and plain output are shown. */
function serviceLine(name: string) {
  let inFaviconError = false;
  return (line: string) => {
    if (!flags.verbose) {
      if (line.trim() === "") return;
      // Remix logs a stack trace for every /favicon.ico the browser asks for (the app has none): not news.
      if (line.includes('No route matches URL "/favicon.ico"')) inFaviconError = true;
      if (inFaviconError) {
        if (/^\s|^ErrorResponseImpl|^\}|^Error: No route matches URL "\/favicon\.ico"/.test(line)) return;
        inFaviconError = false;
      }
      if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ [1-4]\d\d /.test(line)) return;
      if (/^\[shopify-(app|api)\/(INFO|DEBUG)\]/.test(line) || /^npm warn Unknown (env|user) config/.test(line)) return;
    }
    const { text, level } = formatLogLine(line);
    if (level !== null && level < 40 && !flags.verbose) return;
    term.log(`${(PREFIX_COLORS[name] ?? color.gray)(name.padEnd(9))}${color.gray("│")} ${text}`);
  };
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Service {
  const service = startService({ name, command, args, env, cwd: ROOT, logFile: join(LOG_DIR, `${name}.log`), onLine: serviceLine(name) });
  services.push(service);
  void service.exited.then((info) => {
    if (shuttingDown) return;
    term.endStatus();
    term.log(color.red(`✗ ${name} stopped unexpectedly (${describeExit(info)}). Last lines:`));
    term.log(service.tail(30));
    void shutdown(1);
  });
  return service;
}

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    term.endStatus();
    term.log(color.dim("Stopping harness, simulator, web and worker…"));
    const order = ["harness", "simulator", "web", "worker"];
    await stopServices([...services].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)));
    await mailSink?.close();
    term.log(color.dim(`Stopped. Logs are in ${LOG_DIR}`));
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// Last resort if the demo exits without an orderly shutdown: no service outlives it.
process.on("exit", () => {
  for (const service of services) {
    if (!service.exitInfo && service.child.pid) {
      try {
        process.kill(-service.child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
});

async function ensureDatabase(): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${admin.host} (${(error as Error).message}). Start it, or set DEMO_DATABASE_URL.`);
  }
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      done(`Created database ${name}`);
    } else {
      done(`Database ${name} exists`);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  term.log(color.bold("Creator Ledger — local demo"));
  for (const [name, port, variable] of [["web", webPort, "WEB_PORT"], ["harness", harnessPort, "HARNESS_PORT"], ["simulator", simulatorPort, "SIMULATOR_PORT"], ["mail sink", mailPort, "MAIL_PORT"], ["mail sink SMTP", mailSmtpPort, "MAIL_SMTP_PORT"]] as const) {
    if (await portInUse(port)) throw new Error(`Port ${port} (${name}) is in use: stop what runs there, or pick another with ${variable}=…`);
  }

  step(`Database ${databaseUrl}`);
  await ensureDatabase();
  step("Applying migrations (prisma migrate deploy)");
  await runCommand("npx", ["prisma", "migrate", "deploy"], { cwd: ROOT, env: childEnv() });
  done("Migrations applied");

  // The app's models read the environment when first imported.
  Object.assign(process.env, appEnv);
  const seed = await import("../support/seed");
  const shop = await seed.seedShop(seed.DEMO_SHOP, appEnv.SCOPES);
  const creators = await seed.seedCreators(shop.id, seed.DEMO_CREATORS);
  done(
    `Seeded ${shop.name} (${shop.domain}) with ${seed.DEMO_CREATORS.length} creators` +
      (creators.created.length ? ` (${creators.created.length} new)` : " (already there)"),
  );
  const [latest] = await seed.prisma.$queryRaw<{ max: number | null }[]>`
    SELECT max(substring(name from 2)::int) AS max FROM "Order" WHERE "shopId" = ${shop.id}::uuid AND name ~ '^#[0-9]+$'`;
  const firstOrderNumber = Math.max(1001, (latest?.max ?? 1000) + 1);

  // Web and worker both run from build/ (build/server for npm start, build/worker for npm run worker).
  const built = ["server", "worker"].every((output) => existsSync(join(ROOT, "build", output, "index.js")));
  if (flags.build || !built) {
    if (!flags.build) term.log(color.yellow("build/ is missing: building despite --no-build"));
    step("Building the app (npm run build)");
    const started = Date.now();
    await runCommand("npm", ["run", "build"], { cwd: ROOT, env: { ...process.env, NODE_ENV: "production" } });
    done(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } else {
    done("Reusing build/ (--no-build)");
  }

  mailSink = await startMailSink({ smtpPort: mailSmtpPort, httpPort: mailPort, dir: join(ROOT, ".demo", "mail") });
  done(`mail sink is up: SMTP on port ${mailSmtpPort}, messages at ${mailSink.httpUrl}`);

  step("Starting the store simulator, then web, worker and admin harness");
  // The simulator is also the app's way to Shopify's Admin API (an HTTPS proxy with its own certificate authority),
  // so it starts first: the app trusts that authority from start-up on.
  const caCertPath = join(ROOT, ".demo", "simulator-ca.pem");
  const simulator = start(
    "simulator",
    "npm",
    [
      "--silent", "run", "simulator", "--",
      "--app", webUrl,
      "--shop", seed.DEMO_SHOP.domain,
      "--shop-name", seed.DEMO_SHOP.name,
      "--port", String(simulatorPort),
      "--first-order-number", String(firstOrderNumber),
      "--access-token", SEEDED_ACCESS_TOKEN,
      "--ca-cert", caCertPath,
    ],
    childEnv(),
  );
  await waitForHttp(`${simulatorUrl}/health`, { service: simulator }).then(() => done(`store simulator is up on ${simulatorUrl}`));
  // One creator's contract pays a collection of the simulated catalog (new each run) a rate of its own.
  const { collections } = (await (await fetch(`${simulatorUrl}/collections`)).json()) as { collections: { id: string; title: string }[] };
  const rated = collections.find((collection) => collection.title === seed.DEMO_COLLECTION_RATE.collectionTitle);
  const rate = rated && (await seed.seedCollectionRate(shop.id, { gid: rated.id, title: rated.title }));
  if (rate) done(`${rate.creator} earns ${rate.percent}% on the ${rate.collection} collection (read from Shopify by the worker)`);
  const adminApiEnv = adminApiProxyEnv({ port: simulatorPort, caCertPath });
  const web = start("web", "npm", ["--silent", "start"], childEnv({ PORT: String(webPort), CREATOR_LEDGER_PROCESS: "web", ...adminApiEnv }));
  const worker = start("worker", "npm", ["--silent", "run", "worker"], childEnv({ CREATOR_LEDGER_PROCESS: "worker", ...adminApiEnv }));
  const harness = start(
    "harness",
    "npm",
    ["--silent", "run", "harness", "--", "--app", webUrl, "--shop", seed.DEMO_SHOP.domain, "--shop-name", seed.DEMO_SHOP.name, "--port", String(harnessPort), "--public-url", harnessUrl],
    childEnv(),
  );
  await Promise.all([
    waitForHttp(`${webUrl}/`, { service: web, timeoutMs: 90_000 }).then(() => done(`web is up on ${webUrl}`)),
    worker.waitForLine(/worker started/, 90_000).then(() => done("worker is processing the inbox queue")),
    waitForHttp(`http://127.0.0.1:${harnessPort}/harness/health`, { service: harness }).then(() => done(`admin harness is up on ${harnessUrl}`)),
  ]);

  if (orderCount > 0) {
    await replay(seed, shop.id, firstOrderNumber);
    await answerSurveys(seed, shop.id);
    await seedReporting(seed, shop);
  }
  await sendLastMonthsStatements(seed, shop.id);
  await seed.disconnect();

  term.log("");
  term.log(color.bold(color.green("  Creator Ledger is running locally.")));
  term.log(`  ${color.bold("➜ Open")}  ${color.cyan(`${harnessUrl}/admin`)}`);
  term.log(color.dim(`  Place an order with a creator's code:  curl -X POST ${simulatorUrl}/orders -d '{"code":"SARAH10"}'`));
  term.log(color.dim(`  Webhook deliveries:                    curl ${simulatorUrl}/deliveries`));
  term.log(`  ${color.bold("➜ Statements")}  ${color.cyan(mailSink!.httpUrl!)}  ${color.dim("(the creators' mailbox: every statement the app sent)")}`);
  term.log(color.dim(`  Logs: ${LOG_DIR} · Ctrl-C stops everything`));
  term.log("");
}

/**
 * Last month's statements, as the worker sends them after a period closes: the demo asks for them the way the
 * merchant's "Send now" does (a job on the statements queue), and waits for the pass to finish. Sent once: a demo
 * started again finds them sent and sends nothing new.
 */
async function sendLastMonthsStatements(seed: typeof import("../support/seed"), shopId: string): Promise<void> {
  const { latestClosedPeriod, statementPeriodLabel } = await import("~/domain/statements/statement-periods");
  const { enqueuePeriodStatements } = await import("~/jobs/statements-worker.server");
  const { createRedis, createStatementsQueue } = await import("~/queues.server");
  const period = latestClosedPeriod("MONTHLY", seed.DEMO_SHOP.timezone, new Date());
  const label = statementPeriodLabel(period, seed.DEMO_SHOP.timezone);
  step(`Sending ${label} statements to the creators (worker → mail sink)`);
  const connection = createRedis({ failFast: false });
  const queue = createStatementsQueue(connection);
  const requestedAt = new Date();
  try {
    await enqueuePeriodStatements(queue, [{ shopId, periodKey: period.key }], { requestedBy: "demo", requestToken: crypto.randomUUID() });
  } finally {
    await queue.close();
    connection.disconnect();
  }
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = await seed.prisma.statementRun.findUnique({ where: { shopId_periodKey: { shopId, periodKey: period.key } } });
    if (run?.completedAt && run.completedAt >= requestedAt) break;
    if (Date.now() > deadline) {
      term.endStatus(color.yellow(`! The ${label} statements are still being sent; see the Statements page`));
      return;
    }
    term.setStatus(`  Statements  ${mailSink!.messages().length} messages in the mail sink`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const outcome = await seed.prisma.statementDelivery.groupBy({ by: ["status"], where: { shopId, periodKey: period.key }, _count: true });
  const count = (status: string) => outcome.find((group) => group.status === status)?._count ?? 0;
  term.endStatus(
    `${color.green("✓")} ${label} statements: ${count("SENT")} sent, ${count("SKIPPED")} skipped (reasons on the Statements page)` +
      (count("FAILED") ? color.red(`, ${count("FAILED")} failed`) : ""),
  );
}

async function replay(seed: typeof import("../support/seed"), shopId: string, firstOrderNumber: number): Promise<void> {
  // Shoppers follow the creators' tracking links first, as they would from a post: each click the app counts
  // gives a click id that some of the replayed orders land with.
  const creators = [];
  for (const creator of seed.DEMO_CREATORS) {
    const clickIds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(`${webUrl}/r/${seed.demoLinkSlug(creator.handle)}`, {
        redirect: "manual",
        headers: { "User-Agent": DEMO_BROWSER, "X-Forwarded-For": `203.0.113.${(i * 37 + creator.handle.length) % 250}` },
      });
      const clickId = new URL(response.headers.get("location") ?? "https://x/").searchParams.get("cl_click");
      if (clickId) clickIds.push(clickId);
    }
    creators.push({
      handle: creator.handle,
      code: creator.discountCode,
      linkSlug: seed.demoLinkSlug(creator.handle),
      referrer: `https://www.${creator.referrerDomains[0]}`,
      clickIds,
    });
  }
  step(
    `Replaying ${orderCount} orders from #${firstOrderNumber} (about half from creators: codes, links, ref parameters, ` +
      "cart attributes, referrers, journeys and leaked codes), with payments, refunds and cancellations",
  );
  const since = new Date();
  const started = await fetch(`${simulatorUrl}/replay`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ orders: orderCount, creators, creatorShare: 0.5, days: 30 }),
  });
  if (!started.ok) throw new Error(`The simulator refused the replay: ${started.status} ${await started.text()}`);

  let progress: { ordersPlaced: number; ordersTotal: number; events: number; delivered: number; failed: number; done: boolean; error: string | null };
  for (;;) {
    progress = (await (await fetch(`${simulatorUrl}/replay`)).json()) as typeof progress;
    const pending = progress.events - progress.delivered - progress.failed;
    term.setStatus(
      `  Webhooks  ${progressBar(progress.delivered + progress.failed, Math.max(progress.events, 1))}  ` +
        `${progress.ordersPlaced}/${progress.ordersTotal} orders · ${progress.delivered}/${progress.events} delivered` +
        (pending ? ` · ${pending} in flight` : "") +
        (progress.failed ? color.red(` · ${progress.failed} failed`) : ""),
    );
    if (progress.done || progress.error) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  if (progress.error) throw new Error(`Replay failed: ${progress.error}`);
  term.endStatus(
    `${color.green("✓")} ${progress.events} webhooks delivered for ${progress.ordersTotal} orders` +
      (progress.failed ? color.red(` (${progress.failed} gave up after retries; see .demo/logs/simulator.log)`) : ""),
  );

  // Shopify got its 200s; now the worker turns the stored events into orders and commissions.
  const shop = await seed.prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [total, pending] = await Promise.all([
      seed.prisma.inboxEvent.count({ where: { shopDomain: shop.domain, receivedAt: { gte: since } } }),
      seed.prisma.inboxEvent.count({ where: { shopDomain: shop.domain, receivedAt: { gte: since }, processedAt: null } }),
    ]);
    term.setStatus(`  Worker    ${progressBar(total - pending, Math.max(total, 1))}  ${total - pending}/${total} events processed`);
    if (pending === 0) {
      term.endStatus(`${color.green("✓")} The worker processed all ${total} events`);
      break;
    }
    if (Date.now() > deadline) {
      term.endStatus(color.yellow(`! ${pending} of ${total} events are still waiting for the worker; they will be processed in the background`));
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Some shoppers answer "How did you hear about us?" after checkout, naming a creator even when their order carried
 * no code or link. They answer as the survey extension does (a few later, on the order status page): through the
 * app's /api/survey endpoints, with a session token signed the way Shopify signs the extension's, from the extension
 * sandbox's origin. The app re-attributes the orders they name and settles the creators' months.
 */
async function answerSurveys(seed: typeof import("../support/seed"), shopId: string): Promise<void> {
  const unattributed = await seed.prisma.order.findMany({
    where: { shopId, confirmationNumber: { not: null }, attribution: { method: "NONE" } },
    orderBy: { processedAt: "asc" },
    select: { confirmationNumber: true },
  });
  const creatorNames = seed.DEMO_CREATORS.map((creator) => creator.name);
  // Every fifth unattributed order: a creator for most, a channel or free text for the rest.
  const answering = unattributed.filter((_, index) => index % 5 === 0);
  let namedCreator = 0;
  for (const [index, order] of answering.entries()) {
    const endpoint: SurveyEndpoint = {
      appUrl: webUrl,
      shop: seed.DEMO_SHOP.domain,
      apiKey: appEnv.SHOPIFY_API_KEY!,
      apiSecret: appEnv.SHOPIFY_API_SECRET!,
      surface: index % 6 === 5 ? "order-status" : "thank-you",
    };
    const { answer } = await answerSurvey(endpoint, order.confirmationNumber!, (options) => {
      const pick = (wanted: (option: SurveyOptionJson) => boolean) => options.find(wanted) ?? options[0]!;
      if (index % 8 === 3) return { optionKey: pick((o) => o.kind === "OTHER").key, otherText: "A friend's story" };
      if (index % 8 === 7) return { optionKey: pick((o) => o.kind === "CHANNEL").key };
      const name = creatorNames[index % creatorNames.length];
      return { optionKey: pick((o) => o.kind === "CREATOR" && o.label === name).key };
    });
    if (answer?.optionKey.startsWith("creator:")) namedCreator += 1;
  }
  done(`${answering.length} shoppers answered the post-purchase survey (${namedCreator} named a creator)`);
}

/**
 * What the reports need besides orders: the merchant's costs per creator, and two incrementality tests with the orders
 * that make them tell apart a creator who brings extra orders (geo split) from one whose pause changed nothing
 * (holdout). Then waits until the worker's rollups have caught up, so the pages open on current numbers.
 */
async function seedReporting(seed: typeof import("../support/seed"), shop: { id: string; timezone: string }): Promise<void> {
  const { shopToday } = await import("~/models/creator-metrics.server");
  const today = shopToday(shop.timezone);
  const costs = await seed.seedCreatorCosts(shop.id, today);
  if (costs) done(`Recorded ${costs} creator costs (sponsorship fees and seeded products)`);

  if ((await seed.prisma.experiment.count({ where: { shopId: shop.id } })) === 0) {
    const { geoSplit } = seed.DEMO_EXPERIMENTS;
    const code = seed.DEMO_CREATORS.find((creator) => creator.handle === geoSplit.handle)!.discountCode;
    step(`Placing the geo split's extra orders: ${code} shoppers in ${geoSplit.exposed.join(", ")} over the last two weeks`);
    for (let ago = 14; ago >= 1; ago -= 1) {
      const noon = new Date(`${new Date(Date.parse(`${today}T00:00:00Z`) - ago * 86_400_000).toISOString().slice(0, 10)}T17:00:00Z`);
      for (const region of geoSplit.exposed) {
        const response = await fetch(`${simulatorUrl}/orders`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ code, shipTo: region, placedAt: noon.toISOString() }),
        });
        if (!response.ok) throw new Error(`The simulator refused an order: ${response.status} ${await response.text()}`);
      }
    }
    const experiments = await seed.seedExperiments(shop, today);
    done(`Experiments: ${experiments.join(" · ")}`);
  }

  const deadline = Date.now() + 120_000;
  for (;;) {
    const [unprocessed, changes] = await Promise.all([
      seed.prisma.inboxEvent.count({ where: { shopDomain: seed.DEMO_SHOP.domain, processedAt: null } }),
      seed.prisma.rollupChange.count({ where: { shopId: shop.id } }),
    ]);
    term.setStatus(`  Reports   ${unprocessed} events and ${changes} changed days waiting for the worker`);
    if (unprocessed === 0 && changes === 0) break;
    if (Date.now() > deadline) {
      term.endStatus(color.yellow("! The reports are still catching up; the leaderboard fills in within a minute"));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  term.endStatus(`${color.green("✓")} Leaderboard, creator pages and dashboard are up to date`);
}

main().catch(async (error: unknown) => {
  term.endStatus();
  term.log(color.red(`✗ ${(error as Error).message}`));
  await shutdown(1);
});
