// Admin pages' loaders and actions called in-process, as App Bridge calls them from inside Shopify admin: a fetch
// with the session token (an HS256 JWT signed with the app's secret) as a bearer token, for a shop whose offline
// session is stored, so authenticate.admin never needs to exchange a token with Shopify.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { mintSessionToken } from "../harness/session-token";

type RouteFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown> | unknown;

/** Stores the shop's offline session (as installing the app would) so that its admin requests authenticate. */
export async function storeOfflineSession(shopDomain: string, scope = process.env.SCOPES ?? "read_orders,read_discounts,write_discounts,read_customers,read_products") {
  const id = `offline_${shopDomain}`;
  const session = { shop: shopDomain, state: "", isOnline: false, scope, expires: null, accessToken: `shpat_test_${shopDomain}` };
  await prisma.session.upsert({ where: { id }, create: { id, ...session }, update: session });
}

/** A request from the embedded admin of `shopDomain` to the app's `path` (e.g. "/app/creators/abc"). */
export function adminRequest(shopDomain: string, path: string, init: { method?: string; form?: Record<string, string> | URLSearchParams | FormData; body?: BodyInit; headers?: Record<string, string> } = {}): Request {
  const { token } = mintSessionToken({
    shop: shopDomain,
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
  });
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  let body: BodyInit | undefined = init.body;
  if (init.form) {
    body = init.form instanceof FormData ? init.form : new URLSearchParams(init.form as Record<string, string>);
  }
  const method = init.method ?? (body === undefined ? "GET" : "POST");
  return new Request(new URL(path, process.env.SHOPIFY_APP_URL ?? "http://localhost:3000"), { method, headers, body });
}

/**
 * Calls a route's loader or action the way Remix does: thrown Responses (redirects, 4xx from authentication or
 * requireShop) are returned like returned ones, so tests can read the status either way.
 */
export async function callRoute(
  route: RouteFunction,
  request: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; response: Response | null; data: unknown }> {
  try {
    const result = await route({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, response: result, data: null };
    // Remix's `data()`/`json()` helpers (single fetch) return plain objects or DataWithResponseInit.
    if (result && typeof result === "object" && "type" in result && (result as { type: unknown }).type === "DataWithResponseInit") {
      const wrapped = result as unknown as { data: unknown; init: ResponseInit | null };
      return { status: wrapped.init?.status ?? 200, response: null, data: wrapped.data };
    }
    return { status: 200, response: null, data: result };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, response: thrown, data: null };
    throw thrown;
  }
}
