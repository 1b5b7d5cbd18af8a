// The whole app for the browser end-to-end tests (test/e2e/*.e2e.test.ts): web (`npm start`) and worker
// (`npm run worker`) over the production build, as child processes against a database of their own, created next to
// the test database (the worker sweeps every shop's inbox: sharing the database would let it process other test
// files' events); the store simulator and the admin harness in this process; Chromium driving the harness.
//
// Each test file gets its own shop, database, queue prefix, ports and artifacts folder
// (test/artifacts/e2e/<name>/: screenshots and process logs), so that e2e files can run side by side.
// Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { startHarness, type RunningHarness } from "../harness/server";
import { startSimulatorServer, type OrderSummary, type RunningSimulator } from "../simulator";
import { ensureProductionBuild } from "./build";
import { createMigratedDatabase, dropDatabase } from "./database";
import { freePort, startService, stopServices, waitForHttp, type Service } from "./processes";
import { adminApiProxyEnv, SEEDED_ACCESS_TOKEN } from "./admin-api";
import type { ShopSeed } from "./seed";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const E2E_API_KEY = "e2e-api-key";
export const E2E_SCOPES = "read_orders,read_discounts,write_discounts,read_customers,read_products";

type BuildMode = "auto" | "always" | "never";

/**
 * A package script of the form `[NAME=value …] node <arguments>` (`start`, `worker`) as node arguments and
 * environment, for callers that run the process directly rather than through npm (npm, on SIGTERM, passes the signal
 * on and kills itself with it, so its exit would not say how the process it ran ended; and its pid is npm's).
 */
export function packageScriptCommand(script: "start" | "worker"): { args: string[]; env: Record<string, string> } {
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const words = scripts[script]?.trim().split(/\s+/) ?? [];
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) {
    const [name, ...value] = words.shift()!.split("=");
    env[name!] = value.join("=");
  }
  if (words.shift() !== "node") throw new Error(`npm run ${script} is not a node command: ${scripts[script]}`);
  return { args: words, env };
}

export interface E2eAppOptions {
  /** Names the artifacts folder (test/artifacts/e2e/<name>/). */
  name: string;
  shopName?: string;
}

/** What the store simulator answers to POST /orders, as far as the tests read it. */
export interface PlacedOrders {
  orders: OrderSummary[];
  deliveries: { state: string; lastStatus: number | null }[];
}

/**
 * Created when the test file loads (so that `run` and `shop` can name test data), started in beforeAll, stopped in
 * afterAll. Fields are set as soon as what they hold exists, so that stop() tears down a half-finished start too.
 */
export class E2eApp {
  readonly run = randomBytes(3).toString("hex");
  readonly shop: ShopSeed;
  readonly apiKey = E2E_API_KEY;
  readonly apiSecret = `e2e-api-secret-${this.run}`;
  readonly scopes = E2E_SCOPES;
  readonly artifacts: string;
  readonly queuePrefix = `e2e-${this.run}`;
  /** More environment for web and worker (e.g. SMTP_URL), set before start(). */
  extraEnv: Record<string, string> = {};

  readonly services: Service[] = [];
  harness: RunningHarness | undefined;
  simulator: RunningSimulator | undefined;
  browser: Browser | undefined;
  databaseUrl: string | undefined;
  /** The app's models, connected to the e2e database (set once it exists). */
  seed: typeof import("./seed") | undefined;
  page!: Page;
  /** The embedded app, inside the harness's iframe. */
  app!: FrameLocator;

  constructor(options: E2eAppOptions) {
    this.artifacts = join(ROOT, "test", "artifacts", "e2e", options.name);
    this.shop = { domain: `e2e-${this.run}.myshopify.com`, name: options.shopName ?? "E2E Creator Store", currencyCode: "USD", timezone: "America/New_York" };
  }

