import type { ActionFunctionArgs } from "@remix-run/node";
import {
  COLLECTION_TOPICS,
  DISCOUNT_TOPICS,
  methodNotAllowed,
  ORDER_TOPICS,
  receiveWebhook,
} from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, [...ORDER_TOPICS, ...DISCOUNT_TOPICS, ...COLLECTION_TOPICS]);
