import { normalizeDiscountCode } from "./normalize-discount-code";
import { SIGNAL_KIND_NAMES } from "./signal-kind-names";
import { collectSignals, type Signal } from "./signals";
import {
  SIGNAL_KINDS,
  type AttributionFlag,
  type AttributionInput,
  type AttributionMethod,
  type AttributionOverride,
  type AttributionRules,
  type CodeUsage,
  type CreatorDirectory,
  type CustomerAcquisition,
  type Evidence,
  type SignalKind,
  type Verdict,
} from "./types";
import { hostOf, normalizeReferrerEntry } from "./url-parts";

/** Flags that hold the order's commission until a merchant reviews it; CONFLICTING_CREATORS only informs. */
export const HOLDING_FLAGS: readonly AttributionFlag[] = ["CODE_BURST", "LEAKED_CODE", "SELF_REFERRAL"];

export const METHOD_OF_KIND: Record<SignalKind, AttributionMethod> = {
  discount_code: "DISCOUNT_CODE",
  tracking_link: "TRACKING_LINK",
  ref_param: "REF_PARAM",
  utm: "UTM",
  cart_attribute: "CART_ATTRIBUTE",
  customer_journey: "CUSTOMER_JOURNEY",
  referring_site: "REFERRING_SITE",
  survey: "SURVEY",
};

/** How sure a verdict decided by each kind is before other signals agree or disagree; survey: the shop's setting. */
const BASE_CONFIDENCE: Record<Exclude<SignalKind, "survey">, number> = {
  discount_code: 90,
  tracking_link: 85,
  ref_param: 80,
  utm: 75,
  cart_attribute: 75,
  customer_journey: 70,
  referring_site: 60,
};
const AGREEING_KIND_BONUS = 5;
const MAX_SIGNAL_CONFIDENCE = 99;
const CONFLICT_PENALTY = 25;
const CONFLICT_FLOOR = 10;
const LOCK_CONFIDENCE = 95;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Sites that publish or auto-apply coupon codes: a creator's code used from there has escaped their audience. */
export const COUPON_SITES: readonly string[] = [
  "retailmenot.com",
  "retailmenot.ca",
  "joinhoney.com",
  "couponbirds.com",
  "dealspotr.com",
  "knoji.com",
  "wethrift.com",
  "couponfollow.com",
  "slickdeals.net",
  "groupon.com",
  "coupons.com",
  "rakuten.com",
  "capitaloneshopping.com",
  "dealsplus.com",
  "couponcabin.com",
  "coupert.com",
  "promocodes.com",
  "vouchercodes.co.uk",
];

const SEARCH_ENGINE = /(^|\.)(google|bing|duckduckgo|yahoo|ecosia|baidu|yandex)\./;

/** Why a signal counts or not, before precedence picks among those that count. */
type Standing = "candidate" | "unmatched" | "not_credited" | "excluded" | "before_window" | "after_order" | "undated";

interface Assessed {
  signal: Signal;
  standing: Standing;
  /** When it happened for the touch model: occurredAt, or the order time when it has none. */
  time: number;
}

/**
 * One verdict per order, from every signal the order carries. The verdict depends only on what the input says,
 * never on the order its lists are in: evidence is sorted and ties are settled by creator id.
 */
