// The local admin harness: a stand-in for Shopify admin that frames the embedded app.
//
//   GET /admin                      the admin shell (top bar, nav, the app in an iframe)
//   GET /harness/session-token      a fresh session token for the shop (HS256, signed with the app's secret)
//   GET /harness/health             {ok: true}
//   GET /app-bridge.js              the App Bridge stand-in the app loads (APP_BRIDGE_URL)
//   everything else                 reverse-proxied to the app
//
// Proxying makes the iframe same-origin with the shell, so the app runs with SHOPIFY_APP_URL = the harness origin.
// The only change made to the app's responses: the harness origin joins the frame-ancestors of its CSP (the app
// allows Shopify admin to frame it; the harness plays Shopify admin), and the App Bridge preload points here.
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { adminHostParam, mintSessionToken } from "./session-token";

export interface NavItem {
  label: string;
  path: string;
}

export interface HarnessOptions {
  /** The app's origin, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  shop: string;
  shopName?: string;
  apiKey: string;
  apiSecret: string;
  port?: number;
  host?: string;
  /** The origin people open (and the app's SHOPIFY_APP_URL); default http://localhost:<port>. */
  publicUrl?: string;
  appName?: string;
  nav?: NavItem[];
  /** The staff member's user id in session tokens. */
  userId?: string;
  log?: (line: string) => void;
}

export interface RunningHarness {
  server: Server;
  port: number;
  url: string;
  adminUrl: string;
  close(): Promise<void>;
}

const APP_BRIDGE_CDN = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
const DEFAULT_NAV: NavItem[] = [
  { label: "Home", path: "/app" },
  { label: "Leaderboard", path: "/app/leaderboard" },
  { label: "Creators", path: "/app/creators" },
  { label: "Experiments", path: "/app/experiments" },
  { label: "Orders", path: "/app/orders" },
  { label: "Payouts", path: "/app/payouts" },
  { label: "Statements", path: "/app/statements" },
  { label: "Attribution", path: "/app/attribution" },
  { label: "Survey", path: "/app/survey" },
  { label: "Settings", path: "/app/settings" },
  { label: "Background jobs", path: "/app/jobs" },
];
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"];
// Read on every request (they are small), so that edits show up without restarting the harness.
const publicFile = (name: string) => readFileSync(new URL(`./public/${name}`, import.meta.url), "utf8");

