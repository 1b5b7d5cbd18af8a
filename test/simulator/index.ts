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
export { AdminApi, type AdminApiOptions, type RecordedAdminRequest } from "./admin-api";
export { AccessTokens, type AccessTokenGrant } from "./access-tokens";
export { adminSchema, adminSchemaPath } from "./admin-schema";
export { attachAdminTunnel, isShopifyAdminHost, isTunnelledHost, BULK_OPERATION_STORAGE_HOST } from "./admin-tunnel";
export {
  BulkOperations,
  BULK_OPERATION_ERROR_CODES,
  type BulkOperationErrorCode,
  type BulkOperationRecord,
  type BulkOperationStatus,
} from "./bulk-operations";
export { prepareBulkQuery, toJsonl, type BulkOperationUserError } from "./bulk-query";
export { createCertificateAuthority, type CertificateAuthority } from "./certificates";
export {
  Catalog,
  collectionGid,
  productGid,
  UnknownCatalogItemError,
  type CollectionEvent,
  type NewProduct,
  type SimCollection,
  type SimProduct,
} from "./catalog";
export { parseSearchQuery, matchesSearch, type SearchNode } from "./search-query";
export { DiscountStore, DiscountCodeTakenError, discountGid, type CodeDiscount, type NewCodeDiscount, type DiscountEvent } from "./discounts";
export {
  ATTRIBUTION_SIGNALS,
  creatorTraffic,
  organicTraffic,
  signalsAvailableTo,
  type AttributionSignal,
  type ClickIdProvider,
  type CreatorSignals,
  type OrderTraffic,
  type Visit,
} from "./traffic";
export { mintExtensionSessionToken, signSessionToken, EXTENSION_ORIGIN, type ExtensionSessionTokenClaims, type ExtensionSessionTokenOptions } from "./session-tokens";
export {
  answerSurvey,
  surveyRequest,
  type SurveyEndpoint,
  type SurveyJson,
  type SurveyOptionJson,
  type SurveyAnswerJson,
  type ShopperChoice,
} from "./survey-shopper";
