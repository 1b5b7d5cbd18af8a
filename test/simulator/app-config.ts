// What Shopify knows about the app from its configuration (shopify.app.toml): the scopes a merchant grants on
// install and the webhook topics the app subscribes to. The simulator behaves as Shopify does with them: token
// exchange grants those scopes, and only subscribed topics are delivered.
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";

export interface AppConfig {
  /** Comma-separated, as Shopify returns them in `scope`. */
  scopes: string;
  /** Webhook topics in their toml spelling ("orders/create"), compliance topics included. */
  subscribedTopics: string[];
}

const APP_TOML = new URL("../../shopify.app.toml", import.meta.url);

let cached: AppConfig | undefined;

export function appConfig(): AppConfig {
  if (cached) return cached;
  const toml = parseToml(readFileSync(APP_TOML, "utf8")) as {
    access_scopes?: { scopes?: string };
    webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[] }[] };
  };
  const subscriptions = toml.webhooks?.subscriptions ?? [];
  cached = {
    scopes: (toml.access_scopes?.scopes ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean)
      .join(","),
    subscribedTopics: subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]),
  };
  return cached;
}
