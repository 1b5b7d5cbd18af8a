// The simulator's control API (JSON over HTTP), used by the demo, the e2e test and curl:
//   GET  /health
//   POST /orders                  {code?, codes?, codeShare?, count?, wait?}   place orders, deliver orders/create
//   GET  /orders                                                              the orders placed so far
//   POST /orders/:id/:kind        kind = paid | remove-code | refund | cancel  (id: numeric id, gid or "#1001")
//   POST /replay                  {orders, codes, codeShare?, days?}           store history, in the background
//   GET  /replay                                                              its progress
//   GET  /deliveries[?all=1]                                                  delivery summary (+ the full log)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Delivery } from "./delivery";
import { StoreSimulator, type FollowUpKind, type ReplayProgress, type StoreSimulatorOptions } from "./store";

export interface SimulatorServerOptions extends StoreSimulatorOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningSimulator {
  simulator: StoreSimulator;
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FOLLOW_UPS: readonly FollowUpKind[] = ["paid", "remove-code", "refund", "cancel"];

export async function startSimulatorServer(options: SimulatorServerOptions): Promise<RunningSimulator> {
  const log = options.log ?? (() => undefined);
  const simulator = new StoreSimulator({
    ...options,
    onDelivery: (delivery) => {
      options.onDelivery?.(delivery);
      // Successful first attempts are the normal case and stay quiet; retries, late successes and give-ups are logged.
      const retried = delivery.attempts.length > 1;
      if (delivery.state === "failed" || delivery.state === "retrying" || (delivery.state === "delivered" && retried)) {
        const last = delivery.attempts.at(-1);
        const outcome = last?.status ?? last?.error ?? "?";
        log(`${delivery.topic} ${delivery.subject} attempt ${delivery.attempts.length}: ${outcome} → ${delivery.state}`);
      }
    },
  });
  let replay: { progress: ReplayProgress; error: string | null } | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const parts = url.pathname.split("/").filter(Boolean);
    const body = req.method === "POST" ? await readJson(req) : {};

    if (req.method === "GET" && url.pathname === "/health") {
      return send(res, 200, { ok: true, shop: simulator.shop.domain, appUrl: simulator.appUrl });
    }

    if (url.pathname === "/orders" && req.method === "POST") {
      const count = optionalNumber(body.count, "count") ?? 1;
      if (count < 1 || count > 10_000) throw new HttpError(400, "count must be between 1 and 10000");
      const { orders, deliveries } = simulator.placeOrders({
        code: optionalString(body.code, "code"),
        codes: optionalStringArray(body.codes, "codes"),
        codeShare: optionalNumber(body.codeShare, "codeShare"),
        varyCodeSpelling: typeof body.varyCodeSpelling === "boolean" ? body.varyCodeSpelling : undefined,
        count,
      });
      if (body.wait !== false) await simulator.deliverer.settled(deliveries);
      return send(res, 201, { orders: orders.map((o) => simulator.summarize(o)), deliveries: deliveries.map(brief) });
    }

    if (url.pathname === "/orders" && req.method === "GET") {
      const orders = [...simulator.generator.orders.values()].slice(-200).map((o) => simulator.summarize(o));
      return send(res, 200, { orders });
    }

    if (parts[0] === "orders" && parts.length === 3 && req.method === "POST") {
      const order = simulator.findOrder(decodeURIComponent(parts[1]!));
      if (!order) throw new HttpError(404, `No order ${parts[1]}`);
      const kind = parts[2] as FollowUpKind;
      if (!FOLLOW_UPS.includes(kind)) throw new HttpError(404, `Unknown follow-up ${kind}; use one of ${FOLLOW_UPS.join(", ")}`);
      let deliveries: Delivery[];
      try {
        deliveries = simulator.followUp(order, kind).deliveries;
      } catch (error) {
        throw new HttpError(409, (error as Error).message);
      }
      if (body.wait !== false) await simulator.deliverer.settled(deliveries);
      return send(res, 201, { order: simulator.summarize(order), deliveries: deliveries.map(brief) });
    }

    if (url.pathname === "/replay" && req.method === "POST") {
      if (replay && !replay.progress.done && !replay.error) throw new HttpError(409, "A replay is already running");
      const orders = optionalNumber(body.orders, "orders") ?? 200;
      const codes = optionalStringArray(body.codes, "codes") ?? [];
      const state: { progress: ReplayProgress; error: string | null } = {
        progress: { ordersPlaced: 0, ordersTotal: orders, events: 0, delivered: 0, failed: 0, done: false },
        error: null,
      };
      replay = state;
      simulator
        .replay({
          orders,
          codes,
          codeShare: optionalNumber(body.codeShare, "codeShare"),
          days: optionalNumber(body.days, "days"),
          onProgress: (progress) => (state.progress = progress),
        })
        .then((progress) => (state.progress = progress))
        .catch((error: Error) => (state.error = error.message));
      return send(res, 202, { started: true, orders });
    }

    if (url.pathname === "/replay" && req.method === "GET") {
      if (!replay) throw new HttpError(404, "No replay has been started");
      return send(res, 200, { ...replay.progress, error: replay.error });
    }

    if (url.pathname === "/deliveries" && req.method === "GET") {
      const log = simulator.deliverer.log;
      return send(res, 200, {
        summary: simulator.deliverer.summary(),
        ...(url.searchParams.get("all") === "1" ? { deliveries: log } : { recent: log.slice(-20).map(brief) }),
      });
    }

    throw new HttpError(404, `No route ${req.method} ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`control API error: ${(error as Error).stack ?? error}`);
      send(res, status, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4300, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    simulator,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      simulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function brief(delivery: Delivery) {
  const last = delivery.attempts.at(-1);
  return {
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    topic: delivery.topic,
    subject: delivery.subject,
    state: delivery.state,
    attempts: delivery.attempts.length,
    lastStatus: last?.status ?? null,
    lastError: last?.error ?? null,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, "Body must be a JSON object");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new HttpError(400, `${name} must be a string`);
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new HttpError(400, `${name} must be a number`);
  return value;
}

function optionalStringArray(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new HttpError(400, `${name} must be an array of strings`);
  return value as string[];
}
