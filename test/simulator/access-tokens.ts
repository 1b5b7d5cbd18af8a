// The shop's side of app authentication: token exchange (an App Bridge session token traded for an offline or
// online access token, POST /admin/oauth/access_token) and the access tokens the Admin API then accepts.
//
// Request and response shapes follow Shopify's token exchange documentation and @shopify/shopify-api: a JSON (or
// form) body with client_id, client_secret, grant_type, subject_token, subject_token_type, requested_token_type
// and, from 2025-12, `expiring` for offline tokens that expire and come with a refresh token. Failures are OAuth
// errors ({error, error_description}) with status 400; shopify-app-remix reacts to `invalid_subject_token`.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const REFRESH_TOKEN_GRANT = "refresh_token";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** Shopify accepts session tokens a few seconds either side of their validity window. */
const CLOCK_TOLERANCE_S = 10;
const ONLINE_TOKEN_TTL_S = 86_399;
const EXPIRING_OFFLINE_TOKEN_TTL_S = 3_600;
const REFRESH_TOKEN_TTL_S = 7_776_000;

export interface AccessTokensOptions {
  shopDomain: string;
  /** The app's API secret: session tokens are signed with it and client_secret must match it. */
  apiSecret: string;
  /** The app's API key (client_id, the session token's aud). Any client_id is taken when unset. */
  apiKey?: string;
  /** The scopes the merchant granted, comma-separated. */
  scopes: string;
}

export interface AccessTokenGrant {
  token: string;
  kind: "offline" | "online";
  scope: string;
  /** null: never expires. */
  expiresAt: Date | null;
  /** The staff member an online token acts for (the session token's sub). */
  userId: number | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
}

export interface OAuthResponse {
  status: number;
  body: Record<string, unknown>;
}

export class AccessTokens {
  private readonly grants = new Map<string, AccessTokenGrant>();

  constructor(private readonly options: AccessTokensOptions) {}

  /** Accepts `token` as an offline token that never expires (a session the app already stored). */
  register(token: string): void {
    this.grants.set(token, { token, kind: "offline", scope: this.options.scopes, expiresAt: null, userId: null, refreshToken: null, refreshTokenExpiresAt: null });
  }

  /** The grant behind an X-Shopify-Access-Token header, if the token is known and still valid. */
  lookup(token: string | undefined, now = new Date()): AccessTokenGrant | undefined {
    const grant = token ? this.grants.get(token) : undefined;
    return grant && (!grant.expiresAt || grant.expiresAt > now) ? grant : undefined;
  }

  issued(): AccessTokenGrant[] {
    return [...this.grants.values()];
  }

  /** POST /admin/oauth/access_token with the request's parameters (JSON or form body). */
  exchange(params: Record<string, unknown>, now = new Date()): OAuthResponse {
    const value = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : undefined);
    const clientId = value("client_id");
    if (!clientId || (this.options.apiKey && clientId !== this.options.apiKey) || !safeEqual(value("client_secret") ?? "", this.options.apiSecret)) {
      return oauthError("invalid_client", "Client credentials are invalid");
    }
    const grantType = value("grant_type");
    if (grantType === REFRESH_TOKEN_GRANT) return this.refresh(value("refresh_token"), now);
    if (grantType !== TOKEN_EXCHANGE_GRANT) return oauthError("unsupported_grant_type", `Grant type ${grantType ?? "(missing)"} is not supported`);
    if (value("subject_token_type") !== ID_TOKEN_TYPE) {
      return oauthError("invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}`);
    }
    const requested = value("requested_token_type") ?? OFFLINE_TOKEN_TYPE;
    if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
      return oauthError("invalid_request", `requested_token_type must be ${OFFLINE_TOKEN_TYPE} or ${ONLINE_TOKEN_TYPE}`);
    }
    const subject = this.verifySessionToken(value("subject_token"), clientId, now);
    if ("problem" in subject) return oauthError("invalid_subject_token", `Token exchange failed: ${subject.problem}`);

