import { normalizeDiscountCode } from "./normalize-discount-code";
import { HANDLE_UTM_PARAMETERS, isCartAttributeName } from "./signals";
import type { AttributionFacts, JourneyVisit } from "./types";
import { hostAndPath, parameterValues, queryParameters, segmentPrefixes } from "./url-parts";

/**
 * Everything in an order that can name a creator, so a service loads only the directory rows that matter:
 * - codes: DiscountCode rows by normalizedCode;
 * - linkSlugs: TrackingLink rows by slug; clickIds: LinkClick rows by id (any text a shopper typed, not only ids);
 * - creators: those whose handle (in any case) is in handles, whose referrerDomains hold one of referrerPrefixes,
 *   whose id is in creatorIds, plus the creators of the rows above and of the customer's acquisition.
 * Every list is deduplicated and sorted.
 */
export interface AttributionReferences {
  /** normalizeDiscountCode'd. */
  codes: string[];
  /** Lower-case. */
  handles: string[];
  /** Lower-case utm_content values. */
  linkSlugs: string[];
  /** Lower-case cl_click values. */
  clickIds: string[];
  /** Host-and-path prefixes of the referrers, one per path segment: "instagram.com", "instagram.com/maya", … */
  referrerPrefixes: string[];
  /** Creators the facts name by id (the survey answer's). */
  creatorIds: string[];
}

export function referencesOf(facts: AttributionFacts): AttributionReferences {
  const codes: string[] = [...facts.discountCodes];
  const handles: string[] = [];
  const linkSlugs: string[] = [];
  const clickIds: string[] = [];
  const referrers: (string | null)[] = [facts.referringSite];

  const landing = queryParameters(facts.landingSite);
  handles.push(...parameterValues(landing, "ref"));
  for (const name of HANDLE_UTM_PARAMETERS) handles.push(...parameterValues(landing, name));
  linkSlugs.push(...parameterValues(landing, "utm_content"));
  clickIds.push(...parameterValues(landing, "cl_click"));

  for (const attribute of facts.noteAttributes) {
    if (!isCartAttributeName(attribute.name)) continue;
    handles.push(attribute.value);
    codes.push(attribute.value);
  }

  const visits = [facts.journey?.firstVisit, facts.journey?.lastVisit].filter(
    (visit): visit is JourneyVisit => !!visit,
  );
  for (const visit of visits) {
    const page = queryParameters(visit.landingPage);
    const utm = visit.utm;
    handles.push(...[utm?.source, utm?.campaign, utm?.content].filter((value): value is string => !!value));
    linkSlugs.push(...(utm?.content ? [utm.content] : []));
    for (const name of HANDLE_UTM_PARAMETERS) handles.push(...parameterValues(page, name));
    linkSlugs.push(...parameterValues(page, "utm_content"));
    handles.push(...parameterValues(page, "ref"));
    clickIds.push(...parameterValues(page, "cl_click"));
    if (visit.referralCode) {
      handles.push(visit.referralCode);
      codes.push(visit.referralCode);
    }
    referrers.push(visit.referrerUrl);
  }

  const lowerCase = (value: string) => value.trim().toLowerCase();
  return {
    codes: sortedUnique(codes.map(normalizeDiscountCode)),
    handles: sortedUnique(handles.map(lowerCase)),
    linkSlugs: sortedUnique(linkSlugs.map(lowerCase)),
    clickIds: sortedUnique(clickIds.map(lowerCase)),
    referrerPrefixes: sortedUnique(
      referrers.flatMap((referrer) => {
        const site = hostAndPath(referrer);
        return site ? segmentPrefixes(site) : [];
      }),
    ),
    creatorIds: sortedUnique(facts.survey?.creatorId ? [facts.survey.creatorId] : []),
  };
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))].sort();
}
