// End to end, through real processes and a real browser: a merchant adds a creator in the embedded admin, a shopper
// orders with the creator's code, Shopify (the simulator) sends the signed webhook, the worker attributes the order,
// and the leaderboard shows the creator's order and commission.
//
// web (`npm start`, production build) and worker (`npm run worker`) run as child processes against a database of
// their own, created next to the test database (the worker sweeps every shop's inbox: sharing the database would let
// it process other test files' events); the store simulator and the admin harness run in this process; Chromium
// drives the harness.
// Screenshots and process logs: test/artifacts/e2e/. Set SKIP_E2E=1 to skip; E2E_BUILD=always|never|auto (auto).
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type RunningHarness } from "../harness/server";
import { adminHostParam } from "../harness/session-token";
import { startSimulatorServer, type RunningSimulator } from "../simulator";
import { ensureProductionBuild } from "../support/build";
import { createMigratedDatabase, dropDatabase } from "../support/database";
import { freePort, startService, stopServices, waitForHttp, type Service } from "../support/processes";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "test", "artifacts", "e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const run = randomBytes(3).toString("hex");
const SHOP = { domain: `e2e-${run}.myshopify.com`, name: "E2E Creator Store", currencyCode: "USD", timezone: "America/New_York" };
const API_KEY = "e2e-api-key";
const API_SECRET = `e2e-api-secret-${run}`;
const SCOPES = "read_orders,read_discounts,write_discounts,read_customers";
const CREATOR = { name: "Ava Martinez", email: "ava@example.com", code: `AVA${run.toUpperCase()}`, share: "12.5" };