    if (requested === ONLINE_TOKEN_TYPE) {
      const userId = Number(subject.claims.sub);
      const grant = this.grant({ kind: "online", expiresIn: ONLINE_TOKEN_TTL_S, userId, refreshable: false }, now);
      return {
        status: 200,
        body: {
          access_token: grant.token,
          scope: grant.scope,
          expires_in: ONLINE_TOKEN_TTL_S,
          associated_user_scope: grant.scope,
          associated_user: staffMember(userId, this.options.shopDomain),
        },
      };
    }
    const expiring = value("expiring") === "1" || params.expiring === true;
    const grant = this.grant({ kind: "offline", expiresIn: expiring ? EXPIRING_OFFLINE_TOKEN_TTL_S : null, userId: null, refreshable: expiring }, now);
    return { status: 200, body: offlineBody(grant, now) };
  }

  private refresh(refreshToken: string | undefined, now: Date): OAuthResponse {
    const previous = [...this.grants.values()].find((grant) => refreshToken && grant.refreshToken === refreshToken);
    if (!previous || !previous.refreshTokenExpiresAt || previous.refreshTokenExpiresAt <= now) {
      return oauthError("invalid_grant", "The refresh token is invalid or has expired");
    }
    // A refresh token is used once: the old access token and refresh token stop working.
    this.grants.delete(previous.token);
    const grant = this.grant({ kind: "offline", expiresIn: EXPIRING_OFFLINE_TOKEN_TTL_S, userId: null, refreshable: true }, now);
    return { status: 200, body: offlineBody(grant, now) };
  }

  private grant(spec: { kind: "offline" | "online"; expiresIn: number | null; userId: number | null; refreshable: boolean }, now: Date): AccessTokenGrant {
    const grant: AccessTokenGrant = {
      token: `${spec.kind === "online" ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      kind: spec.kind,
      scope: this.options.scopes,
      expiresAt: spec.expiresIn === null ? null : new Date(now.getTime() + spec.expiresIn * 1000),
      userId: spec.userId,
      refreshToken: spec.refreshable ? `shprt_${randomBytes(16).toString("hex")}` : null,
      refreshTokenExpiresAt: spec.refreshable ? new Date(now.getTime() + REFRESH_TOKEN_TTL_S * 1000) : null,
    };
    this.grants.set(grant.token, grant);
    return grant;
  }

  /** Checks an App Bridge session token: HS256 with the app's secret, in its validity window, for this shop and app. */
  private verifySessionToken(token: string | undefined, clientId: string, now: Date): { claims: Record<string, unknown> } | { problem: string } {
    if (!token) return { problem: "subject_token is missing" };
    const parts = token.split(".");
    if (parts.length !== 3) return { problem: "the session token is not a JWT" };
    const [header, payload, signature] = parts as [string, string, string];
    let claims: Record<string, unknown>;
    try {
      const decodedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string };
      if (decodedHeader.alg !== "HS256") return { problem: `unsupported signing algorithm ${decodedHeader.alg}` };
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return { problem: "the session token cannot be decoded" };
    }
    const expected = createHmac("sha256", this.options.apiSecret).update(`${header}.${payload}`).digest("base64url");
    if (!safeEqual(signature, expected)) return { problem: "the session token's signature is invalid" };
    const seconds = now.getTime() / 1000;
    if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_S < seconds) return { problem: "the session token has expired" };
    if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_S > seconds) return { problem: "the session token is not valid yet" };
    if (claims.dest !== `https://${this.options.shopDomain}`) return { problem: `the session token is for ${String(claims.dest)}, not this shop` };
    if (claims.aud !== clientId) return { problem: "the session token was issued to another app" };
    if (typeof claims.sub !== "string" || !/^\d+$/.test(claims.sub)) return { problem: "the session token names no staff member (sub)" };
    return { claims };
  }
}

function offlineBody(grant: AccessTokenGrant, now: Date): Record<string, unknown> {
  if (!grant.expiresAt) return { access_token: grant.token, scope: grant.scope };
  return {
    access_token: grant.token,
    scope: grant.scope,
    expires_in: Math.round((grant.expiresAt.getTime() - now.getTime()) / 1000),
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: Math.round((grant.refreshTokenExpiresAt!.getTime() - now.getTime()) / 1000),
  };
}

const STAFF = [
  { first_name: "Avery", last_name: "Morgan" },
  { first_name: "Jordan", last_name: "Lee" },
  { first_name: "Sam", last_name: "Patel" },
  { first_name: "Riley", last_name: "Chen" },
];

/** The staff member behind an online token; user 1 owns the store, as in Shopify's examples. */
function staffMember(id: number, shopDomain: string): Record<string, unknown> {
  const name = STAFF[id % STAFF.length]!;
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return {
    id,
    ...name,
    email: `${name.first_name.toLowerCase()}@${store}.example.com`,
    email_verified: true,
    account_owner: id === 1,
    locale: "en",
    collaborator: false,
  };
}

function oauthError(error: string, description: string): OAuthResponse {
  return { status: 400, body: { error, error_description: description } };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