export function attributeOrder(input: AttributionInput): Verdict {
  const { facts, directory, rules, acquisition } = input;
  const orderedAt = Date.parse(facts.orderedAt);
  const signals = collectSignals(facts, directory);
  const excludedCodes = new Set(rules.excludedCodes.map(normalizeDiscountCode));
  const assessed = signals.map((signal): Assessed => assess(signal, rules, orderedAt, excludedCodes));
  const candidates = assessed.filter((entry) => entry.standing === "candidate");

  const lock = acquisition && rules.customerLock.enabled ? lockStanding(acquisition, rules, orderedAt) : null;
  if (acquisition && lock?.holds) {
    const creatorId = acquisition.creatorId;
    const evidence = [
      lockEvidence(acquisition, true, lock.note),
      ...assessed.map((entry) =>
        toEvidence(
          entry,
          false,
          entry.signal.creatorId === null ? unmatchedNote(entry.signal) : lockedNote(entry, creatorId),
        ),
      ),
    ];
    const conflicting = candidates.some((entry) => entry.signal.creatorId !== creatorId);
    return {
      creatorId,
      method: "CUSTOMER_LOCK",
      confidence: LOCK_CONFIDENCE,
      rule: `Customer lock: this customer was acquired by the creator with order ${acquisition.orderName}`,
      evidence: sortEvidence(evidence, rules),
      flags: sortFlags([
        ...(conflicting ? (["CONFLICTING_CREATORS"] as const) : []),
        ...(isSelfReferral(creatorId, input) ? (["SELF_REFERRAL"] as const) : []),
      ]),
    };
  }
  const lockEntries = acquisition && lock ? [lockEvidence(acquisition, false, lock.note)] : [];

  if (rules.newCustomersOnly && !facts.newCustomer) {
    const evidence = assessed.map((entry) =>
      toEvidence(
        entry,
        false,
        entry.signal.creatorId === null
          ? unmatchedNote(entry.signal)
          : "returning customer: this shop credits new customers only",
      ),
    );
    return nobody("Returning customer: this shop credits new customers only", [...lockEntries, ...evidence], rules);
  }

  const decidingKind = rules.precedence.find((kind) => candidates.some((entry) => entry.signal.kind === kind));
  if (decidingKind === undefined) {
    const evidence = assessed.map((entry) => toEvidence(entry, false, standingNote(entry, rules)));
    return nobody(noCreditRule(assessed, facts.journey?.ready === false, rules), [...lockEntries, ...evidence], rules);
  }

  const rivals = candidates.filter((entry) => entry.signal.kind === decidingKind).sort(byTouchModel(rules.touchModel));
  const winner = rivals[0]!;
  const creatorId = winner.signal.creatorId!;
  const rivalCreators = new Set(rivals.map((entry) => entry.signal.creatorId)).size;

  const agreeingKinds = new Set(
    candidates
      .filter((entry) => entry.signal.creatorId === creatorId && entry.signal.kind !== decidingKind)
      .map((entry) => entry.signal.kind),
  ).size;
  const conflicting = candidates.some((entry) => entry.signal.creatorId !== creatorId);
  const method = METHOD_OF_KIND[decidingKind];
  const evidence = assessed.map((entry) =>
    entry === winner
      ? toEvidence(entry, true, decisiveNote(rivalCreators, rules))
      : toEvidence(
          entry,
          false,
          entry.standing === "candidate" ? candidateNote(entry, winner, rules) : standingNote(entry, rules),
        ),
  );

  const flags: AttributionFlag[] = [];
  if (conflicting) flags.push("CONFLICTING_CREATORS");
  if (isSelfReferral(creatorId, input)) flags.push("SELF_REFERRAL");
  if (method === "DISCOUNT_CODE" && isLeakedCode(creatorId, input)) flags.push("LEAKED_CODE");
  if (method === "DISCOUNT_CODE" && isBursting(winner.signal.code, input.codeUsage, rules)) flags.push("CODE_BURST");

  return {
    creatorId,
    method,
    confidence: confidenceOf(decidingKind, agreeingKinds, conflicting, rules),
    rule: decidingRule(decidingKind, rivalCreators, rules),
    evidence: sortEvidence([...lockEntries, ...evidence], rules),
    flags: sortFlags(flags),
  };
}

/** The merchant's decision replaces the verdict; what the signals said stays visible beneath it. */
export function applyOverride(verdict: Verdict, override: AttributionOverride): Verdict {
  const reason = override.reason.trim();
  return {
    creatorId: override.creatorId,
    method: "MANUAL_OVERRIDE",
    confidence: 100,
    rule: reason === "" ? "Overridden by the merchant" : `Overridden by the merchant: ${reason}`,
    evidence: [
      {
        signal: "override",
        source: "merchant override",
        value: reason,
        occurredAt: null,
        creatorId: override.creatorId,
        matched: override.creatorId !== null,
        decisive: true,
        note: `replaces the computed verdict: ${verdict.rule}`,
      },
      ...verdict.evidence.map((entry) =>
        entry.decisive
          ? { ...entry, decisive: false, note: `would have decided without the override: ${entry.note}` }
          : entry,
      ),
    ],
    flags: [...verdict.flags],
  };
}

function assess(signal: Signal, rules: AttributionRules, orderedAt: number, excludedCodes: Set<string>): Assessed {
  const at = (standing: Standing, time = orderedAt): Assessed => ({ signal, standing, time });
  if (signal.creatorId === null) return at("unmatched");
  if (!rules.precedence.includes(signal.kind)) return at("not_credited");
  if (signal.code !== null && excludedCodes.has(signal.code)) return at("excluded");
  // Survey answers come after the order by nature, so only clicks and visits are held to the window.
  if (signal.occurredAt === null || signal.kind === "survey") return at("candidate");
  const time = Date.parse(signal.occurredAt);
  if (Number.isNaN(time)) return at("undated");
  if (time > orderedAt) return at("after_order", time);
  if (time < orderedAt - rules.windowDays * DAY_MS) return at("before_window", time);
  return at("candidate", time);
}

