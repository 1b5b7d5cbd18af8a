import type { ActionFunctionArgs } from "@remix-run/node";
import { COMPLIANCE_TOPICS, methodNotAllowed, receiveWebhook } from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, COMPLIANCE_TOPICS);
