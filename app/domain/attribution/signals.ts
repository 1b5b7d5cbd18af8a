import { z } from "zod";
import { normalizeDiscountCode } from "./normalize-discount-code";
import type {
  AttributionFacts,
  CreatorDirectory,
  CustomerJourney,
  JourneyVisit,
  KnownClick,
  SignalKind,
  UtmParameters,
} from "./types";
import { coversReferrer, hostAndPath, normalizeReferrerEntry, parameterValues, queryParameters } from "./url-parts";

/** One hint in the order about a creator, before any rule says whether it counts. */
export interface Signal {
  kind: SignalKind;
  /** Where exactly, in words: "discount code", "landing page utm_campaign", "customer journey, last visit: referrer". */
  source: string;
  value: string;
  occurredAt: string | null;
  creatorId: string | null;
  /** The normalized discount code it names when it points at its creator as a code: excluded codes never credit. */
  code: string | null;
  /** Why it points at nobody, when collecting it already tells ("no recorded click with this id"). */
  note: string | null;
}

/** Cart attributes storefront themes and referral apps set to name the referrer (compared in any case). */
export const CART_ATTRIBUTE_NAMES: readonly string[] = [
  "ref",
  "creator",
  "referral",
  "referral_code",
  "referred_by",
  "utm_source",
  "utm_campaign",
];

/** The UTM parameters a creator's handle can appear in; other utm_* parameters are shown but never match. */
export const HANDLE_UTM_PARAMETERS: readonly string[] = ["utm_source", "utm_campaign", "utm_content"];

const NOT_READY_NOTE = "Shopify has not finished this journey yet";

export function collectSignals(facts: AttributionFacts, directory: CreatorDirectory): Signal[] {
  const find = creatorFinder(directory);
  return [
    ...discountCodeSignals(facts.discountCodes, find),
    ...landingSiteSignals(facts.landingSite, find),
    ...cartAttributeSignals(facts.noteAttributes, find),
    ...referringSiteSignals(facts.referringSite, find),
    ...journeySignals(facts.journey, find),
    ...surveySignals(facts.survey),
  ];
}

export function isCartAttributeName(name: string): boolean {
  return CART_ATTRIBUTE_NAMES.includes(name.trim().toLowerCase());
}

function discountCodeSignals(codes: readonly string[], find: CreatorFinder): Signal[] {
  return codes
    .filter((code) => code.trim() !== "")
    .map((code) => signal("discount_code", "discount code", code, null, find.byCode(code), "not a creator's code"));
}

function landingSiteSignals(landingSite: string | null, find: CreatorFinder): Signal[] {
  const parameters = queryParameters(landingSite);
  const signals: Signal[] = [];
  for (const clickId of parameterValues(parameters, "cl_click")) {
    const click = find.click(clickId);
    signals.push(
      signal(
        "tracking_link",
        "landing page cl_click",
        clickId,
        click?.occurredAt ?? null,
        click ? { creatorId: click.creatorId, code: null } : null,
        "no recorded click with this id",
      ),
    );
  }
  for (const slug of parameterValues(parameters, "utm_content")) {
    const link = find.bySlug(slug);
    if (link) signals.push(signal("tracking_link", "landing page utm_content", slug, null, link, null));
  }
  for (const handle of parameterValues(parameters, "ref")) {
    signals.push(
      signal("ref_param", "landing page ref", handle, null, find.byHandle(handle), "no creator has this handle"),
    );
  }
  for (const { name, value } of parameters.filter((parameter) => parameter.name.startsWith("utm_"))) {
    const matchable = HANDLE_UTM_PARAMETERS.includes(name);
    signals.push(
      signal(
        "utm",
        `landing page ${name}`,
        value,
        null,
        matchable ? find.byHandle(value) : null,
        matchable ? "no creator has this handle" : `${name} is not compared with creators`,
      ),
    );
  }
  return signals;
}

function cartAttributeSignals(attributes: AttributionFacts["noteAttributes"], find: CreatorFinder): Signal[] {
  return attributes
    .filter((attribute) => isCartAttributeName(attribute.name) && attribute.value.trim() !== "")
    .map((attribute) =>
      signal(
        "cart_attribute",
        `cart attribute "${attribute.name}"`,
        attribute.value,
        null,
        find.byHandle(attribute.value) ?? find.byCode(attribute.value),
        "no creator has this handle or code",
      ),
    );
}

function referringSiteSignals(referringSite: string | null, find: CreatorFinder): Signal[] {
  if (!referringSite || referringSite.trim() === "") return [];
  return referrerSignals("referring_site", "referring site", referringSite, null, find);
}

