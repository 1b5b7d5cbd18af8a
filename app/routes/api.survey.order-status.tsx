import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { surveyApiResponse } from "~/services/survey-api.server";
import { authenticate } from "~/shopify.server";

// The post-purchase survey on the customer account's order status page (customer account session tokens), for
// shoppers who did not answer on the thank-you page. Contract: survey-api.server.ts.
const respond = ({ request }: LoaderFunctionArgs | ActionFunctionArgs) =>
  surveyApiResponse(request, { surface: "ORDER_STATUS", authenticate: authenticate.public.customerAccount });

export const loader = respond;
// POST answers; OPTIONS (the CORS preflight) reaches Remix's action too.
export const action = respond;
