import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [tsconfigPaths()],
        test: {
          name: "app",
          include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
          exclude: ["node_modules", "build", "test/bench/**"],
          globalSetup: ["test/setup/global-setup.ts"],
          setupFiles: ["test/setup/env.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
      // The checkout UI extension (Preact under jsdom), with its own config.
      "extensions/post-purchase-survey",
    ],
  },
});