function referrerSignals(
  kind: SignalKind,
  source: string,
  referrer: string,
  occurredAt: string | null,
  find: CreatorFinder,
): Signal[] {
  const site = hostAndPath(referrer);
  const matches = site ? find.byReferrer(site) : [];
  if (matches.length === 0) {
    const note = site ? "no creator declared this site" : "not a web address";
    return [signal(kind, source, referrer, occurredAt, null, note)];
  }
  return matches.map((match) => signal(kind, source, referrer, occurredAt, match, null));
}

function journeySignals(journey: CustomerJourney | null, find: CreatorFinder): Signal[] {
  if (!journey) return [];
  const signals: Signal[] = [];
  if (!journey.ready) {
    signals.push(signal("customer_journey", "customer journey", "not ready", null, null, NOT_READY_NOTE));
  }
  if (journey.firstVisit) signals.push(...visitSignals("customer journey, first visit", journey.firstVisit, find));
  if (journey.lastVisit) signals.push(...visitSignals("customer journey, last visit", journey.lastVisit, find));
  return signals;
}

function visitSignals(visitName: string, visit: JourneyVisit, find: CreatorFinder): Signal[] {
  const landingParameters = queryParameters(visit.landingPage);
  const at = visit.occurredAt;
  const signals: Signal[] = [];

  // Shopify reads utmParameters off the landing page; the page's own parameters only fill in what it left out.
  const utmValue = (key: "source" | "campaign" | "content") =>
    nonBlank(visit.utm?.[key]) ?? parameterValues(landingParameters, `utm_${key}`)[0] ?? null;
  for (const key of ["source", "campaign", "content"] as const) {
    const value = utmValue(key);
    if (value === null) continue;
    const match = find.byHandle(value) ?? (key === "content" ? find.bySlug(value) : null);
    signals.push(
      signal("customer_journey", `${visitName}: utm_${key}`, value, at, match, "no creator has this handle"),
    );
  }

  const referralCode = nonBlank(visit.referralCode);
  if (referralCode !== null) {
    const match = find.byHandle(referralCode) ?? find.byCode(referralCode);
    signals.push(
      signal(
        "customer_journey",
        `${visitName}: referral code`,
        referralCode,
        at,
        match,
        "no creator has this handle or code",
      ),
    );
  }

  for (const handle of parameterValues(landingParameters, "ref")) {
    signals.push(
      signal(
        "customer_journey",
        `${visitName}: landing page ref`,
        handle,
        at,
        find.byHandle(handle),
        "no creator has this handle",
      ),
    );
  }

  for (const clickId of parameterValues(landingParameters, "cl_click")) {
    const click = find.click(clickId);
    const source = `${visitName}: landing page cl_click`;
    const match = click ? { creatorId: click.creatorId, code: null } : null;
    // The recorded click is a tracking-link touch in its own right; the visit that carried it is a journey touch.
    if (click) signals.push(signal("tracking_link", source, clickId, click.occurredAt, match, null));
    signals.push(signal("customer_journey", source, clickId, at, match, "no recorded click with this id"));
  }

  const referrer = nonBlank(visit.referrerUrl);
  if (referrer !== null)
    signals.push(...referrerSignals("customer_journey", `${visitName}: referrer`, referrer, at, find));
  return signals;
}

function surveySignals(survey: AttributionFacts["survey"]): Signal[] {
  if (!survey) return [];
  return [
    signal(
      "survey",
      "post-purchase survey",
      survey.optionLabel,
      survey.answeredAt,
      survey.creatorId === null ? null : { creatorId: survey.creatorId, code: null },
      "the answer names no creator",
    ),
  ];
}

function signal(
  kind: SignalKind,
  source: string,
  value: string,
  occurredAt: string | null,
  match: Match | null,
  noteWhenUnmatched: string | null,
): Signal {
  return {
    kind,
    source,
    value,
    occurredAt,
    creatorId: match?.creatorId ?? null,
    code: match?.code ?? null,
    note: match ? null : noteWhenUnmatched,
  };
}

