// The app as production runs it, for the benchmarks: web (app/web.server.ts over build/) and worker as their own node
// processes against the run's throwaway database, output to log files (not piped through this process, which
// generates the load and must not spend its CPU reading access logs), and their memory read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageScriptCommand } from "../support/e2e-app";
import { freePort, waitForHttp } from "../support/processes";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The Node the project pins (devDependency "node"), as `npm run` puts it first on PATH. */
export const NODE = existsSync(join(ROOT, "node_modules", ".bin", "node")) ? join(ROOT, "node_modules", ".bin", "node") : process.execPath;
export const BENCH_API_SECRET = "bench-api-secret";
export const LOG_DIR = join(ROOT, "test", "bench", "results", "logs");

/** The environment web and worker share; DATABASE_URL and QUEUE_PREFIX name the run's database and queues. */
export function appEnv(databaseUrl: string, queuePrefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: queuePrefix,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: BENCH_API_SECRET,
    SHOPIFY_APP_URL: "http://localhost:3000",
    SCOPES: "read_orders,read_discounts,write_discounts,read_customers,read_products",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    ...extra,
  };
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Memory of the process as /proc reports it, in MB: now (VmRSS) and the peak since it started (VmHWM). */
  memory(): { rssMb: number; peakRssMb: number } | null;
  stop(): Promise<void>;
}

/** Web and worker processes still running: they are detached (a process group each), so no terminal signal reaches them. */
const runningApps = new Set<ChildProcess>();

/** For an interrupted run: SIGTERM to every web and worker this process started and that still runs. */
export function terminateRunningApps(): void {
  for (const child of runningApps) child.kill("SIGTERM");
}

function spawnApp(name: string, args: string[], env: NodeJS.ProcessEnv): AppProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const fd = openSync(logFile, "w");
  // BENCH_CPU_PROF=1: V8 CPU profiles of web and worker, written when they exit (open them in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${join(LOG_DIR, "profiles")}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
  const child = spawn(NODE, [...profile, ...args], { cwd: ROOT, env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  runningApps.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      runningApps.delete(child);
      resolve();
    }),
  );
  return {
    name,
    child,
    pid: child.pid,
    logFile,
    memory: () => processMemory(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function processMemory(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

function logTail(process: AppProcess, lines = 30): string {
  try {
    return readFileSync(process.logFile, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** `npm start`: the web server over the production build, on a port of its own. */
export async function startWeb(env: NodeJS.ProcessEnv, name = "web"): Promise<{ process: AppProcess; url: string }> {
  const port = await freePort();
  const command = packageScriptCommand("start");
  const web = spawnApp(name, command.args, { ...env, ...command.env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/webhooks`, { timeoutMs: 60_000 });
  } catch (error) {
    await web.stop();
    throw new Error(`${name} did not come up: ${(error as Error).message}\n${logTail(web)}`);
  }
  return { process: web, url };
}

/** `npm run worker`: the worker's production build (build/worker), with the script's node flags. */
export async function startWorker(env: NodeJS.ProcessEnv, name = "worker"): Promise<AppProcess> {
  const command = packageScriptCommand("worker");
  const worker = spawnApp(name, command.args, { ...env, ...command.env });
  const deadline = Date.now() + 60_000;
  while (!readFileSync(worker.logFile, "utf8").includes("worker started")) {
    if (worker.child.exitCode !== null || Date.now() > deadline) {
      await worker.stop();
      throw new Error(`worker did not start\n${logTail(worker)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return worker;
}

/** A node script of the bench (e.g. the bare webhook server) as its own process; it prints "listening <port>". */
export async function startBenchScript(name: string, script: string, env: NodeJS.ProcessEnv): Promise<{ process: AppProcess; url: string }> {
  const port = await freePort();
  const child = spawnApp(name, ["--import", "tsx", script], { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/`, { timeoutMs: 30_000 });
  } catch (error) {
    await child.stop();
    throw new Error(`${name} did not come up: ${(error as Error).message}\n${logTail(child)}`);
  }
  return { process: child, url };
}

/** Samples the processes' memory while work runs; the peak is the highest VmHWM seen (it survives until exit). */
export class MemorySampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: AppProcess[], private readonly everyMs = 250) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  private sample() {
    for (const process of this.processes) {
      const memory = process.memory();
      if (memory) this.peaks.set(process.name, Math.max(this.peaks.get(process.name) ?? 0, memory.peakRssMb));
    }
  }

  /** Peak RSS in MB per process name. */
  stop(): Map<string, number> {
    this.sample();
    clearInterval(this.timer);
    return new Map(this.peaks);
  }
}

/** A run's BullMQ keys (the workers' repeatable sweeps included) would otherwise stay in Redis. */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1_000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
