import type { LoaderFunctionArgs } from "@remix-run/node";
import { followTrackingLink } from "~/services/follow-tracking-link.server";

// A creator's tracking link, opened by shoppers: public (no Shopify session), a redirect to the store.
export const loader = ({ request, params }: LoaderFunctionArgs) => followTrackingLink(request, params.slug ?? "");
