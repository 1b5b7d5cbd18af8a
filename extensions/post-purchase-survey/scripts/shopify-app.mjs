// Runs `shopify app <command> [args…]` (build, deploy) with APP_URL set, so the survey extension's bundle
// knows the app's origin (see src/app-origin.ts): APP_URL from the environment when set, otherwise
// `application_url` of the app configuration in use — shopify.app.toml, or shopify.app.<name>.toml with
// `--config <name>` / `-c <name>` / SHOPIFY_FLAG_APP_CONFIG, as the CLI picks it.
// (`shopify app dev` needs none of this: the CLI sets APP_URL to the dev URL itself.)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "smol-toml";

/** The app configuration file `shopify app …` reads for these arguments. */
export function configFileFor(args, env = process.env) {
  let name = env.SHOPIFY_FLAG_APP_CONFIG;
  args.forEach((arg, i) => {
    if (arg === "--config" || arg === "-c") name = args[i + 1];
    else if (arg.startsWith("--config=")) name = arg.slice("--config=".length);
  });
  if (!name) return "shopify.app.toml";
  return /^shopify\.app\..*toml$/.test(name) ? name : `shopify.app.${name}.toml`;
}

/** `application_url` of an app configuration, checked to be an absolute http(s) URL. */
export function applicationUrlOf(tomlText, file = "the app configuration") {
  const url = parse(tomlText).application_url;
  if (typeof url !== "string" || !/^https?:\/\/[^/]/.test(url)) {
    throw new Error(`${file} has no absolute application_url`);
  }
  return url;
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error("usage: shopify-app.mjs <build|deploy|…> [args…]");
    return 2;
  }
  let appUrl = process.env.APP_URL;
  if (!appUrl) {
    const file = configFileFor(args);
    appUrl = applicationUrlOf(readFileSync(resolve(file), "utf8"), file);
  }
  console.log(`Extensions call the app at ${appUrl} (APP_URL)`);
  const result = spawnSync("shopify", ["app", command, ...args], {
    stdio: "inherit",
    env: { ...process.env, APP_URL: appUrl },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
