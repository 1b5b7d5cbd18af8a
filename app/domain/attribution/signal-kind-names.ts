import type { SignalKind } from "./types";

/** How the admin names each kind to a merchant, one and many: "lower precedence than discount code". */
export const SIGNAL_KIND_NAMES: Record<SignalKind, { one: string; many: string }> = {
  discount_code: { one: "discount code", many: "discount codes" },
  tracking_link: { one: "tracking link", many: "tracking links" },
  ref_param: { one: "ref parameter", many: "ref parameters" },
  utm: { one: "UTM parameter", many: "UTM parameters" },
  cart_attribute: { one: "cart attribute", many: "cart attributes" },
  customer_journey: { one: "customer journey", many: "customer journeys" },
  referring_site: { one: "referring site", many: "referring sites" },
  survey: { one: "survey answer", many: "survey answers" },
};
