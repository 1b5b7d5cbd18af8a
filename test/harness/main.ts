// CLI: npx tsx test/harness/main.ts --app http://127.0.0.1:3000 --shop demo-creator-store.myshopify.com
//   (or `npm run harness -- …`). Key and secret come from --api-key/--api-secret or SHOPIFY_API_KEY/SHOPIFY_API_SECRET.
// Run the app with SHOPIFY_APP_URL=<harness origin> and APP_BRIDGE_URL=<harness origin>/app-bridge.js.
import { parseArgs } from "node:util";
import { startHarness } from "./server";

const USAGE = `Local admin harness: frames the embedded app like Shopify admin, with session tokens and an App Bridge stand-in.

  --app URL          the app's origin (default http://127.0.0.1:3000)
  --shop DOMAIN      shop domain (default demo-creator-store.myshopify.com)
  --shop-name NAME   shown in the top bar (default Demo Creator Store)
  --api-key KEY      the app's API key (default $SHOPIFY_API_KEY)
  --api-secret S     the app's API secret (default $SHOPIFY_API_SECRET)
  --port N           default $HARNESS_PORT or 4200
  --host HOST        interface to listen on (default 127.0.0.1)
  --public-url URL   origin people open (default http://localhost:<port>)`;

const { values } = parseArgs({
  options: {
    app: { type: "string", default: "http://127.0.0.1:3000" },
    shop: { type: "string", default: "demo-creator-store.myshopify.com" },
    "shop-name": { type: "string", default: "Demo Creator Store" },
    "api-key": { type: "string" },
    "api-secret": { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "public-url": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const apiKey = values["api-key"] ?? process.env.SHOPIFY_API_KEY;
const apiSecret = values["api-secret"] ?? process.env.SHOPIFY_API_SECRET;
if (!apiKey || !apiSecret) {
  console.error("The harness needs the app's API key and secret (--api-key/--api-secret or SHOPIFY_API_KEY/SHOPIFY_API_SECRET).\n");
  console.error(USAGE);
  process.exit(2);
}

const harness = await startHarness({
  appUrl: values.app!,
  shop: values.shop!,
  shopName: values["shop-name"],
  apiKey,
  apiSecret,
  port: values.port ? Number(values.port) : process.env.HARNESS_PORT ? Number(process.env.HARNESS_PORT) : 4200,
  host: values.host,
  publicUrl: values["public-url"],
  log: (line) => console.log(line),
});
console.log(`Admin harness for ${values.shop} on ${harness.adminUrl} (proxying ${values.app})`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the harness`);
  await harness.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