export async function startHarness(options: HarnessOptions): Promise<RunningHarness> {
  const log = options.log ?? (() => undefined);
  const upstream = new URL(options.appUrl);
  const appName = options.appName ?? "Creator Ledger";
  const nav = options.nav ?? DEFAULT_NAV;
  const sessionId = randomBytes(32).toString("hex");
  let publicUrl = options.publicUrl?.replace(/\/+$/, "");

  const frameAncestorsFor = (req: IncomingMessage) => {
    const origins = new Set(["'self'"]);
    if (publicUrl) origins.add(publicUrl);
    if (req.headers.host) origins.add(`http://${req.headers.host}`);
    return [...origins].join(" ");
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://harness");
    if (req.method === "GET" && (url.pathname === "/admin" || url.pathname === "/admin/")) {
      const initialPath = safeAppPath(url.searchParams.get("path")) ?? nav[0]?.path ?? "/app";
      return sendText(res, 200, "text/html; charset=utf-8", shellHtml({ appName, shop: options.shop, shopName: options.shopName, apiKey: options.apiKey, nav, initialPath }));
    }
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(302, { Location: "/admin" }).end();
      return;
    }
    if (req.method === "GET" && url.pathname === "/harness/shell.js") return sendText(res, 200, "text/javascript; charset=utf-8", publicFile("shell.js"));
    if (req.method === "GET" && url.pathname === "/app-bridge.js") return sendText(res, 200, "text/javascript; charset=utf-8", publicFile("app-bridge.js"));
    if (req.method === "GET" && url.pathname === "/harness/health") return sendJson(res, 200, { ok: true, shop: options.shop, app: upstream.origin });
    if (url.pathname === "/harness/session-token") {
      // Same-origin only: the shell and the stand-in ask; nobody else gets to mint tokens.
      const site = req.headers["sec-fetch-site"];
      if (site && site !== "same-origin" && site !== "none") return sendJson(res, 403, { error: "Cross-site token requests are refused" });
      const { token, claims } = mintSessionToken({
        shop: options.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        userId: options.userId,
        sessionId,
      });
      return sendJson(res, 200, { token, expiresAt: new Date(claims.exp * 1000).toISOString() });
    }
    proxy(req, res);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const headers: IncomingHttpHeaders = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    headers["x-forwarded-proto"] = "http";
    if (req.headers.host) headers["x-forwarded-host"] = req.headers.host;
    const upstreamRequest = httpRequest(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (upstreamResponse) => {
        const out = rewriteResponseHeaders(upstreamResponse.headers, frameAncestorsFor(req), upstream.origin, req.headers.host);
        if ((upstreamResponse.statusCode ?? 500) >= 500) log(`${req.method} ${req.url} → ${upstreamResponse.statusCode}`);
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, out);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on("error", (error) => {
      log(`${req.method} ${req.url} → app unreachable: ${error.message}`);
      if (res.headersSent) return res.destroy();
      sendText(
        res,
        502,
        "text/html; charset=utf-8",
        `<!doctype html><meta charset="utf-8"><title>App not answering</title><body style="font:14px system-ui;padding:2rem">
         <h1>The app is not answering</h1><p>The harness could not reach ${escapeHtml(upstream.origin)}: ${escapeHtml(error.message)}.</p>
         <p>Is <code>npm start</code> (or the demo) running?</p></body>`,
      );
    });
    req.on("aborted", () => upstreamRequest.destroy());
    req.pipe(upstreamRequest);
  };

  const server = createServer(handle);
  // WebSocket upgrades (Vite's HMR in dev) pass straight through.
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = connect(Number(upstream.port || 80), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      target.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) target.write(head);
      socket.pipe(target).pipe(socket);
    });
    target.on("error", () => socket.destroy());
    socket.on("error", () => target.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4200, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl ??= `http://localhost:${port}`;
  return {
    server,
    port,
    url: publicUrl,
    adminUrl: `${publicUrl}/admin`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The app's response headers as the harness passes them on. Exported for tests. */
export function rewriteResponseHeaders(
  headers: IncomingHttpHeaders,
  frameAncestors: string,
  upstreamOrigin: string,
  harnessHost: string | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name)) continue;
    out[name] = value;
  }
  const csp = out["content-security-policy"];
  if (typeof csp === "string") out["content-security-policy"] = addFrameAncestors(csp, frameAncestors);
  const link = out.link;
  if (typeof link === "string") out.link = link.replaceAll(APP_BRIDGE_CDN, "/app-bridge.js");
  const location = out.location;
  if (typeof location === "string" && harnessHost && location.startsWith(upstreamOrigin)) {
    out.location = `http://${harnessHost}${location.slice(upstreamOrigin.length)}`;
  }
  return out;
}

/**
 * Adds the harness to frame-ancestors when the app already lets Shopify admin frame it. A policy that forbids
 * framing altogether ('none', for non-embedded responses) is left alone: the harness must not hide that.
 */
export function addFrameAncestors(csp: string, extra: string): string {
  return csp
    .split(";")
    .map((directive) => {
      const trimmed = directive.trim();
      if (!/^frame-ancestors\s/i.test(trimmed) || /'none'/.test(trimmed)) return directive;
      return ` ${trimmed} ${extra}`;
    })
    .join(";")
    .trim();
}

function safeAppPath(path: string | null): string | null {
  if (!path || !path.startsWith("/") || path.startsWith("//")) return null;
  return path;
}