function lockStanding(
  acquisition: CustomerAcquisition,
  rules: AttributionRules,
  orderedAt: number,
): { holds: boolean; note: string } {
  const elapsed = orderedAt - Date.parse(acquisition.acquiredAt);
  const { days } = rules.customerLock;
  const acquired = `acquired by this creator with order ${acquisition.orderName}`;
  if (!(elapsed >= 0)) return { holds: false, note: `${acquired}, after this order: the lock starts later` };
  if (days !== null && elapsed > days * DAY_MS) {
    return { holds: false, note: `${acquired}; the ${days}-day lock has ended` };
  }
  return { holds: true, note: `${acquired}; locked ${days === null ? "for life" : `for ${days} days`}` };
}

function lockEvidence(acquisition: CustomerAcquisition, decisive: boolean, note: string): Evidence {
  return {
    signal: "customer_lock",
    source: "customer lock",
    value: acquisition.orderName,
    occurredAt: acquisition.acquiredAt,
    creatorId: acquisition.creatorId,
    matched: true,
    decisive,
    note,
  };
}

function toEvidence({ signal }: Assessed, decisive: boolean, note: string): Evidence {
  return {
    signal: signal.kind,
    source: signal.source,
    value: signal.value,
    occurredAt: signal.occurredAt,
    creatorId: signal.creatorId,
    matched: signal.creatorId !== null,
    decisive,
    note,
  };
}

function unmatchedNote(signal: Signal): string {
  return signal.note ?? "matches no creator";
}

function lockedNote(entry: Assessed, lockedCreatorId: string): string {
  return entry.signal.creatorId === lockedCreatorId
    ? "agrees with the customer lock"
    : "the customer lock decides instead";
}

function standingNote(entry: Assessed, rules: AttributionRules): string {
  switch (entry.standing) {
    case "unmatched":
      return unmatchedNote(entry.signal);
    case "not_credited":
      return `the shop does not credit ${SIGNAL_KIND_NAMES[entry.signal.kind].many}`;
    case "excluded":
      return "excluded code: never credits";
    case "before_window":
      return `outside the ${rules.windowDays}-day window`;
    case "after_order":
      return "after the order";
    case "undated":
      return "its time cannot be read";
    case "candidate":
      return "counts";
  }
}

function candidateNote(entry: Assessed, winner: Assessed, rules: AttributionRules): string {
  const agrees = entry.signal.creatorId === winner.signal.creatorId;
  if (entry.signal.kind !== winner.signal.kind) {
    const lower = `lower precedence than ${SIGNAL_KIND_NAMES[winner.signal.kind].one}`;
    return agrees ? `agrees; ${lower}` : lower;
  }
  if (agrees) return "agrees with the deciding signal";
  if (entry.time === winner.time) return "another creator at the same moment: ties go to the lowest creator id";
  return rules.touchModel === "LAST"
    ? "an earlier touch: the last touch decides"
    : "a later touch: the first touch decides";
}

function decisiveNote(rivalCreators: number, rules: AttributionRules): string {
  if (rivalCreators === 1) return "decides: first signal in the shop's precedence that points at a creator";
  return `decides: the ${rules.touchModel === "LAST" ? "last" : "first"} touch among ${rivalCreators} creators`;
}

function decidingRule(kind: SignalKind, rivalCreators: number, rules: AttributionRules): string {
  const name = SIGNAL_KIND_NAMES[kind].one;
  const rule = `${name.charAt(0).toUpperCase()}${name.slice(
    1,
  )}: the first signal in the shop's precedence that points at a creator`;
  if (rivalCreators === 1) return rule;
  return `${rule}; the ${rules.touchModel === "LAST" ? "last" : "first"} touch among ${rivalCreators} creators decides`;
}

function noCreditRule(assessed: readonly Assessed[], journeyPending: boolean, rules: AttributionRules): string {
  const pending = journeyPending ? " (Shopify has not finished the customer journey yet)" : "";
  if (assessed.length === 0) return `No attribution signals on the order${pending}`;
  const matched = assessed.filter((entry) => entry.standing !== "unmatched");
  if (matched.length === 0) return `No signal on the order points at a creator${pending}`;

  const standings = new Set(matched.map((entry) => entry.standing));
  const uncredited = [
    ...new Set(matched.filter((entry) => entry.standing === "not_credited").map((entry) => entry.signal.kind)),
  ]
    .map((kind) => SIGNAL_KIND_NAMES[kind].many)
    .sort();
  const reasons: string[] = [];
  if (standings.has("before_window")) reasons.push(`outside the ${rules.windowDays}-day window`);
  if (standings.has("after_order")) reasons.push("after the order");
  if (standings.has("undated")) reasons.push("at a time that cannot be read");
  if (standings.has("excluded")) reasons.push("through excluded codes");
  if (uncredited.length > 0) reasons.push(`through kinds the shop does not credit (${uncredited.join(", ")})`);
  return `Signals point at creators only ${reasons.join("; ")}${pending}`;
}

