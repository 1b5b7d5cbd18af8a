// The worker process's production build (`npm run build`, after the web build): app/worker.server.ts and the app code
// it imports, compiled to one plain JavaScript module (build/worker/index.js) that `npm run worker` runs with plain
// node. Run through tsx, the worker also held tsx's loader and each module's TypeScript source beside its compiled
// output (45–75 MB more at peak in the e2e bench). Packages stay external (Vite's SSR default): node loads them from
// node_modules, as the web build does. `npm run worker:dev` still runs the sources through tsx.
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { DATE_PACKAGES } from "./vite.shared";

export default defineConfig({
  plugins: [tsconfigPaths()],
  // Nothing from public/ belongs to the worker.
  publicDir: false,
  // As in the web build (vite.config.ts): date-fns bundled and tree-shaken rather than all its modules loaded.
  ssr: { noExternal: DATE_PACKAGES },
  build: {
    ssr: "app/worker.server.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node24",
    // Unminified, like the web build's server code: stack traces in the worker's logs name the app's functions.
    minify: false,
    rollupOptions: { output: { format: "esm", entryFileNames: "index.js" } },
  },
});
