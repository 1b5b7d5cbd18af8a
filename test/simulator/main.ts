// CLI: npx tsx test/simulator/main.ts --app http://localhost:3000 --shop demo-creator-store.myshopify.com
//   (or `npm run simulator -- --app …`). The API secret comes from --secret or SHOPIFY_API_SECRET.
import { parseArgs } from "node:util";
import { adminApiProxyEnv } from "../support/admin-api";
import { COMPRESSED_RETRY_SCHEDULE, SHOPIFY_RETRY_SCHEDULE } from "./delivery";
import { startSimulatorServer } from "./server";

const USAGE = `Local Shopify store simulator: generates orders and delivers them to the app as signed webhooks, and
answers the shop's Admin API (GraphQL, token exchange) as the app's HTTPS proxy.

  --app URL              the app's origin (default http://localhost:3000)
  --shop DOMAIN          shop domain (default demo-creator-store.myshopify.com)
  --secret SECRET        the app's API secret (default $SHOPIFY_API_SECRET)
  --port N               control API port (default $SIMULATOR_PORT or 4300)
  --host HOST            control API interface (default 127.0.0.1)
  --currency CODE        shop currency (default USD)
  --timezone TZ          shop time zone (default America/New_York)
  --seed N               deterministic orders
  --first-order-number N order names start at #N (default 1001)
  --concurrency N        deliveries in flight at once (default 8)
  --timeout-ms N         per attempt (default 5000)
  --retries N            retries after the first attempt (default 8)
  --retry-initial-ms N   first retry delay, doubling after (default 500)
  --shopify-schedule     retry like production Shopify (8 retries over ~4 hours)
  --api-key KEY          the app's API key: token exchange checks client_id against it (default $SHOPIFY_API_KEY)
  --access-token TOKEN   an offline access token the Admin API accepts (repeatable; e.g. the seeded session's)
  --discount CODE        a code discount the shop already has (repeatable)
  --journey-ready-after N  reads of an order's journey that answer ready: false (default 1)
  --ca-cert PATH         where to write the CA certificate (default: in the temp folder, named by port)
  --bulk-delay-ms N      how long a bulk operation takes to complete (default 200)

Control API: POST /orders {code?, codes?, creators?, signals?, products?, count?}, GET /deliveries,
             POST /orders/:id/(paid|refund|cancel|remove-code), POST /replay {orders, codes?, creators?}, GET /replay,
             GET|POST /discounts, POST /discounts/:id/rename {code}, DELETE /discounts/:id,
             GET|POST /products, GET|POST /collections, POST /collections/:id/products {add?, remove?},
             DELETE /collections/:id,
             GET|DELETE /admin-api/requests, POST /admin-api/throttle {requests}, POST /admin-api/access-tokens {token},
             GET /admin-api/ca.pem, GET /admin-api/bulk-operations, POST /admin-api/bulk-operations/fail-next,
             POST /admin-api/bulk-operations/settings {delayMs?, concurrencyLimit?}, GET /health
             (server.ts describes each)

The app reaches the Admin API with, in its environment:
  NODE_USE_ENV_PROXY=1 HTTPS_PROXY=http://127.0.0.1:<port> NO_PROXY=localhost,127.0.0.1,::1 NODE_EXTRA_CA_CERTS=<ca-cert>`;

const { values } = parseArgs({
  options: {
    app: { type: "string", default: "http://localhost:3000" },
    shop: { type: "string", default: "demo-creator-store.myshopify.com" },
    secret: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    currency: { type: "string", default: "USD" },
    timezone: { type: "string", default: "America/New_York" },
    "shop-name": { type: "string", default: "Demo Creator Store" },
    seed: { type: "string" },
    "first-order-number": { type: "string" },
    concurrency: { type: "string" },
    "timeout-ms": { type: "string" },
    retries: { type: "string" },
    "retry-initial-ms": { type: "string" },
    "shopify-schedule": { type: "boolean", default: false },
    "api-key": { type: "string" },
    "access-token": { type: "string", multiple: true, default: [] },
    discount: { type: "string", multiple: true, default: [] },
    "journey-ready-after": { type: "string" },
    "ca-cert": { type: "string" },
    "bulk-delay-ms": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const secret = values.secret ?? process.env.SHOPIFY_API_SECRET;
if (!secret) {
  console.error("The simulator signs webhooks with the app's API secret: pass --secret or set SHOPIFY_API_SECRET.\n");
  console.error(USAGE);
  process.exit(2);
}

const int = (value: string | undefined) => (value === undefined ? undefined : Number.parseInt(value, 10));
const base = values["shopify-schedule"] ? SHOPIFY_RETRY_SCHEDULE : COMPRESSED_RETRY_SCHEDULE;
const retry = {
  ...base,
  retries: int(values.retries) ?? base.retries,
  initialDelayMs: int(values["retry-initial-ms"]) ?? base.initialDelayMs,
};

const running = await startSimulatorServer({
  appUrl: values.app!,
  secret,
  shop: { domain: values.shop!, name: values["shop-name"]!, currency: values.currency!, timezone: values.timezone! },
  seed: int(values.seed),
  firstOrderNumber: int(values["first-order-number"]),
  concurrency: int(values.concurrency),
  timeoutMs: int(values["timeout-ms"]),
  retry,
  port: int(values.port) ?? int(process.env.SIMULATOR_PORT) ?? 4300,
  host: values.host,
  log: (line) => console.log(line),
  apiKey: values["api-key"] ?? process.env.SHOPIFY_API_KEY,
  accessTokens: values["access-token"],
  discounts: values.discount!.map((code) => ({ code })),
  journeyReadyAfterFetches: int(values["journey-ready-after"]),
  caCertPath: values["ca-cert"],
  bulkOperationDelayMs: int(values["bulk-delay-ms"]),
});

console.log(`Store simulator for ${values.shop} listening on ${running.url} (webhooks → ${values.app})`);
const proxyEnv = Object.entries(adminApiProxyEnv(running))
  .map(([name, value]) => `${name}=${value}`)
  .join(" ");
console.log(`Admin API for https://${values.shop}: start the app with ${proxyEnv}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the simulator`);
  await running.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
