import { randomBytes, randomUUID } from "node:crypto";
import { signSessionToken } from "../simulator/session-tokens";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export interface MintOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member using the admin (the token's `sub`). */
  userId?: string;
  /** The admin session (the token's `sid`); stable for one harness run. */
  sessionId?: string;
  /** Shopify's tokens live one minute. */
  ttlSeconds?: number;
  now?: number;
}

/** A session token as Shopify admin issues it to an embedded app: an HS256 JWT signed with the app's API secret. */
export function mintSessionToken(options: MintOptions): { token: string; claims: SessionTokenClaims } {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: iat + (options.ttlSeconds ?? 60),
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: options.sessionId ?? randomBytes(32).toString("hex"),
  };
  return { token: signSessionToken(claims, options.apiSecret), claims };
}

/** Admin's `host` parameter: base64 of "admin.shopify.com/store/<store>", without padding. */
export function adminHostParam(shop: string): string {
  const store = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${store}`).toString("base64").replace(/=+$/, "");
}
