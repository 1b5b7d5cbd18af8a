import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { env } from "~/utils/env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const { SHOPIFY_API_KEY, APP_BRIDGE_URL } = env();
  return { apiKey: SHOPIFY_API_KEY, appBridgeUrl: APP_BRIDGE_URL ?? null };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/leaderboard">Leaderboard</Link>
        <Link to="/app/creators">Creators</Link>
        <Link to="/app/experiments">Experiments</Link>
        <Link to="/app/orders">Orders</Link>
        <Link to="/app/payouts">Payouts</Link>
        <Link to="/app/statements">Statements</Link>
        <Link to="/app/attribution">Attribution</Link>
        <Link to="/app/survey">Survey</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/jobs">Background jobs</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included in the response.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
