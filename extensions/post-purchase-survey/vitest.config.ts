import { defineConfig } from "vitest/config";

// The extension's tests, run by the root `npm test` as the "post-purchase-survey" project.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  test: {
    name: "post-purchase-survey",
    include: ["tests/**/*.test.{ts,tsx}"],
    environment: "jsdom",
    // The bundle gets APP_URL from the Shopify CLI; the tests from here.
    env: { APP_URL: "https://creator-ledger.test" },
    // The tester imports the extension's .tsx modules itself: let Vite transform them.
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
  },
});
