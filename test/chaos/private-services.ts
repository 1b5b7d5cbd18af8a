// The chaos run's own PostgreSQL cluster and Redis server, so that stopping, killing and wiping them touches nobody
// else: the shared PostgreSQL on 5432 and Redis on 6379 serve the other test files. Both live in a temporary
// directory that is removed at the end.
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, runCommand, startService, type Service } from "../support/processes";

/** initdb and pg_ctl: CHAOS_PG_BIN, else the newest Debian/Ubuntu install, else whatever PATH has. */
function postgresBin(): string {
  if (process.env.CHAOS_PG_BIN) return process.env.CHAOS_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, "bin")).find((bin) => existsSync(join(bin, "initdb")));
  return found ?? "";
}

const runningAsRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user, else to whoever runs this. */
function asClusterOwner(command: string, args: string[]): [string, string[]] {
  return runningAsRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

function postgresUserIds(): [number, number] {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (!line) throw new Error("Running as root needs a `postgres` user to own the private cluster (PostgreSQL refuses root)");
  const [, , uid, gid] = line.split(":");
  return [Number(uid), Number(gid)];
}

export class PrivatePostgres {
  running = false;
  private readonly bin = postgresBin();

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** A fresh cluster (trust authentication, user postgres) on 127.0.0.1 and a free port. */
  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), "chaos-pg-"));
    if (runningAsRoot()) chownSync(dir, ...postgresUserIds());
    const cluster = new PrivatePostgres(await freePort(), dir);
    try {
      await runCommand(...asClusterOwner(cluster.tool("initdb"), ["-D", cluster.dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]), { timeoutMs: 60_000 });
      await cluster.start();
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return cluster;
  }

  /** The cluster's maintenance database; databases for the run are created next to it. */
  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get logFile(): string {
    return join(this.dir, "postgres.log");
  }

  private get dataDir(): string {
    return join(this.dir, "data");
  }

  private tool(name: string): string {
    return this.bin ? join(this.bin, name) : name;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=60`;
    await runCommand(...asClusterOwner(this.tool("pg_ctl"), ["-D", this.dataDir, "-o", options, "-l", this.logFile, "-w", "-t", "60", "start"]), {
      timeoutMs: 70_000,
    });
    this.running = true;
  }

  /**
   * `immediate` is a crash as far as clients can tell: every connection is cut mid-transaction and the restart
   * replays the WAL. What was committed stays; what was not is gone.
   */
  async stop(mode: "fast" | "immediate" = "immediate"): Promise<void> {
    await runCommand(...asClusterOwner(this.tool("pg_ctl"), ["-D", this.dataDir, "-m", mode, "-w", "-t", "60", "stop"]), { timeoutMs: 70_000 });
    this.running = false;
  }

  /** Stops the cluster if it runs and deletes its directory. */
  async destroy(): Promise<void> {
    if (this.running) await this.stop("fast").catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  get removed(): boolean {
    return !existsSync(this.dir);
  }
}

/** A redis-server that keeps nothing on disk: killing and starting it again is Redis losing every key. */
export class PrivateRedis {
  service: Service | undefined;
  restarts = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly logFile: (generation: number) => string,
  ) {}

  static async create(logFile: (generation: number) => string): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), "chaos-redis-")), logFile);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir];
    this.service = startService({ name: "redis", command: process.env.CHAOS_REDIS_SERVER ?? "redis-server", args, logFile: this.logFile(this.restarts) });
    await this.service.waitForLine(/Ready to accept connections/, 20_000);
  }

  /** SIGKILL, then a new empty server on the same port. */
  async restart(downMs: number): Promise<void> {
    await this.kill();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.restarts += 1;
    await this.start();
  }

  async kill(): Promise<void> {
    if (!this.service || this.service.exitInfo) return;
    process.kill(-this.service.child.pid!, "SIGKILL");
    await this.service.exited;
  }

  async destroy(): Promise<void> {
    await this.service?.stop(2_000);
    rmSync(this.dir, { recursive: true, force: true });
  }

  get removed(): boolean {
    return !existsSync(this.dir);
  }
}