  async start(): Promise<void> {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or SKIP_E2E=1)`);
    rmSync(this.artifacts, { recursive: true, force: true });
    mkdirSync(this.artifacts, { recursive: true });
    const mode = (process.env.E2E_BUILD as BuildMode | undefined) ?? "auto";
    const [webPort, harnessPort, simulatorPort] = [await freePort(), await freePort(), await freePort()];
    const harnessUrl = `http://localhost:${harnessPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;

    const testDatabase = process.env.DATABASE_URL;
    if (!testDatabase) throw new Error("DATABASE_URL is not set (test/setup/global-setup.ts sets it)");
    const name = `${new URL(testDatabase).pathname.slice(1)}_e2e_${this.run}`.slice(0, 63);
    // Assigned as soon as it exists, so that stop() drops it even when the build fails.
    await Promise.all([
      createMigratedDatabase(testDatabase, name, ROOT).then((url) => (this.databaseUrl = url)),
      ensureSharedProductionBuild(ROOT, mode),
    ]);
    if (!this.databaseUrl) throw new Error("The e2e database was not created");

    // The shop as installed: Shop row and an offline session with the app's scopes (no token exchange needed).
    // The app's models connect on import, so they are imported once DATABASE_URL names the e2e database.
    process.env.DATABASE_URL = this.databaseUrl;
    this.seed = await import("./seed");
    await this.seed.seedShop(this.shop, this.scopes);