describe.skipIf(process.env.SKIP_E2E === "1")("leaderboard, end to end", () => {
  const services: Service[] = [];
  let harness: RunningHarness | undefined;
  let simulator: RunningSimulator | undefined;
  let browser: Browser | undefined;
  let databaseUrl: string | undefined;
  let seed: typeof import("../support/seed") | undefined;
  let page: Page;
  let app: FrameLocator;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or SKIP_E2E=1)`);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const mode = (process.env.E2E_BUILD as "auto" | "always" | "never" | undefined) ?? "auto";
    const [webPort, harnessPort, simulatorPort] = [await freePort(), await freePort(), await freePort()];
    const harnessUrl = `http://localhost:${harnessPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;

    const testDatabase = process.env.DATABASE_URL;
    if (!testDatabase) throw new Error("DATABASE_URL is not set (test/setup/global-setup.ts sets it)");
    const name = `${new URL(testDatabase).pathname.slice(1)}_e2e_${run}`.slice(0, 63);
    // Assigned as soon as it exists, so that afterAll drops it even when the build fails.
    await Promise.all([createMigratedDatabase(testDatabase, name, ROOT).then((url) => (databaseUrl = url)), ensureProductionBuild(ROOT, mode)]);
    if (!databaseUrl) throw new Error("The e2e database was not created");

    // The shop as installed: Shop row and an offline session with the app's scopes (no token exchange needed).
    // The app's models connect on import, so they are imported once DATABASE_URL names the e2e database.
    process.env.DATABASE_URL = databaseUrl;
    seed = await import("../support/seed");
    await seed.seedShop(SHOP, SCOPES);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      QUEUE_PREFIX: `e2e-${run}`,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: harnessUrl,
      APP_BRIDGE_URL: `${harnessUrl}/app-bridge.js`,
      SCOPES,
      LOG_LEVEL: "info",
    };
    const web = startService({ name: "web", command: "npm", args: ["--silent", "start"], cwd: ROOT, env: { ...env, PORT: String(webPort) }, logFile: join(ARTIFACTS, "web.log") });
    const worker = startService({ name: "worker", command: "npm", args: ["--silent", "run", "worker"], cwd: ROOT, env, logFile: join(ARTIFACTS, "worker.log") });
    services.push(web, worker);

    simulator = await startSimulatorServer({
      appUrl: webUrl,
      secret: API_SECRET,
      shop: { domain: SHOP.domain, name: SHOP.name, currency: SHOP.currencyCode, timezone: SHOP.timezone },
      port: simulatorPort,
      retry: { retries: 8, initialDelayMs: 250, factor: 2 },
    });
    harness = await startHarness({ appUrl: webUrl, shop: SHOP.domain, shopName: SHOP.name, apiKey: API_KEY, apiSecret: API_SECRET, port: harnessPort, publicUrl: harnessUrl });

    await Promise.all([waitForHttp(`${webUrl}/`, { service: web, timeoutMs: 60_000 }), worker.waitForLine(/worker started/, 60_000)]);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    // shopify-app-remix answers bots (HeadlessChrome included) with 410: present as the desktop Chrome it is.
    const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, userAgent });
    page = await context.newPage();
    page.on("pageerror", (error) => console.error(`[browser] ${error.message}`));
    app = page.frameLocator("#app-frame");
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await simulator?.close();
    await stopServices(services, 5_000);
    await seed?.disconnect();
    if (databaseUrl) await dropDatabase(databaseUrl);
    await deleteQueueKeys(`e2e-${run}`);
  });

  /** Waits until the app in the frame has hydrated (App Bridge's navigation listener is in place). */
  async function appReady() {
    await app.locator("html[data-harness-app-ready]").waitFor({ state: "attached", timeout: 20_000 });
  }

  async function screenshot(name: string) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  it("shows a new creator's order and commission on the leaderboard", async () => {
    try {
      await page.goto(`${harness!.url}/admin`);
      await page.getByText("Creator Ledger — Local admin harness").waitFor();
      expect(await page.getByTestId("shop-name").innerText()).toContain(SHOP.domain);
      await app.getByRole("heading", { name: "Leaderboard" }).waitFor({ timeout: 20_000 });
      await appReady();
      await screenshot("01-leaderboard-before");

      // The merchant adds the creator through the real form.
      await page.getByRole("link", { name: "Creators" }).click();
      await app.getByRole("heading", { name: "Creators" }).waitFor();
      await app.getByRole("link", { name: "Add creator" }).first().click();
      await app.getByLabel("Name").waitFor();
      await app.getByLabel("Name").fill(CREATOR.name);
      await app.getByLabel("Email").fill(CREATOR.email);
      await app.getByLabel("Discount code").fill(CREATOR.code);
      await app.getByLabel("Revenue share (%)").fill(CREATOR.share);
      await screenshot("02-add-creator");
      await app.getByRole("button", { name: "Save" }).click();
      // The app's toast goes through the App Bridge stand-in to the shell, as it would to Shopify admin.
      await page.locator("#toasts").getByText("Creator added").waitFor({ timeout: 15_000 });
      await app.getByText(CREATOR.name).first().waitFor();
      await screenshot("03-creator-saved");

      // A shopper orders with the creator's code, typed their own way; Shopify delivers orders/create.
      const placed = await fetch(`${simulator!.url}/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: ` ${CREATOR.code.toLowerCase()}` }),
      });
      expect(placed.status).toBe(201);
      const { orders, deliveries } = (await placed.json()) as {
        orders: { name: string; currentSubtotal: string }[];
        deliveries: { state: string; lastStatus: number | null }[];
      };
      expect(deliveries).toEqual([expect.objectContaining({ state: "delivered", lastStatus: 200 })]);

      // Expected: revenue share of the order's merchandise after discounts (no tax, no shipping), rounded half-up.
      const netMinor = BigInt(orders[0]!.currentSubtotal.replace(".", ""));
      const commissionMinor = (netMinor * 1250n + 5_000n) / 10_000n;
      const usd = (minor: bigint) =>
        new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);

      // The leaderboard catches up once the worker has processed the event.
      await page.getByRole("link", { name: "Leaderboard" }).click();
      const row = app.getByRole("row").filter({ hasText: CREATOR.name });
      await expect
        .poll(
          async () => {
            await page.getByRole("link", { name: "Leaderboard" }).click();
            await app.getByRole("heading", { name: "Leaderboard" }).waitFor();
            return (await row.count()) > 0 ? (await row.first().innerText()).replace(/\s+/g, " ").trim() : "(no row)";
          },
          { timeout: 30_000, interval: 750 },
        )
        .toBe(`${CREATOR.name} ${CREATOR.code} 1 ${usd(netMinor)} ${usd(commissionMinor)}`);
      await screenshot("04-leaderboard-after");
    } catch (error) {
      await screenshot("failure").catch(() => undefined);
      for (const service of services) console.error(service.tail(40));
      throw error;
    }
  }, 120_000);

  it("recovers a missing session token through the app's bounce page, as Shopify admin does", async () => {
    // A document request without id_token (a reload, a link opened in the frame) is sent to the app's bounce page,
    // which loads App Bridge (here: the stand-in, via APP_BRIDGE_URL) to come back with a fresh token.
    const frame = page.frame({ name: "app-iframe" })!;
    await frame.goto(`${harness!.url}/app/creators?embedded=1&shop=${SHOP.domain}&host=${adminHostParam(SHOP.domain)}`);
    await app.getByRole("heading", { name: "Creators" }).waitFor({ timeout: 15_000 });
    expect(frame.url()).toContain("id_token=");
    await app.getByText(CREATOR.name).first().waitFor();
  }, 30_000);
});

/** The worker's BullMQ keys (its repeatable sweep job included) would otherwise stay in Redis after every run. */
async function deleteQueueKeys(prefix: string): Promise<void> {
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
