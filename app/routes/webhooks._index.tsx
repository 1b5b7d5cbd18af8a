import { COLLECTION_TOPICS, DISCOUNT_TOPICS, methodNotAllowed, ORDER_TOPICS, webhookAction } from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = webhookAction([...ORDER_TOPICS, ...DISCOUNT_TOPICS, ...COLLECTION_TOPICS]);
