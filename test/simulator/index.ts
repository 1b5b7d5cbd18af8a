// The store simulator's function API, for tests and the demo. The CLI is main.ts.
export { startSimulatorServer, type RunningSimulator, type SimulatorServerOptions } from "./server";
export {
  StoreSimulator,
  type FollowUpKind,
  type OrderSummary,
  type PlaceOrdersRequest,
  type ReplayOptions,
  type ReplayProgress,
  type StoreSimulatorOptions,
} from "./store";
export {
  WebhookDeliverer,
  COMPRESSED_RETRY_SCHEDULE,
  SHOPIFY_RETRY_SCHEDULE,
  defaultPathForTopic,
  retryDelays,
  type Delivery,
  type DeliveryOptions,
  type DeliverySummary,
  type RetrySchedule,
} from "./delivery";
export { OrderGenerator, API_VERSION, HOUSE_CODES, percentFromCode, varyCodeSpelling, type SimOrder, type StoreEvent, type StoreTopic } from "./orders";
export { webhookHmac, verifyWebhookHmac, webhookHeaders } from "./signing";
export { formatAmount, parseAmount, currencyDecimals } from "./money";
export { formatInTimeZone } from "./time";
