import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Card, EmptyState, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { EMPTY_STATE_IMAGE } from "./empty-state-image";

/** Thrown by the pages about one creator when the id is unknown or another shop's; CreatorErrorBoundary shows it. */
export function creatorNotFound(): Response {
  return new Response("Creator not found", { status: 404 });
}

/** The error boundary of every page about one creator: 404 for unknown (or another shop's) creators. */
export function CreatorErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Creator not found" backAction={{ content: "Creators", url: "/app/creators" }}>
        <Card>
          <EmptyState
            heading="This creator does not exist"
            action={{ content: "Back to creators", url: "/app/creators" }}
            image={EMPTY_STATE_IMAGE}
          >
            <p>It may have been removed, or the link is wrong.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  // Shopify's own auth responses (and anything unexpected) go where the app layout sends them.
  return boundary.error(error);
}
