// Session tokens as Shopify issues them to a checkout or customer account UI extension (sessionToken.get()), for
// the app's survey endpoints: HS256 JWTs signed with the app's API secret. Shopify documents `dest` (the shop's
// domain without a protocol, unlike admin tokens' https://), `aud` (the app's API key), `exp` (5 minutes after `iat`),
// `nbf`, `iat`, `jti` and, when the buyer is logged in, `sub` (their customer gid). `iss` and `sid` are added as admin
// tokens carry them; the app reads neither.
import { createHmac, randomBytes, randomUUID } from "node:crypto";

export interface ExtensionSessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export interface ExtensionSessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The logged-in buyer (`sub`); omitted for a guest checkout. */
  customerGid?: string | null;
  ttlSeconds?: number;
  /** Milliseconds since the epoch the token is issued at (default: now). */
  now?: number;
}

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

/** An HS256 JWT of these claims, signed with the app's API secret. */
export function signSessionToken(claims: object, secret: string, header: object = { alg: "HS256", typ: "JWT" }): string {
  const encoded = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${encoded}.${createHmac("sha256", secret).update(encoded).digest("base64url")}`;
}

/** A checkout (thank-you page) or customer account (order status page) extension's session token. */
export function mintExtensionSessionToken(options: ExtensionSessionTokenOptions): {
  token: string;
  claims: ExtensionSessionTokenClaims;
} {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: ExtensionSessionTokenClaims = {
    iss: `https://${options.shop}`,
    dest: options.shop,
    aud: options.apiKey,
    ...(options.customerGid ? { sub: options.customerGid } : {}),
    exp: iat + (options.ttlSeconds ?? 300),
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  };
  return { token: signSessionToken(claims, options.apiSecret), claims };
}

/** Where checkout and customer account extensions run: their fetches come from Shopify's extension sandbox. */
export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
