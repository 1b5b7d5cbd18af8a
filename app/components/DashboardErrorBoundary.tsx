import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

/**
 * The error state of the report pages (home dashboard, leaderboard): a page that failed to load says so in the
 * admin's words and offers a reload, instead of leaving the frame blank. Shopify's own auth responses still go
 * through Shopify's boundary, which needs them.
 */
export function DashboardErrorBoundary({ title }: { title: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title={title}>
      <Banner
        tone="critical"
        title={`The ${title.toLowerCase()} could not be loaded`}
        action={{ content: "Try again", onAction: () => window.location.reload() }}
      >
        <p>Nothing was changed. If this keeps happening, the app&apos;s database or worker may be unreachable.</p>
      </Banner>
    </Page>
  );
}