function nobody(rule: string, evidence: Evidence[], rules: AttributionRules): Verdict {
  return { creatorId: null, method: "NONE", confidence: 0, rule, evidence: sortEvidence(evidence, rules), flags: [] };
}

/** Best first by the touch model; a tie goes to the lowest creator id, then to the plainest signal, never to list order. */
function byTouchModel(touchModel: AttributionRules["touchModel"]) {
  return (a: Assessed, b: Assessed): number =>
    (touchModel === "LAST" ? b.time - a.time : a.time - b.time) ||
    compareText(a.signal.creatorId ?? "", b.signal.creatorId ?? "") ||
    compareText(a.signal.source, b.signal.source) ||
    compareText(a.signal.value, b.signal.value);
}

function confidenceOf(kind: SignalKind, agreeingKinds: number, conflicting: boolean, rules: AttributionRules): number {
  const base = kind === "survey" ? rules.surveyConfidence : BASE_CONFIDENCE[kind];
  const supported = Math.min(MAX_SIGNAL_CONFIDENCE, base + AGREEING_KIND_BONUS * agreeingKinds);
  // A verdict the shop already rates below the floor is not raised by a conflict.
  return conflicting ? Math.max(supported - CONFLICT_PENALTY, Math.min(supported, CONFLICT_FLOOR)) : supported;
}

function creatorsWithId(directory: CreatorDirectory, creatorId: string) {
  return directory.creators.filter((creator) => creator.id === creatorId);
}

function isSelfReferral(creatorId: string, { facts, directory }: AttributionInput): boolean {
  return creatorsWithId(directory, creatorId).some(
    (creator) =>
      (facts.customerGid !== null && creator.customerGid !== null && facts.customerGid === creator.customerGid) ||
      (facts.customerEmailHash !== null &&
        creator.emailHash !== null &&
        facts.customerEmailHash.toLowerCase() === creator.emailHash.toLowerCase()),
  );
}

/**
 * A coupon site sent the shopper, or the creator declared where their audience comes from and the shopper came
 * from somewhere else. Declared entries are compared by host here, not by path: Instagram and TikTok send their
 * visitors from their home page, so "instagram.com/maya" also vouches for a referrer of "l.instagram.com".
 */
function isLeakedCode(creatorId: string, { facts, directory, shopHosts }: AttributionInput): boolean {
  const host = hostOf(facts.referringSite);
  if (host === null) return false;
  if (COUPON_SITES.some((site) => isHostOrSubdomain(host, site))) return true;
  const declaredHosts = creatorsWithId(directory, creatorId)
    .flatMap((creator) => creator.referrerDomains)
    .map((entry) => normalizeReferrerEntry(entry).split("/")[0] ?? "")
    .filter((declared) => declared !== "");
  if (declaredHosts.length === 0) return false;
  const internalHosts = shopHosts.map((shopHost) => hostOf(shopHost)).filter((shopHost) => shopHost !== null);
  if (internalHosts.some((shopHost) => isHostOrSubdomain(host, shopHost))) return false;
  if (SEARCH_ENGINE.test(host)) return false;
  return !declaredHosts.some((declared) => isHostOrSubdomain(host, declared));
}

function isHostOrSubdomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function isBursting(code: string | null, usage: readonly CodeUsage[], rules: AttributionRules): boolean {
  if (code === null) return false;
  return usage.some(
    (entry) =>
      normalizeDiscountCode(entry.code) === code &&
      entry.lastHour >= Math.max(rules.burstMinOrders, rules.burstMultiplier * entry.hourlyBaseline),
  );
}

function sortFlags(flags: readonly AttributionFlag[]): AttributionFlag[] {
  return [...new Set(flags)].sort();
}

/** Decisive first, then by the shop's precedence, then field by field, so equal inputs give equal lists. */
function sortEvidence(evidence: readonly Evidence[], rules: AttributionRules): Evidence[] {
  const rank = (signal: Evidence["signal"]) => {
    if (signal === "customer_lock" || signal === "override") return -1;
    const position = rules.precedence.indexOf(signal);
    return position === -1 ? rules.precedence.length + SIGNAL_KINDS.indexOf(signal) : position;
  };
  return [...evidence].sort(
    (a, b) =>
      Number(b.decisive) - Number(a.decisive) ||
      rank(a.signal) - rank(b.signal) ||
      compareText(a.source, b.source) ||
      compareText(a.value, b.value) ||
      compareText(a.creatorId ?? "", b.creatorId ?? "") ||
      compareText(a.occurredAt ?? "", b.occurredAt ?? "") ||
      Number(b.matched) - Number(a.matched) ||
      compareText(a.note, b.note),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
