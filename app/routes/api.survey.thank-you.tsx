import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { surveyApiResponse } from "~/services/survey-api.server";
import { authenticate } from "~/shopify.server";

// The post-purchase survey on checkout's thank-you page (checkout session tokens). Contract: survey-api.server.ts.
const respond = ({ request }: LoaderFunctionArgs | ActionFunctionArgs) =>
  surveyApiResponse(request, { surface: "THANK_YOU", authenticate: authenticate.public.checkout });

export const loader = respond;
// POST answers; OPTIONS (the CORS preflight) reaches Remix's action too.
export const action = respond;
