// The app's production build (build/), made only when it is missing or older than the sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./processes";

const SOURCES = [
  "app",
  "public",
  "vite.config.ts",
  "vite.worker.config.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];
/** What `npm run build` writes last of each part: the web server's build and the worker's. */
const OUTPUTS = [join("build", "server", "index.js"), join("build", "worker", "index.js")];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    // Tests are not part of the build.
    if (entry.isFile() && /\.test\.[cm]?[jt]sx?$/.test(entry.name)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

export function buildIsFresh(root: string): boolean {
  const outputs = OUTPUTS.map((output) => join(root, output));
  if (!outputs.every((output) => existsSync(output)) || !existsSync(join(root, "build", "client"))) return false;
  const built = Math.min(...outputs.map((output) => statSync(output).mtimeMs));
  return SOURCES.every((source) => newestMtime(join(root, source)) <= built);
}

/**
 * Runs `npm run build` unless build/ is up to date. `mode`: "auto" (default), "always", or "never" (trust build/).
 */
export async function ensureProductionBuild(root: string, mode: "auto" | "always" | "never" = "auto"): Promise<"reused" | "built"> {
  if (mode === "never" || (mode === "auto" && buildIsFresh(root))) {
    if (!OUTPUTS.every((output) => existsSync(join(root, output)))) throw new Error("build/ is missing: run npm run build");
    return "reused";
  }
  await runCommand("npm", ["--silent", "run", "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, timeoutMs: 180_000 });
  return "built";
}