function shellHtml(input: { appName: string; shop: string; shopName?: string; apiKey: string; nav: NavItem[]; initialPath: string }): string {
  const config = {
    shop: input.shop,
    host: adminHostParam(input.shop),
    apiKey: input.apiKey,
    initialPath: input.initialPath,
  };
  const shopLabel = input.shopName ? `${input.shopName} · ${input.shop}` : input.shop;
  const navHtml = input.nav
    .map((item) => `<a href="/admin?path=${encodeURIComponent(item.path)}" data-nav-path="${escapeHtml(item.path)}">${escapeHtml(item.label)}</a>`)
    .join("\n          ");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width,initial-scale=1" />
    <title>${escapeHtml(input.appName)} · Local admin harness</title>
    <link rel="icon" href="data:," />
    <style>
      * { box-sizing: border-box; }
      html, body { margin: 0; height: 100%; font-family: -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, "Helvetica Neue", sans-serif; font-size: 13px; color: #303030; }
      body { display: grid; grid-template-rows: 56px 1fr; grid-template-columns: 240px 1fr; background: #f1f1f1; }
      header.topbar { grid-column: 1 / 3; display: flex; align-items: center; gap: 16px; padding: 0 16px; background: #1a1a1a; color: #e3e3e3; }
      header.topbar .brand { font-weight: 650; font-size: 14px; color: #fff; }
      header.topbar .badge { font-size: 11px; padding: 2px 8px; border-radius: 8px; background: #303030; color: #b5b5b5; }
      header.topbar .shop { margin-left: auto; display: flex; align-items: center; gap: 8px; }
      header.topbar .avatar { width: 28px; height: 28px; border-radius: 8px; background: #36fba1; color: #1a1a1a; display: grid; place-items: center; font-weight: 700; }
      nav.sidebar { background: #ebebeb; padding: 12px 8px; display: flex; flex-direction: column; gap: 2px; border-right: 1px solid #e3e3e3; }
      nav.sidebar .section { font-size: 12px; font-weight: 650; color: #616161; padding: 12px 8px 6px; }
      nav.sidebar a { display: block; padding: 6px 8px 6px 28px; border-radius: 8px; color: #303030; text-decoration: none; font-weight: 550; }
      nav.sidebar a:hover { background: #f1f1f1; }
      nav.sidebar a.active { background: #fafafa; color: #1a1a1a; font-weight: 650; }
      nav.sidebar button { margin: auto 8px 0; padding: 6px 8px; border: 1px solid #c9c9c9; border-radius: 8px; background: #fff; cursor: pointer; font: inherit; }
      main { display: flex; flex-direction: column; min-width: 0; position: relative; }
      #page-title { font-size: 12px; color: #616161; padding: 6px 16px 0; min-height: 20px; }
      #loading-bar { position: absolute; top: 0; left: 0; height: 3px; width: 0; background: #36fba1; transition: width 2s ease-out; }
      #loading-bar.on { width: 80%; }
      iframe#app-frame { flex: 1; width: 100%; border: 0; background: #f1f1f1; }
      #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; align-items: center; z-index: 10; }
      .toast { background: #1a1a1a; color: #fff; padding: 10px 16px; border-radius: 10px; box-shadow: 0 4px 12px rgba(0,0,0,.25); font-weight: 550; }
      .toast.error { background: #8e1f0b; }
    </style>
  </head>
  <body>
    <header class="topbar">
      <span class="brand">${escapeHtml(input.appName)} — Local admin harness</span>
      <span class="badge">Not Shopify · local development</span>
      <span class="shop" data-testid="shop-name"><span class="avatar">${escapeHtml((input.shopName ?? input.shop).charAt(0).toUpperCase())}</span>${escapeHtml(shopLabel)}</span>
    </header>
    <nav class="sidebar" aria-label="${escapeHtml(input.appName)}">
      <div class="section">${escapeHtml(input.appName)}</div>
          ${navHtml}
      <button type="button" id="reload-app" title="Reload the app with a fresh session token">Reload app</button>
    </nav>
    <main>
      <div id="loading-bar"></div>
      <div id="page-title"></div>
      <iframe id="app-frame" title="${escapeHtml(input.appName)}" name="app-iframe"></iframe>
    </main>
    <div id="toasts" aria-live="polite"></div>
    <script id="harness-config" type="application/json">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>
    <script src="/harness/shell.js"></script>
  </body>
</html>`;
}

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
