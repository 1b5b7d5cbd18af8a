// The simulator's control API (JSON over HTTP), used by the demo, the e2e test and curl:
//   GET    /health
//   POST   /orders                 {code?, codes?, codeShare?, creators?, creatorShare?, signals?, products?, count?, placedAt?, shipTo?, wait?}
//                                  place orders, deliver orders/create (creators: [{handle, code?, linkSlug?,
//                                  referrer?, clickIds?}], signals: code | utm-link | ref-param | note-attribute |
//                                  referrer | journey-only | coupon-site; products: ids or gids, one line each)
//   GET    /orders                                                    the orders placed so far
//   POST   /orders/:id/:kind       kind = paid | remove-code | refund | cancel  (id: numeric id, gid or "#1001")
//   POST   /replay                 {orders, codes?, codeShare?, creators?, creatorShare?, signals?, days?}
//                                  store history, in the background
//   GET    /replay                                                    its progress
//   GET    /deliveries[?all=1]                                        delivery summary (+ the full log)
//   GET    /discounts                                                 the shop's code discounts
//   POST   /discounts              {code, title?, percentage?, amount?, startsAt?, endsAt?}
//                                  a discount the shop already has (no webhook: it predates the app)
//   POST   /discounts/:id/rename   {code, wait?}   the merchant renames the code (id: numeric, gid or code):
//                                  discounts/redeemcode_removed, discounts/redeemcode_added, discounts/update
//   DELETE /discounts/:id          {wait?}         the merchant deletes it: discounts/delete
//   GET    /products[?query=]                                          the catalog (Shopify's search syntax)
//   POST   /products               {title, price}  a product the merchant adds (no webhook: the app subscribes to none)
//   GET    /collections                                               the shop's collections and their products
//   POST   /collections            {title, products?}                 a collection the merchant creates
//   POST   /collections/:id/products {add?, remove?, wait?}           the merchant adds/removes products (id: numeric,
//                                  gid or title): one collections/update
//   DELETE /collections/:id        {wait?}         the merchant deletes it: collections/delete
//   GET    /admin-api/requests[?kind=graphql|token-exchange]          what the app asked the Admin API
//   DELETE /admin-api/requests                                        forget them
//   POST   /admin-api/throttle     {requests}      the next N GraphQL requests answer THROTTLED
//   POST   /admin-api/access-tokens {token}        accept another offline access token
//   GET    /admin-api/ca.pem                                          the CA certificate the app must trust
//   GET    /admin-api/bulk-operations                                 the shop's bulk operations
//   POST   /admin-api/bulk-operations/fail-next {errorCode?}          the next bulk operation ends FAILED
//                                  (INTERNAL_SERVER_ERROR by default; TIMEOUT; ACCESS_DENIED)
//   POST   /admin-api/bulk-operations/settings {delayMs?, concurrencyLimit?}
//                                  how long bulk operations take, and how many may be in progress at once
//
// The same port is the app's HTTPS proxy to Shopify: CONNECT <shop>.myshopify.com:443 is answered by the
// simulator's Admin API, and CONNECT storage.googleapis.com:443 by its bulk operation result files (see
// admin-tunnel.ts; test/support/admin-api.ts has the app's environment for it).
// Webhooks are delivered only for topics the app subscribes to (shopify.app.toml, or the subscribedTopics option).
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessTokens } from "./access-tokens";
import { AdminApi } from "./admin-api";
import { attachAdminTunnel } from "./admin-tunnel";
import { BULK_OPERATION_ERROR_CODES, type BulkOperationErrorCode } from "./bulk-operations";
import { appConfig } from "./app-config";
import { collectionGid, productGid, UnknownCatalogItemError, type SimCollection, type SimProduct } from "./catalog";
import { matchesSearch, parseSearchQuery } from "./search-query";
import { createCertificateAuthority } from "./certificates";
import type { Delivery } from "./delivery";
import { DiscountCodeTakenError, discountGid, type CodeDiscount, type NewCodeDiscount } from "./discounts";
import { formatAmount, parseAmount } from "./money";
import { SHIPPING_REGIONS } from "./orders";
import { StoreSimulator, type FollowUpKind, type ReplayProgress, type StoreSimulatorOptions } from "./store";
import { ATTRIBUTION_SIGNALS, UnusableSignalsError, type AttributionSignal, type CreatorSignals } from "./traffic";

