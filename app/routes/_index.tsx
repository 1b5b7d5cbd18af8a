import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/react";

// Shopify admin opens the app at its root with shop/host parameters; the app itself lives under /app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return new Response(
    "Creator Ledger is a Shopify app: install it from the Shopify App Store and open it from your store's admin.",
    { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } },
  );
};
