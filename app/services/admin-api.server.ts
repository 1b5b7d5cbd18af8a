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

const DEFAULT_THROTTLE_WAIT_MS = 2_000;

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
    return new AdminApiThrottledError(error.response.retryAfter ? error.response.retryAfter * 1000 : DEFAULT_THROTTLE_WAIT_MS);
  }
  if (error instanceof GraphqlQueryError) {
    const errors = (error.body as { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] } } | undefined)?.errors;
    if (errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED")) {
      return new AdminApiThrottledError(DEFAULT_THROTTLE_WAIT_MS);
    }
  }
  if (error instanceof HttpResponseError && (error.response.code === 401 || error.response.code === 403)) {
    return new AdminApiAccessError(`Shopify refused the shop's access token (${error.response.code})`);
  }
  return error;
}
