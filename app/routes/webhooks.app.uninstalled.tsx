import { APP_TOPICS, methodNotAllowed, webhookAction } from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = webhookAction(APP_TOPICS);
