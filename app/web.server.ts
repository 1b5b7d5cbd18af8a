// The web process (`npm start`): the production build behind express. remix-serve would do the same, but its
// access log writes every URL whole, and embedded admin URLs carry the merchant's session token (id_token) and
// Shopify's hmac in their query strings; the app logs one line per request itself, path only
// (app/utils/logger.server.ts). Run by Node directly (types stripped), so it stays free of TypeScript-only syntax.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { WebhookAction } from "./services/receive-webhook.server.ts";
import compression from "compression";
import express from "express";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

process.env.NODE_ENV ??= "production";
const port = Number(process.env.PORT ?? 3000);
const buildPath = resolve(process.argv[2] ?? "build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
for (const [path, acknowledge] of webhookAddresses(build)) app.post(path, serveWebhook(acknowledge));
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = app.listen(port, process.env.HOST ?? "0.0.0.0", () => {
  console.log(JSON.stringify({ level: 30, service: "web", msg: `web listening on http://localhost:${port}` }));
});

/**
 * The addresses of the webhook routes, whose actions carry `acknowledge` (app/services/receive-webhook.server.ts):
 * the same code as the action, on the delivery as node:http read it. Served here, before the middleware, because
 * webhooks are most of the traffic and need none of it: no compression (the answers are empty or one line), no
 * Remix routing, no Fetch API Request. Every other method on these addresses still goes to Remix (405).
 */
function webhookAddresses(build: ServerBuild): [string, WebhookAction["acknowledge"]][] {
  const pathOf = (id: string | undefined): string[] => {
    const route = id === undefined ? undefined : build.routes[id];
    return route ? [...pathOf(route.parentId), ...(route.path ? [route.path] : [])] : [];
  };
  return Object.values(build.routes).flatMap((route) => {
    const acknowledge = (route.module.action as Partial<WebhookAction> | undefined)?.acknowledge;
    return acknowledge ? [[`/${pathOf(route.id).join("/")}`, acknowledge] as [string, WebhookAction["acknowledge"]]] : [];
  });
}

function serveWebhook(acknowledge: WebhookAction["acknowledge"]): express.RequestHandler {
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The sender went away mid-body: there is no one to answer.
    request.once("error", () => response.destroy());
    request.once("end", () => {
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value.join(", ") : value;
      };
      void acknowledge({ header, body: Buffer.concat(chunks) }).then((answer) => {
        response.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
      });
    });
  };
}

declare global {
  var __creatorLedgerCloseWebHandles: (() => Promise<void>) | undefined;
}

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  // New connections are refused at once; requests in flight (a webhook whose body is still arriving) finish and
  // get their answer. Only then do the Redis and database handles those requests may need close.
  server.close(() => {
    void (globalThis.__creatorLedgerCloseWebHandles?.() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  server.closeIdleConnections();
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
