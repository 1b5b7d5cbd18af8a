import { COMPLIANCE_TOPICS, methodNotAllowed, webhookAction } from "~/services/receive-webhook.server";

export const loader = methodNotAllowed;
export const action = webhookAction(COMPLIANCE_TOPICS);