    // The simulator comes first: the app trusts its certificate authority from start-up on (NODE_EXTRA_CA_CERTS).
    const { domain, name: shopName, currencyCode, timezone } = this.shop;
    this.simulator = await startSimulatorServer({
      appUrl: webUrl,
      secret: this.apiSecret,
      apiKey: this.apiKey,
      accessTokens: [SEEDED_ACCESS_TOKEN],
      shop: { domain, name: shopName, currency: currencyCode, timezone },
      port: simulatorPort,
      retry: { retries: 8, initialDelayMs: 250, factor: 2 },
    });

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      QUEUE_PREFIX: this.queuePrefix,
      SHOPIFY_API_KEY: this.apiKey,
      SHOPIFY_API_SECRET: this.apiSecret,
      SHOPIFY_APP_URL: harnessUrl,
      APP_BRIDGE_URL: `${harnessUrl}/app-bridge.js`,
      SCOPES: this.scopes,
      LOG_LEVEL: "info",
      ...adminApiProxyEnv(this.simulator),
      ...this.extraEnv,
    };
    const web = startService({ name: "web", command: "npm", args: ["--silent", "start"], cwd: ROOT, env: { ...env, PORT: String(webPort) }, logFile: join(this.artifacts, "web.log") });
    const worker = startService({ name: "worker", command: "npm", args: ["--silent", "run", "worker"], cwd: ROOT, env, logFile: join(this.artifacts, "worker.log") });
    this.services.push(web, worker);

    this.harness = await startHarness({ appUrl: webUrl, shop: domain, shopName, apiKey: this.apiKey, apiSecret: this.apiSecret, port: harnessPort, publicUrl: harnessUrl });

    await Promise.all([waitForHttp(`${webUrl}/`, { service: web, timeoutMs: 60_000 }), worker.waitForLine(/worker started/, 60_000)]);

    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    // shopify-app-remix answers bots (HeadlessChrome included) with 410: present as the desktop Chrome it is.
    const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${this.browser.version()} Safari/537.36`;
    const context = await this.browser.newContext({ viewport: { width: 1400, height: 900 }, userAgent });
    this.page = await context.newPage();
    this.page.on("pageerror", (error) => console.error(`[browser] ${error.message}`));
    this.app = this.page.frameLocator("#app-frame");
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.harness?.close();
    await this.simulator?.close();
    await stopServices(this.services, 5_000);
    await this.seed?.disconnect();
    if (this.databaseUrl) await dropDatabase(this.databaseUrl);
    await deleteQueueKeys(this.queuePrefix);
  }

  /** Waits until the app in the frame has hydrated (App Bridge's navigation listener is in place). */
  async appReady(): Promise<void> {
    await this.app.locator("html[data-harness-app-ready]").waitFor({ state: "attached", timeout: 20_000 });
  }

  /** Opens the admin afresh, as the merchant does: the harness's shell with the app's home (the leaderboard) ready. */
  async openAdmin(): Promise<void> {
    await this.page.goto(`${this.harness!.url}/admin`);
    await this.app.getByRole("heading", { name: "Home" }).waitFor({ timeout: 20_000 });
    await this.appReady();
  }

  /**
   * Adds a creator to the shop through the app's own model, for tests whose subject is not the creator form: no
   * email, referrers or customer account. Answers the creator's id.
   */
  async addCreator(creator: { name: string; handle: string; discountCode: string; revenueSharePercent: string }): Promise<string> {
    // Imported here, not at the top: the app's models connect on import, and only start() points them at the e2e database.
    const { createCreator } = await import("~/models/creator.server");
    const shop = await this.seed!.prisma.shop.findUniqueOrThrow({ where: { domain: this.shop.domain } });
    const created = await createCreator(shop.id, { ...creator, email: "", referrerDomains: "", customerGid: "" });
    if (!created.ok) throw new Error(`${creator.name} was not created: ${JSON.stringify(created.fieldErrors)}`);
    return created.creatorId;
  }

  /**
   * A shopper's orders, placed in the store simulator (`body` as its POST /orders takes it: code, count…); it
   * answers once it has delivered their webhooks to the app.
   */
  async placeOrders(body: Record<string, unknown>): Promise<PlacedOrders> {
    const placed = await fetch(`${this.simulator!.url}/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (placed.status !== 201) throw new Error(`The simulator refused the orders (${placed.status}): ${await placed.text()}`);
    return (await placed.json()) as PlacedOrders;
  }

  /**
   * The page as the browser shows it. The shell does not scroll (the app's frame does), so `fullPage` alone stops
   * at the window's height; `wholeApp` grows the window to the app's full height for the shot, then restores it.
   */
  async screenshot(name: string, options: { wholeApp?: boolean } = {}): Promise<void> {
    const path = join(this.artifacts, `${name}.png`);
    const viewport = this.page.viewportSize();
    if (!options.wholeApp || !viewport) {
      await this.page.screenshot({ path, fullPage: true });
      return;
    }
    const frameTop = await this.page.locator("#app-frame").evaluate((frame) => frame.getBoundingClientRect().top);
    const appHeight = await this.app.locator("html").evaluate((html) => html.scrollHeight);
    await this.page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(frameTop + appHeight)) });
    try {
      await this.page.screenshot({ path, fullPage: true });
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }

  /** For a failed test: a screenshot of where it stopped and the services' last lines. */
  async reportFailure(): Promise<void> {
    await this.screenshot("failure").catch(() => undefined);
    for (const service of this.services) console.error(service.tail(40));
  }
}

/**
 * ensureProductionBuild, one e2e file at a time: files running side by side would otherwise build into the same
 * build/ at once, or rebuild it under a web process another file has started. The lock is a directory (mkdir is
 * atomic) holding the owner's pid; a dead owner's lock is taken over. With E2E_BUILD=always, a build another file
 * finished after this one asked counts as this file's build.
 */
export async function ensureSharedProductionBuild(root: string, mode: BuildMode): Promise<void> {
  const cacheDir = join(root, "node_modules", ".cache");
  const lock = join(cacheDir, "e2e-build.lock");
  const builtMarker = join(cacheDir, "e2e-build.done");
  const askedAt = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  const deadline = askedAt + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!lockOwnerAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Waited 5 minutes for another e2e file's build (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    const builtSinceAsked = existsSync(builtMarker) && statSync(builtMarker).mtimeMs >= askedAt;
    const outcome = await ensureProductionBuild(root, mode === "always" && builtSinceAsked ? "auto" : mode);
    if (outcome === "built") writeFileSync(builtMarker, new Date().toISOString());
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwnerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // Created a moment ago, pid not written yet: alive unless it has been like that for a while.
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The worker's BullMQ keys (its repeatable sweep job included) would otherwise stay in Redis after every run. */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
