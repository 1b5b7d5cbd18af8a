import type { ActionFunctionArgs } from "@remix-run/node";
import { APP_TOPICS, methodNotAllowed, receiveWebhook } from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, APP_TOPICS);