export interface SimulatorServerOptions extends StoreSimulatorOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Offline access tokens the Admin API accepts from the start (sessions the app already stored). */
  accessTokens?: readonly string[];
  /** The app's API key: token exchange then checks client_id and the session token's aud against it. */
  apiKey?: string;
  /** The scopes token exchange grants (default: shopify.app.toml's access_scopes). */
  scopes?: string;
  /** Reads of an order's customerJourneySummary that answer `ready: false` before it is ready (default 1). */
  journeyReadyAfterFetches?: number;
  /** Where to write the CA certificate the app must trust (default: <tmpdir>/creator-ledger-simulator-ca-<port>-<random>.pem). */
  caCertPath?: string;
  /** How long a bulk operation takes from CREATED to COMPLETED (RUNNING halfway); default 200 ms. */
  bulkOperationDelayMs?: number;
  /** Bulk query operations in progress at once (default 5, as Shopify allows since API version 2026-01). */
  bulkQueryConcurrencyLimit?: number;
}

export interface RunningSimulator {
  simulator: StoreSimulator;
  adminApi: AdminApi;
  server: Server;
  url: string;
  port: number;
  /** The simulator's CA certificate (PEM) and the file it was written to. */
  caCertPem: string;
  caCertPath: string;
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
  const tokens = new AccessTokens({
    shopDomain: simulator.shop.domain,
    apiSecret: options.secret,
    apiKey: options.apiKey,
    scopes: options.scopes ?? appConfig().scopes,
  });
  for (const token of options.accessTokens ?? []) tokens.register(token);
  const adminApi = new AdminApi({
    store: simulator,
    tokens,
    journeyReadyAfterFetches: options.journeyReadyAfterFetches,
    bulkOperationDelayMs: options.bulkOperationDelayMs,
    bulkQueryConcurrencyLimit: options.bulkQueryConcurrencyLimit,
  });
  const authority = createCertificateAuthority();

