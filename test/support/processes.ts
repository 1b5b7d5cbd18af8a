// Starting, watching and stopping the app's processes for the demo and the end-to-end tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";
import { createInterface } from "node:readline";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives every output line (stdout and stderr) of the process. */
  onLine?: (line: string, service: Service) => void;
  /** Also write every line to this file. */
  logFile?: string;
  /** Lines kept in memory for error reports. */
  keepLines?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Service {
  name: string;
  child: ChildProcess;
  /** The last lines of output (see keepLines). */
  lines: string[];
  exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | null;
  /** Resolves with the first output line matching `pattern`; rejects if the process exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM to the process group, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** The recent output, for error messages. */
  tail(count?: number): string;
}

/**
 * Spawns a command in its own process group (so that `npm run x` and everything it starts can be stopped together,
 * and a Ctrl-C in the terminal reaches only the orchestrator, which then stops the services in order).
 */
const FIRST_LINES_KEPT = 50;

export function startService(spec: ServiceSpec): Service {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = spec.keepLines ?? 400;
  const lines: string[] = [];
  // Start-up lines ("worker started") stay findable however much follows them: a worker that boots into a backlog of
  // failing jobs can print more than `keep` lines before anyone waits for its start.
  const firstLines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let logStream: WriteStream | undefined;
  if (spec.logFile) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    logStream = createWriteStream(spec.logFile, { flags: "w" });
  }

  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  const service: Service = {
    name: spec.name,
    child,
    lines,
    exited,
    exitInfo: null,
    waitForLine(pattern, timeoutMs = 60_000) {
      const existing = firstLines.find((line) => pattern.test(line)) ?? lines.find((line) => pattern.test(line));
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`${spec.name}: no line matching ${pattern} within ${timeoutMs} ms\n${service.tail(30)}`));
        }, timeoutMs);
        const watch = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve(line);
        };
        watchers.add(watch);
        void exited.then((info) => {
          if (!watchers.has(watch)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          reject(new Error(`${spec.name} exited (${describeExit(info)}) before printing ${pattern}\n${service.tail(30)}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (service.exitInfo) return service.exitInfo;
      signalGroup(child, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
    tail(count = 40) {
      return lines.slice(-count).map((line) => `  [${spec.name}] ${line}`).join("\n");
    },
  };

  const onLine = (line: string) => {
    if (firstLines.length < FIRST_LINES_KEPT) firstLines.push(line);
    lines.push(line);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
    logStream?.write(`${line}\n`);
    for (const watch of [...watchers]) watch(line);
    spec.onLine?.(line, service);
  };
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", onLine);
  child.on("error", (error) => onLine(`failed to start: ${error.message}`));
  child.on("exit", (code, signal) => {
    service.exitInfo = { code, signal };
    // Give the last output lines a moment to arrive before reporting the exit.
    setTimeout(() => {
      logStream?.end();
      resolveExit({ code, signal });
    }, 50);
  });
  return service;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the group this service runs in (spawned detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
}

/** Stops services in the given order (e.g. simulator before web, so no webhook hits a stopped app). */
export async function stopServices(services: readonly Service[], graceMs = 10_000): Promise<void> {
  for (const service of services) await service.stop(graceMs);
}

export interface WaitForHttpOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Which responses count as "up" (default: any status below 500). */
  accept?: (response: Response) => boolean;
  /** Fail early when the process that should answer has exited. */
  service?: Service;
}

export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<Response> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const accept = options.accept ?? ((response: Response) => response.status < 500);
  let last = "no attempt";
  while (Date.now() < deadline) {
    if (options.service?.exitInfo) {
      throw new Error(`${options.service.name} exited (${describeExit(options.service.exitInfo)}) before ${url} answered\n${options.service.tail(30)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
      if (accept(response)) return response;
      last = `HTTP ${response.status}`;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
  const tail = options.service ? `\n${options.service.tail(30)}` : "";
  throw new Error(`${url} did not come up (${last})${tail}`);
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Is something already listening on this port? */
export async function portInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

/** Runs a command to completion, collecting its output; rejects with the output on failure. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    const onLine = (line: string) => {
      output.push(line);
      options.onLine?.(line);
    };
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", onLine);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill("SIGTERM");
          output.push(`(killed after ${options.timeoutMs} ms)`);
        }, options.timeoutMs)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      const text = output.join("\n");
      if (code === 0) resolve(text);
      else reject(new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${text.split("\n").slice(-40).join("\n")}`));
    });
  });
}
