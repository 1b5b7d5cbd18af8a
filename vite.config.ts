import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { DATE_PACKAGES } from "./vite.shared";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    port: Number(process.env.PORT || 3000),
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Bundled into the server build (tree-shaken) rather than imported from node_modules: date-fns's entry loads all
  // of its ~250 modules, which alone took the web process's startup peak RSS from ~200 to ~370 MB.
  ssr: { noExternal: DATE_PACKAGES },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
