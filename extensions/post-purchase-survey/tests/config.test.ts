import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { parse } from "smol-toml";
import { describe, expect, test, vi } from "vitest";

import { appOrigin, originOf, surveyEndpoint } from "../src/app-origin";
import { applicationUrlOf, configFileFor } from "../scripts/shopify-app.mjs";
import { localeMessages } from "./helpers";

const extensionDir = join(import.meta.dirname, "..");
const appDir = join(extensionDir, "..", "..");
const readToml = (file: string) => parse(readFileSync(file, "utf8")) as Record<string, any>;

describe("shopify.extension.toml", () => {
  const toml = readToml(join(extensionDir, "shopify.extension.toml"));
  const app = readToml(join(appDir, "shopify.app.toml"));

  test("uses the app's API version and targets both order pages, with network access", () => {
    expect(toml.api_version).toBe(app.webhooks.api_version);
    expect(toml.api_version).toBe("2026-07");
    const [extension] = toml.extensions;
    expect(extension.targeting.map((entry: { target: string }) => entry.target)).toEqual([
      "purchase.thank-you.block.render",
      "customer-account.order-status.block.render",
    ]);
    expect(extension.capabilities).toEqual({ network_access: true });
  });
});

describe("locales", () => {
  const keys = (node: unknown, prefix = ""): string[] =>
    typeof node === "object" && node !== null
      ? Object.entries(node).flatMap(([key, value]) => keys(value, `${prefix}${key}.`))
      : [prefix.slice(0, -1)];

  test("French has every English key, and no other", () => {
    expect(keys(localeMessages("fr")).sort()).toEqual(keys(localeMessages("en")).sort());
  });

  test("the English default is the one Shopify falls back to", () => {
    expect(localeMessages("en")).toMatchObject({ survey: { defaultQuestion: "How did you hear about us?" } });
  });
});

describe("the app's origin", () => {
  test("comes from APP_URL, set when the extension is bundled", () => {
    expect(appOrigin()).toBe("https://creator-ledger.test");
    expect(surveyEndpoint("thank-you")).toBe("https://creator-ledger.test/api/survey/thank-you");
    expect(surveyEndpoint("order-status")).toBe("https://creator-ledger.test/api/survey/order-status");
  });

  test("is the origin of an absolute http(s) URL only", () => {
    expect(originOf("https://ledger.example.com/some/path/")).toBe("https://ledger.example.com");
    expect(originOf("http://localhost:3000")).toBe("http://localhost:3000");
    expect(originOf("ledger.example.com")).toBeNull();
    expect(originOf("ftp://ledger.example.com")).toBeNull();
    expect(originOf("")).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });

  test("is missing when the bundle has no APP_URL", () => {
    vi.stubEnv("APP_URL", "");
    try {
      expect(appOrigin()).toBeNull();
      expect(surveyEndpoint("thank-you")).toBeNull();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("the build and deploy scripts read application_url from the app configuration in use", () => {
    expect(configFileFor([], {})).toBe("shopify.app.toml");
    expect(configFileFor(["--config", "production"], {})).toBe("shopify.app.production.toml");
    expect(configFileFor(["--config=staging"], {})).toBe("shopify.app.staging.toml");
    expect(configFileFor(["-c", "shopify.app.eu.toml"], {})).toBe("shopify.app.eu.toml");
    expect(configFileFor([], { SHOPIFY_FLAG_APP_CONFIG: "production" })).toBe("shopify.app.production.toml");

    const appToml = readFileSync(join(appDir, "shopify.app.toml"), "utf8");
    expect(applicationUrlOf(appToml)).toBe(readToml(join(appDir, "shopify.app.toml")).application_url);
    expect(() => applicationUrlOf('application_url = "/relative"')).toThrow(/no absolute application_url/);
  });
});

test("one copy of Preact: the extension, @preact/signals and the tester share it", () => {
  const from = (dir: string) => createRequire(join(dir, "noop.js")).resolve("preact");
  const requireHere = createRequire(join(extensionDir, "package.json"));
  const signalsDir = join(requireHere.resolve("@preact/signals"), "..");
  const testerDir = join(requireHere.resolve("@shopify/ui-extensions-tester"), "..");
  expect(new Set([from(join(extensionDir, "src")), from(signalsDir), from(testerDir)]).size).toBe(1);
});