  /** Deliveries started for the events, and the topics the app is not subscribed to (not delivered). */
  const deliverChange = async (result: { events: readonly { topic: string }[]; deliveries: Delivery[] }, wait: boolean) => {
    if (wait) await simulator.deliverer.settled(result.deliveries);
    const notSubscribed = [...new Set(result.events.map((e) => e.topic).filter((topic) => !simulator.subscribes(topic)))];
    return { deliveries: result.deliveries.map(brief), notSubscribed };
  };
  const collectionOr404 = (id: string) => {
    const collection = simulator.catalog.collection(decodeURIComponent(id));
    if (!collection) throw new HttpError(404, `No collection ${decodeURIComponent(id)}`);
    return collection;
  };
  const discountOr404 = (id: string) => {
    const discount = simulator.findDiscount(decodeURIComponent(id));
    if (!discount) throw new HttpError(404, `No discount ${decodeURIComponent(id)}`);
    return discount;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const parts = url.pathname.split("/").filter(Boolean);
    const body = req.method === "POST" || req.method === "DELETE" ? await readJson(req) : {};

    if (req.method === "GET" && url.pathname === "/health") {
      return send(res, 200, { ok: true, shop: simulator.shop.domain, appUrl: simulator.appUrl });
    }

    if (url.pathname === "/orders" && req.method === "POST") {
      const count = optionalNumber(body.count, "count") ?? 1;
      if (count < 1 || count > 10_000) throw new HttpError(400, "count must be between 1 and 10000");
      const { orders, deliveries } = withSignalErrors(() =>
        simulator.placeOrders({
          products: optionalIdArray(body.products, "products"),
          code: optionalString(body.code, "code"),
          codes: optionalStringArray(body.codes, "codes"),
          codeShare: optionalNumber(body.codeShare, "codeShare"),
          varyCodeSpelling: typeof body.varyCodeSpelling === "boolean" ? body.varyCodeSpelling : undefined,
          placedAt: optionalInstant(body.placedAt, "placedAt"),
          shipTo: optionalShippingRegion(body.shipTo),
          ...creatorMix(body),
          count,
        }),
      );
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
      const mix = creatorMix(body);
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
          ...mix,
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

    if (url.pathname === "/products" && req.method === "GET") {
      const search = parseSearchQuery(url.searchParams.get("query"));
      const products = simulator.catalog.products.filter((product) => matchesSearch(search, (field) => (field === null || field === "title" ? [product.title] : undefined)));
      return send(res, 200, { products: products.map((product) => productSummary(simulator, product)) });
    }

    if (url.pathname === "/products" && req.method === "POST") {
      const title = optionalString(body.title, "title");
      if (!title?.trim()) throw new HttpError(400, "title is required");
      let priceMinor: number;
      try {
        priceMinor = parseAmount(optionalString(body.price, "price") ?? "25.00", simulator.shop.currency);
      } catch {
        throw new HttpError(400, `price must be a decimal amount in ${simulator.shop.currency}`);
      }
      return send(res, 201, { product: productSummary(simulator, simulator.catalog.addProduct({ title, priceMinor })) });
    }

    if (url.pathname === "/collections" && req.method === "GET") {
      return send(res, 200, { collections: simulator.catalog.listCollections().map((c) => collectionSummary(simulator, c)) });
    }

    if (url.pathname === "/collections" && req.method === "POST") {
      const title = optionalString(body.title, "title");
      if (!title?.trim()) throw new HttpError(400, "title is required");
      const { collection, deliveries } = withCatalogErrors(() => simulator.createCollection(title, optionalIdArray(body.products, "products") ?? []));
      if (body.wait !== false) await simulator.deliverer.settled(deliveries);
      return send(res, 201, { collection: collectionSummary(simulator, collection), deliveries: deliveries.map(brief) });
    }

    if (parts[0] === "collections" && parts.length === 3 && parts[2] === "products" && req.method === "POST") {
      const collection = collectionOr404(parts[1]!);
      const change = withCatalogErrors(() =>
        simulator.changeCollection(collection, { add: optionalIdArray(body.add, "add"), remove: optionalIdArray(body.remove, "remove") }),
      );
      return send(res, 201, { collection: collectionSummary(simulator, collection), ...(await deliverChange(change, body.wait !== false)) });
    }

    if (parts[0] === "collections" && parts.length === 2 && req.method === "DELETE") {
      const collection = collectionOr404(parts[1]!);
      const change = simulator.deleteCollection(collection);
      return send(res, 200, { deleted: collectionGid(collection), ...(await deliverChange(change, body.wait !== false)) });
    }

    if (url.pathname === "/discounts" && req.method === "GET") {
      return send(res, 200, { discounts: simulator.discounts.list().map((d) => discountSummary(simulator, d)) });
    }

    if (url.pathname === "/discounts" && req.method === "POST") {
      let discount: CodeDiscount;
      try {
        discount = simulator.discounts.create(newDiscount(body, simulator.shop.currency));
      } catch (error) {
        if (error instanceof DiscountCodeTakenError) throw new HttpError(409, error.message);
        throw error;
      }
      return send(res, 201, { discount: discountSummary(simulator, discount) });
    }

    if (parts[0] === "discounts" && parts.length === 3 && parts[2] === "rename" && req.method === "POST") {
      const discount = discountOr404(parts[1]!);
      const code = optionalString(body.code, "code");
      if (!code?.trim()) throw new HttpError(400, "code is required");
      let change: ReturnType<StoreSimulator["renameDiscount"]>;
      try {
        change = simulator.renameDiscount(discount, code);
      } catch (error) {
        if (error instanceof DiscountCodeTakenError) throw new HttpError(409, error.message);
        throw error;
      }
      return send(res, 201, { discount: discountSummary(simulator, discount), ...(await deliverChange(change, body.wait !== false)) });
    }

    if (parts[0] === "discounts" && parts.length === 2 && req.method === "DELETE") {
      const discount = discountOr404(parts[1]!);
      const change = simulator.deleteDiscount(discount);
      return send(res, 200, { deleted: discountGid(discount), ...(await deliverChange(change, body.wait !== false)) });
    }

    if (url.pathname === "/admin-api/requests" && req.method === "GET") {
      const kind = url.searchParams.get("kind");
      return send(res, 200, { requests: kind ? adminApi.requests.filter((r) => r.kind === kind) : adminApi.requests });
    }

    if (url.pathname === "/admin-api/requests" && req.method === "DELETE") {
      adminApi.requests.length = 0;
      return send(res, 200, { cleared: true });
    }

    if (url.pathname === "/admin-api/throttle" && req.method === "POST") {
      const requests = optionalNumber(body.requests, "requests");
      if (requests === undefined || requests < 0) throw new HttpError(400, "requests must be a number ≥ 0");
      adminApi.throttleNextRequests(requests);
      return send(res, 200, { throttledAhead: adminApi.pendingThrottles });
    }

    if (url.pathname === "/admin-api/access-tokens" && req.method === "POST") {
      const token = optionalString(body.token, "token");
      if (!token) throw new HttpError(400, "token is required");
      tokens.register(token);
      return send(res, 201, { registered: true });
    }

    if (url.pathname === "/admin-api/bulk-operations" && req.method === "GET") {
      const bulk = adminApi.bulkOperations;
      return send(res, 200, {
        delayMs: bulk.delayMs,
        concurrencyLimit: bulk.concurrencyLimit,
        failNext: bulk.pendingFailure,
        operations: bulk.all().map((operation) => ({
          ...bulk.view(operation),
          groupObjects: operation.groupObjects,
          ...(operation.executionErrors.length ? { executionErrors: operation.executionErrors } : {}),
        })),
      });
    }

    if (url.pathname === "/admin-api/bulk-operations/fail-next" && req.method === "POST") {
      const errorCode = optionalString(body.errorCode, "errorCode") ?? "INTERNAL_SERVER_ERROR";
      if (!(BULK_OPERATION_ERROR_CODES as readonly string[]).includes(errorCode)) {
        throw new HttpError(400, `errorCode must be one of ${BULK_OPERATION_ERROR_CODES.join(", ")}`);
      }
      adminApi.failNextBulkOperation(errorCode as BulkOperationErrorCode);
      return send(res, 200, { failNext: errorCode });
    }

    if (url.pathname === "/admin-api/bulk-operations/settings" && req.method === "POST") {
      const delayMs = optionalNumber(body.delayMs, "delayMs");
      const concurrencyLimit = optionalNumber(body.concurrencyLimit, "concurrencyLimit");
      if (delayMs !== undefined && delayMs < 0) throw new HttpError(400, "delayMs must be ≥ 0");
      if (concurrencyLimit !== undefined && (concurrencyLimit < 1 || !Number.isInteger(concurrencyLimit))) {
        throw new HttpError(400, "concurrencyLimit must be a whole number ≥ 1");
      }
      const bulk = adminApi.bulkOperations;
      if (delayMs !== undefined) bulk.delayMs = delayMs;
      if (concurrencyLimit !== undefined) bulk.concurrencyLimit = concurrencyLimit;
      return send(res, 200, { delayMs: bulk.delayMs, concurrencyLimit: bulk.concurrencyLimit });
    }

    if (url.pathname === "/admin-api/ca.pem" && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/x-pem-file" });
      res.end(authority.certPem);
      return;
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
  const tunnel = attachAdminTunnel({
    server,
    authority,
    log,
    handle: (req, res) => {
      adminApi.handle(req, res).catch((error: unknown) => {
        log(`admin API error: ${(error as Error).stack ?? error}`);
        send(res, 500, { errors: "Internal Server Error" });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4300, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // The port alone is not unique over time: a closed simulator's cleanup could remove the next one's file.
  const caCertPath = options.caCertPath ?? join(tmpdir(), `creator-ledger-simulator-ca-${port}-${randomBytes(6).toString("hex")}.pem`);
  writeFileSync(caCertPath, authority.certPem);
  return {
    simulator,
    adminApi,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    caCertPem: authority.certPem,
    caCertPath,
    close: async () => {
      adminApi.close();
      simulator.close();
      tunnel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A file at the default path is the simulator's own; one the caller named is left to the caller.
      if (!options.caCertPath) rmSync(caCertPath, { force: true });
    },
  };
}

function withSignalErrors<T>(run: () => T): T {
  try {
    return withCatalogErrors(run);
  } catch (error) {
    if (error instanceof UnusableSignalsError) throw new HttpError(400, error.message);
    throw error;
  }
}

function withCatalogErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnknownCatalogItemError) throw new HttpError(400, error.message);
    throw error;
  }
}

function productSummary(simulator: StoreSimulator, product: SimProduct) {
  return {
    id: productGid(product),
    title: product.title,
    handle: product.handle,
    prices: product.variants.map((variant) => formatAmount(variant.priceMinor, simulator.shop.currency)),
    collections: simulator.catalog.collectionsOf(product).map(collectionGid),
  };
}

function collectionSummary(simulator: StoreSimulator, collection: SimCollection) {
  return {
    id: collectionGid(collection),
    title: collection.title,
    handle: collection.handle,
    products: simulator.catalog.productsOf(collection).map((product) => ({ id: productGid(product), title: product.title })),
  };
}

/** creators, creatorShare and signals from a request body. */
function creatorMix(body: Record<string, unknown>): { creators?: CreatorSignals[]; creatorShare?: number; signals?: AttributionSignal[] } {
  const creators = body.creators;
  if (creators !== undefined && creators !== null) {
    const valid =
      Array.isArray(creators) &&
      creators.every(
        (c) =>
          c &&
          typeof c === "object" &&
          typeof c.handle === "string" &&
          c.handle.trim() !== "" &&
          ["code", "linkSlug", "referrer"].every((key) => c[key] === undefined || c[key] === null || typeof c[key] === "string") &&
          (c.clickIds === undefined || (Array.isArray(c.clickIds) && c.clickIds.every((id: unknown) => typeof id === "string"))),
      );
    if (!valid) throw new HttpError(400, "creators must be an array of {handle, code?, linkSlug?, referrer?, clickIds?}");
  }
  const signals = optionalStringArray(body.signals, "signals");
  const unknown = signals?.filter((signal) => !(ATTRIBUTION_SIGNALS as readonly string[]).includes(signal)) ?? [];
  if (unknown.length > 0) throw new HttpError(400, `Unknown signals ${unknown.join(", ")}; use ${ATTRIBUTION_SIGNALS.join(", ")}`);
  return {
    creators: (creators as CreatorSignals[] | undefined) ?? undefined,
    creatorShare: optionalNumber(body.creatorShare, "creatorShare"),
    signals: signals as AttributionSignal[] | undefined,
  };
}

function newDiscount(body: Record<string, unknown>, currency: string): NewCodeDiscount {
  const code = optionalString(body.code, "code");
  if (!code?.trim()) throw new HttpError(400, "code is required");
  const percentage = optionalNumber(body.percentage, "percentage");
  const amount = optionalString(body.amount, "amount");
  if (percentage !== undefined && (percentage <= 0 || percentage > 100)) throw new HttpError(400, "percentage must be in (0, 100]");
  const date = (value: unknown, name: string) => {
    const text = optionalString(value, name);
    if (text === undefined) return undefined;
    const parsed = new Date(text);
    if (Number.isNaN(parsed.getTime())) throw new HttpError(400, `${name} must be an ISO date`);
    return parsed;
  };
  let terms: NewCodeDiscount["terms"];
  if (percentage !== undefined) terms = { type: "percentage", value: percentage };
  else if (amount !== undefined) {
    try {
      terms = { type: "fixed_amount", value: parseAmount(amount, currency) };
    } catch {
      throw new HttpError(400, `amount must be a decimal amount in ${currency}`);
    }
  }
  const startsAt = date(body.startsAt, "startsAt");
  return {
    code,
    title: optionalString(body.title, "title"),
    terms,
    startsAt,
    endsAt: date(body.endsAt, "endsAt") ?? null,
    // A discount the shop already had was made before it started.
    createdAt: startsAt && startsAt < new Date() ? startsAt : undefined,
  };
}

function discountSummary(simulator: StoreSimulator, discount: CodeDiscount) {
  return {
    id: discountGid(discount),
    code: discount.code,
    title: discount.title,
    status: simulator.discounts.status(discount),
    terms: discount.terms,
    usageCount: discount.usageCount,
    startsAt: discount.startsAt.toISOString(),
    endsAt: discount.endsAt?.toISOString() ?? null,
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

/** An ISO 8601 instant, e.g. "2026-11-02T15:30:00Z", for orders placed in the past. */
function optionalInstant(value: unknown, name: string): Date | undefined {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) throw new HttpError(400, `${name} must be an ISO 8601 date-time, got ${text}`);
  return instant;
}

function optionalShippingRegion(value: unknown): string | undefined {
  const region = optionalString(value, "shipTo");
  if (region !== undefined && !SHIPPING_REGIONS.includes(region)) {
    throw new HttpError(400, `shipTo must be one of the regions the store ships to (${SHIPPING_REGIONS.join(", ")}), got ${region}`);
  }
  return region;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new HttpError(400, `${name} must be a number`);
  return value;
}

/** Product ids as numbers or gids. */
function optionalIdArray(value: unknown, name: string): (string | number)[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" && typeof v !== "number")) {
    throw new HttpError(400, `${name} must be an array of ids or gids`);
  }
  return value as (string | number)[];
}

function optionalStringArray(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new HttpError(400, `${name} must be an array of strings`);
  return value as string[];
}
