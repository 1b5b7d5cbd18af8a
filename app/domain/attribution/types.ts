// The attribution domain's vocabulary: what an order tells us (facts), what the shop knows about its creators
// (directory), what the merchant decided (rules), and the verdict with its evidence.

/** Where a hint about the creator came from. `AttributionRules.precedence` orders these. */
export type SignalKind =
  | "discount_code"
  | "tracking_link"
  | "utm"
  | "ref_param"
  | "cart_attribute"
  | "referring_site"
  | "customer_journey"
  | "survey";

export const SIGNAL_KINDS: readonly SignalKind[] = [
  "discount_code",
  "tracking_link",
  "utm",
  "ref_param",
  "cart_attribute",
  "referring_site",
  "customer_journey",
  "survey",
];

/** Same spelling as Prisma's AttributionMethod enum. */
export type AttributionMethod =
  | "DISCOUNT_CODE"
  | "TRACKING_LINK"
  | "UTM"
  | "REF_PARAM"
  | "CART_ATTRIBUTE"
  | "REFERRING_SITE"
  | "CUSTOMER_JOURNEY"
  | "SURVEY"
  | "CUSTOMER_LOCK"
  | "MANUAL_OVERRIDE"
  | "NONE";

export type AttributionFlag = "SELF_REFERRAL" | "LEAKED_CODE" | "CODE_BURST" | "CONFLICTING_CREATORS";

export interface UtmParameters {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
}

/** One visit of Shopify's customerJourneySummary (firstVisit / lastVisit). */
export interface JourneyVisit {
  occurredAt: string; // ISO 8601
  landingPage: string | null;
  referrerUrl: string | null;
  referralCode: string | null;
  source: string | null;
  utm: UtmParameters | null;
}

/** What the app stored of customerJourneySummary (Order.customerJourney). */
export interface CustomerJourney {
  ready: boolean;
  firstVisit: JourneyVisit | null;
  lastVisit: JourneyVisit | null;
}

export interface SurveyAnswer {
  /** The creator the chosen option stands for; null for channels and "Other". */
  creatorId: string | null;
  optionLabel: string;
  answeredAt: string; // ISO 8601
}

/** What one order says, as stored on Order plus the late facts joined to it. */
export interface AttributionFacts {
  orderedAt: string; // ISO 8601, the order's processed_at
  discountCodes: readonly string[];
  landingSite: string | null;
  referringSite: string | null;
  noteAttributes: readonly { name: string; value: string }[];
  journey: CustomerJourney | null;
  survey: SurveyAnswer | null;
  newCustomer: boolean;
  customerGid: string | null;
  customerEmailHash: string | null;
}

/** A click on a tracking link that a landing page refers to (`cl_click=<id>`). */
export interface KnownClick {
  id: string;
  linkSlug: string;
  creatorId: string;
  occurredAt: string; // ISO 8601
}

/** The shop's creators as far as this order's signals can point at them (the service loads only those). */
export interface CreatorDirectory {
  creators: readonly {
    id: string;
    handle: string;
    /** Hosts or host/path prefixes, lower-case: "mayafit.com", "instagram.com/maya". */
    referrerDomains: readonly string[];
    customerGid: string | null;
    emailHash: string | null;
  }[];
  codes: readonly { code: string; creatorId: string }[];
  links: readonly { slug: string; creatorId: string }[];
  clicks: readonly KnownClick[];
}

/** The creator who acquired this customer (their first credited order), for the lifetime lock. */
export interface CustomerAcquisition {
  creatorId: string;
  acquiredAt: string; // ISO 8601
  orderName: string;
}

/** Orders with the deciding code in the hour before this one, and the code's usual hourly rate (last 7 days). */
export interface CodeUsage {
  code: string;
  lastHour: number;
  hourlyBaseline: number;
}

export interface AttributionRules {
  /** Highest first. A kind left out is still shown as evidence but never credits anyone. */
  precedence: SignalKind[];
  /**
   * A touch (click, visit) older than this many days before the order, or after it, does not credit. Survey answers
   * are given after the order and are not held to the window.
   */
  windowDays: number;
  /** Among several touches of the deciding kind pointing at different creators: the earliest or the latest. */
  touchModel: "FIRST" | "LAST";
  /** Returning customers credit nobody (unless the customer lock holds them). */
  newCustomersOnly: boolean;
  /** A customer stays with the creator who acquired them: for `days` after acquisition, or for life when null. */
  customerLock: { enabled: boolean; days: number | null };
  /** Codes that never credit anyone (site-wide promotions), any spelling. */
  excludedCodes: string[];
  /** 0–100: the confidence of a verdict decided by the survey answer alone. */
  surveyConfidence: number;
  /** A code is bursting when lastHour ≥ max(burstMinOrders, burstMultiplier × hourlyBaseline). */
  burstMinOrders: number;
  burstMultiplier: number;
}

export interface Evidence {
  signal: SignalKind | "customer_lock" | "override";
  /** Where exactly, in words: "discount code", "landing page utm_campaign", "customer journey, first visit". */
  source: string;
  value: string;
  occurredAt: string | null;
  /** The creator the signal points at, if any. */
  creatorId: string | null;
  matched: boolean;
  decisive: boolean;
  /** Why it counted or not: "outside the 30-day window", "excluded code", "lower precedence than discount code". */
  note: string;
}

export interface Verdict {
  creatorId: string | null;
  method: AttributionMethod;
  /** 0–100. */
  confidence: number;
  /** The rule that decided, in words. */
  rule: string;
  evidence: Evidence[];
  flags: AttributionFlag[];
}

export interface AttributionInput {
  facts: AttributionFacts;
  directory: CreatorDirectory;
  rules: AttributionRules;
  acquisition: CustomerAcquisition | null;
  codeUsage: readonly CodeUsage[];
  /** The shop's own storefront hosts (myshopify domain, primary domain): a referrer there is internal navigation. */
  shopHosts: readonly string[];
}

/** The merchant's standing decision for an order; it wins over whatever the signals say. */
export interface AttributionOverride {
  creatorId: string | null;
  reason: string;
}
