import { GraphqlQueryError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { unauthenticated } from "~/shopify.server";

/** Runs one Admin GraphQL operation for a shop and returns its `data`. */
export type AdminGraphql = <T>(operation: string, variables?: Record<string, unknown>) => Promise<T>;

/** Shopify asked us to slow down: the job waits `retryAfterMs` and tries again without spending an attempt. */
export class AdminApiThrottledError extends Error {
  override name = "AdminApiThrottledError";
  constructor(readonly retryAfterMs: number) {
    super(`Shopify's Admin API is throttling this shop; retrying in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** The shop can no longer be called (uninstalled, or its access token was revoked): retrying will not help. */
export class AdminApiAccessError extends Error {
  override name = "AdminApiAccessError";
}

/** When Shopify says to slow down without saying for how long. */
const DEFAULT_THROTTLE_WAIT_MS = 2_000;
/** Never hold the queue longer than this on one answer: the bucket of a shop refills fully within ~20 s. */
const MAX_THROTTLE_WAIT_MS = 60_000;

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * How long until the shop's cost bucket holds what the throttled query asked for: Shopify answers THROTTLED with
 * `extensions.cost` = { requestedQueryCost, throttleStatus: { currentlyAvailable, restoreRate (points/s) } }.
 */
export function throttleWaitMs(cost: { requestedQueryCost?: number; throttleStatus?: Partial<ThrottleStatus> } | undefined): number {
  const requested = cost?.requestedQueryCost;
  const { currentlyAvailable, restoreRate } = cost?.throttleStatus ?? {};
  if (typeof requested !== "number" || typeof currentlyAvailable !== "number" || typeof restoreRate !== "number" || restoreRate <= 0) {
    return DEFAULT_THROTTLE_WAIT_MS;
  }
  const missing = Math.max(0, requested - currentlyAvailable);
  // A second more than the arithmetic: the bucket refills in whole points, and other jobs share it.
  return Math.min(MAX_THROTTLE_WAIT_MS, Math.ceil((missing / restoreRate) * 1000) + 1_000);
}

type AdminContext = Awaited<ReturnType<typeof unauthenticated.admin>>["admin"];

/** The Admin API as the app's offline session for the shop sees it (jobs). */
export async function adminGraphqlFor(shopDomain: string): Promise<AdminGraphql> {
  let admin: AdminContext;
  try {
    ({ admin } = await unauthenticated.admin(shopDomain));
  } catch (error) {
    throw new AdminApiAccessError(`No offline session for ${shopDomain}: ${(error as Error).message}`);
  }
  return adminGraphqlFrom(admin);
}

/** The Admin API of an authenticated admin request (`authenticate.admin(request).admin`). */
export function adminGraphqlFrom(admin: Pick<AdminContext, "graphql">): AdminGraphql {
  return async <T>(operation: string, variables?: Record<string, unknown>): Promise<T> => {
    try {
      const response = await admin.graphql(operation, { variables });
      const body = (await response.json()) as { data: T };
      return body.data;
    } catch (error) {
      throw translateAdminError(error);
    }
  };
}

function translateAdminError(error: unknown): unknown {
  if (error instanceof HttpThrottlingError) {
    // HTTP 429, with Retry-After in seconds.
    const retryAfter = error.response.retryAfter;
    return new AdminApiThrottledError(
      retryAfter && retryAfter > 0 ? Math.min(MAX_THROTTLE_WAIT_MS, Math.ceil(retryAfter * 1000)) : DEFAULT_THROTTLE_WAIT_MS,
    );
  }
  if (error instanceof GraphqlQueryError) {
    const body = error.body as
      | { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] }; extensions?: { cost?: Parameters<typeof throttleWaitMs>[0] } }
      | undefined;
    if (body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED")) {
      return new AdminApiThrottledError(throttleWaitMs(body.extensions?.cost));
    }
  }
  if (error instanceof HttpResponseError && (error.response.code === 401 || error.response.code === 403)) {
    return new AdminApiAccessError(`Shopify refused the shop's access token (${error.response.code})`);
  }
  return error;
}