function nonBlank(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

interface Match {
  creatorId: string;
  code: string | null;
}

interface CreatorFinder {
  byHandle(value: string): Match | null;
  byCode(value: string): Match | null;
  bySlug(value: string): Match | null;
  click(id: string): KnownClick | null;
  /** The creators whose most specific declared entry covers the referrer. */
  byReferrer(referrerHostAndPath: string): Match[];
}

/**
 * Lookups over the directory. When rows disagree (two creators with the same handle after lower-casing), the
 * lowest creator id wins, so the answer never depends on the order the rows were loaded in.
 */
function creatorFinder(directory: CreatorDirectory): CreatorFinder {
  const handles = lowestCreatorByKey(directory.creators.map((c) => [c.handle.trim().toLowerCase(), c.id]));
  const codes = lowestCreatorByKey(directory.codes.map((c) => [normalizeDiscountCode(c.code), c.creatorId]));
  const slugs = lowestCreatorByKey(directory.links.map((l) => [l.slug.trim().toLowerCase(), l.creatorId]));
  const clicks = new Map<string, KnownClick>();
  for (const click of directory.clicks) {
    const id = click.id.trim().toLowerCase();
    const known = clicks.get(id);
    if (!known || compareClicks(click, known) < 0) clicks.set(id, click);
  }
  const referrerEntries = directory.creators.flatMap((creator) =>
    creator.referrerDomains
      .map((entry) => ({ entry: normalizeReferrerEntry(entry), creatorId: creator.id }))
      .filter(({ entry }) => entry !== ""),
  );

  const creator = (creatorId: string | undefined): Match | null => (creatorId ? { creatorId, code: null } : null);
  return {
    byHandle: (value) => creator(handles.get(value.trim().toLowerCase())),
    byCode: (value) => {
      const code = normalizeDiscountCode(value);
      const creatorId = codes.get(code);
      return creatorId ? { creatorId, code } : null;
    },
    bySlug: (value) => creator(slugs.get(value.trim().toLowerCase())),
    click: (id) => clicks.get(id.trim().toLowerCase()) ?? null,
    byReferrer: (site) => {
      const covering = referrerEntries.filter(({ entry }) => coversReferrer(entry, site));
      const longest = Math.max(0, ...covering.map(({ entry }) => entry.length));
      const creatorIds = covering.filter(({ entry }) => entry.length === longest).map(({ creatorId }) => creatorId);
      return [...new Set(creatorIds)].sort().map((creatorId) => ({ creatorId, code: null }));
    },
  };
}

function lowestCreatorByKey(pairs: readonly (readonly [string, string])[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [key, creatorId] of pairs) {
    if (key === "") continue;
    const known = byKey.get(key);
    if (known === undefined || creatorId < known) byKey.set(key, creatorId);
  }
  return byKey;
}

function compareClicks(a: KnownClick, b: KnownClick): number {
  return (
    compareText(a.creatorId, b.creatorId) ||
    compareText(a.occurredAt, b.occurredAt) ||
    compareText(a.linkSlug, b.linkSlug)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------- Shopify's customerJourneySummary ----------

const optionalText = z
  .string()
  .nullish()
  .catch(null)
  .transform((value) => nonBlank(value));

const utmSchema = z.object({
  source: optionalText,
  medium: optionalText,
  campaign: optionalText,
  content: optionalText,
  term: optionalText,
});

const visitSchema = z.object({
  occurredAt: z.iso.datetime({ offset: true }),
  landingPage: optionalText,
  referrerUrl: optionalText,
  referralCode: optionalText,
  source: optionalText,
  utmParameters: utmSchema.nullish().catch(null),
  // What this function returns is what Order.customerJourney stores, and reading it back goes through here too.
  utm: utmSchema.nullish().catch(null),
});

const journeySchema = z.object({
  ready: z.boolean().catch(false),
  firstVisit: visitSchema.nullish().catch(null),
  lastVisit: visitSchema.nullish().catch(null),
});

/**
 * Shopify Admin GraphQL's `customerJourneySummary { ready firstVisit { occurredAt landingPage referrerUrl
 * referralCode source utmParameters { source medium campaign content term } } lastVisit { … } }`, or a stored
 * CustomerJourney. A visit Shopify left out or sent unreadable is null: the journey is a hint, never worth failing
 * an order over.
 */
export function parseCustomerJourneySummary(node: unknown): CustomerJourney | null {
  if (node === null || typeof node !== "object") return null;
  const parsed = journeySchema.safeParse(node);
  if (!parsed.success) return null;
  const { ready, firstVisit, lastVisit } = parsed.data;
  return { ready, firstVisit: journeyVisit(firstVisit), lastVisit: journeyVisit(lastVisit) };
}

function journeyVisit(visit: z.infer<typeof visitSchema> | null | undefined): JourneyVisit | null {
  if (!visit) return null;
  const utm = visit.utmParameters ?? visit.utm ?? null;
  return {
    occurredAt: visit.occurredAt,
    landingPage: visit.landingPage,
    referrerUrl: visit.referrerUrl,
    referralCode: visit.referralCode,
    source: visit.source,
    utm: utm && Object.values(utm).some((value) => value !== null) ? (utm satisfies UtmParameters) : null,
  };
}
