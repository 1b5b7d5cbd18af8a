// The admin harness must look like Shopify admin to the app: tokens Shopify's library accepts, the query parameters
// admin sends, and a transparent proxy whose only edit is letting the harness frame the app.
import "@shopify/shopify-api/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFrameAncestors, startHarness, type RunningHarness } from "./server";
import { adminHostParam, mintSessionToken } from "./session-token";

const SHOP = "harness-test.myshopify.com";
const API_KEY = "harness-test-key";
const API_SECRET = "harness-test-secret";
const SHOPIFY_CSP =
  "frame-ancestors https://harness-test.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;";

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.July26,
  isEmbeddedApp: true,
  hostName: "localhost",
  logger: { level: 0 },
});

describe("session tokens", () => {
  it("are accepted by Shopify's own session token validation", async () => {
    const { token } = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: "42" });
    const payload = await shopify.session.decodeSessionToken(token);
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "42" });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sid).toMatch(/^[0-9a-f]{64}$/);
  });

  it("are refused when signed with another secret or expired", async () => {
    const { token: forged } = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "not-the-secret" });
    await expect(shopify.session.decodeSessionToken(forged)).rejects.toThrow();
    const { token: old } = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, now: Date.now() - 5 * 60_000 });
    await expect(shopify.session.decodeSessionToken(old)).rejects.toThrow();
  });

  it("come with a host parameter Shopify's library accepts", () => {
    const host = adminHostParam(SHOP);
    expect(Buffer.from(host, "base64").toString()).toBe("admin.shopify.com/store/harness-test");
    expect(shopify.utils.sanitizeHost(host)).toBe(host);
  });
});

describe("frame-ancestors", () => {
  it("adds the harness to a policy that lets Shopify admin frame the app", () => {
    expect(addFrameAncestors(SHOPIFY_CSP, "'self' http://localhost:4200")).toBe(
      "frame-ancestors https://harness-test.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev 'self' http://localhost:4200;",
    );
  });

  it("leaves other directives and a policy that forbids framing alone", () => {
    expect(addFrameAncestors("frame-ancestors 'none';", "'self'")).toBe("frame-ancestors 'none';");
    expect(addFrameAncestors("default-src 'self'; frame-ancestors https://admin.shopify.com", "'self'")).toBe(
      "default-src 'self'; frame-ancestors https://admin.shopify.com 'self'",
    );
  });
});

describe("harness server", () => {
  let upstream: Server;
  let harness: RunningHarness;
  const seen: { method: string; url: string; host: string | undefined; forwardedHost: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    upstream = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, host: req.headers.host, forwardedHost: req.headers["x-forwarded-host"] as string, body });
      if (req.url === "/redirect") {
        res.writeHead(302, { Location: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/app` }).end();
        return;
      }
      res.writeHead(200, {
        "Content-Type": "text/html",
        "Content-Security-Policy": SHOPIFY_CSP,
        Link: '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";',
        "Set-Cookie": ["a=1", "b=2"],
      });
      res.end(`<p>${req.method} ${req.url} ${body}</p>`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    harness = await startHarness({
      appUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      shop: SHOP,
      shopName: "Harness Test",
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      port: 0,
    });
  });

  afterAll(async () => {
    await harness.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("serves the admin shell with the shop, the app's nav and admin's query parameters", async () => {
    const response = await fetch(`${harness.url}/admin?path=/app/creators`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("Creator Ledger — Local admin harness");
    expect(html).toContain("Harness Test · harness-test.myshopify.com");
    expect(html).toContain('data-nav-path="/app"');
    expect(html).toContain('data-nav-path="/app/creators"');
    const config = JSON.parse(/<script id="harness-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!);
    expect(config).toEqual({ shop: SHOP, host: adminHostParam(SHOP), apiKey: API_KEY, initialPath: "/app/creators" });
  });

  it("mints session tokens for same-origin callers only", async () => {
    const ok = await fetch(`${harness.url}/harness/session-token`);
    const { token } = (await ok.json()) as { token: string };
    expect((await shopify.session.decodeSessionToken(token)).dest).toBe(`https://${SHOP}`);
    const crossSite = await fetch(`${harness.url}/harness/session-token`, { headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status).toBe(403);
  });

  it("serves the App Bridge stand-in", async () => {
    const response = await fetch(`${harness.url}/app-bridge.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    const source = await response.text();
    for (const feature of ["idToken", "toast", "shopify:navigate", "Authorization", "shopify-reload", "ui-nav-menu"]) {
      expect(source).toContain(feature);
    }
  });

  it("proxies everything else to the app, adding only the harness to frame-ancestors", async () => {
    const response = await fetch(`${harness.url}/app?embedded=1&shop=${SHOP}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`<p>GET /app?embedded=1&shop=${SHOP} </p>`);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp.startsWith(SHOPIFY_CSP.slice(0, -1))).toBe(true);
    expect(csp).toContain(`'self' ${harness.url}`);
    expect(response.headers.get("link")).toBe('</app-bridge.js>; rel="preload"; as="script";');
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    // The app sees the harness as its host, as it would see its own public URL behind Shopify admin.
    expect(seen.at(-1)).toMatchObject({ host: new URL(harness.url).host, forwardedHost: new URL(harness.url).host });
  });

  it("passes request bodies through and keeps redirects on the harness origin", async () => {
    const posted = await fetch(`${harness.url}/webhooks`, { method: "POST", body: '{"a":1}', headers: { "Content-Type": "application/json" } });
    expect(await posted.text()).toBe('<p>POST /webhooks {"a":1}</p>');
    const redirect = await fetch(`${harness.url}/redirect`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`http://${new URL(harness.url).host}/app`);
  });

  it("explains when the app is not running", async () => {
    const lonely = await startHarness({ appUrl: "http://127.0.0.1:9", shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, port: 0 });
    try {
      const response = await fetch(`${lonely.url}/app`);
      expect(response.status).toBe(502);
      expect(await response.text()).toContain("The app is not answering");
    } finally {
      await lonely.close();
    }
  });
});
