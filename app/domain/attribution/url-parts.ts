// Orders carry URLs as shoppers' browsers reported them: relative paths ("/products/x?ref=maya"), absolute URLs,
// app referrers ("android-app://com.instagram.android/") and plain garbage. Nothing here throws on any of them.

export interface QueryParameter {
  /** Lower-case: "UTM_Source" and "utm_source" are the same parameter to a shopper's link. */
  name: string;
  value: string;
}

/** The query parameters of a URL, absolute or relative; parameters without a value are left out. */
export function queryParameters(url: string | null | undefined): QueryParameter[] {
  if (!url) return [];
  const [beforeFragment = ""] = url.split("#", 1);
  const queryStart = beforeFragment.indexOf("?");
  if (queryStart === -1) return [];
  const query = beforeFragment.slice(queryStart + 1);
  // URLSearchParams never throws: malformed escapes stay as typed.
  return [...new URLSearchParams(query)]
    .map(([name, value]) => ({ name: name.trim().toLowerCase(), value: value.trim() }))
    .filter((parameter) => parameter.name !== "" && parameter.value !== "");
}

export function parameterValues(parameters: readonly QueryParameter[], name: string): string[] {
  return parameters.filter((parameter) => parameter.name === name).map((parameter) => parameter.value);
}

/**
 * "https://www.instagram.com/maya/p/1/?igsh=x" → "instagram.com/maya/p/1": lower-case, without scheme, port, query,
 * trailing slash or a leading "www.". Null when the text names no host (relative paths, garbage).
 */
export function hostAndPath(url: string | null | undefined): string | null {
  const parsed = parseWithHost(url);
  if (!parsed) return null;
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${withoutWww(parsed.hostname)}${path.toLowerCase()}`;
}

/** The host alone, lower-case, without a leading "www.". */
export function hostOf(url: string | null | undefined): string | null {
  const parsed = parseWithHost(url);
  return parsed ? withoutWww(parsed.hostname) : null;
}

/**
 * Whether `entry` ("instagram.com/maya", "mayafit.com") covers the referrer, one whole path segment at a time:
 * "instagram.com/maya" covers "instagram.com/maya/p/1" but not "instagram.com/mayafan".
 */
export function coversReferrer(entry: string, referrerHostAndPath: string): boolean {
  const prefix = normalizeReferrerEntry(entry);
  if (prefix === "") return false;
  return referrerHostAndPath === prefix || referrerHostAndPath.startsWith(`${prefix}/`);
}

/** A creator's declared referrer entry as typed by a merchant ("https://www.Instagram.com/maya/") in comparable form. */
export function normalizeReferrerEntry(entry: string): string {
  return withoutWww(
    entry
      .trim()
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, ""),
  );
}

/** Every segment-boundary prefix of a host and path: "instagram.com/maya/p" → ["instagram.com", "instagram.com/maya", "instagram.com/maya/p"]. */
export function segmentPrefixes(referrerHostAndPath: string): string[] {
  const [host = "", ...segments] = referrerHostAndPath.split("/");
  const prefixes = [host];
  let prefix = host;
  for (const segment of segments) {
    prefix = `${prefix}/${segment}`;
    prefixes.push(prefix);
  }
  return prefixes.filter((candidate) => candidate !== "");
}

function parseWithHost(url: string | null | undefined): URL | null {
  const text = url?.trim();
  // A single leading slash is a path on the shop itself; "https:///x" would otherwise read "x" as a host.
  if (!text || (text.startsWith("/") && !text.startsWith("//"))) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const candidate = hasScheme ? text : `https://${text.replace(/^\/\//, "")}`;
  if (!URL.canParse(candidate)) return null;
  const parsed = new URL(candidate);
  return parsed.hostname === "" ? null : parsed;
}

function withoutWww(host: string): string {
  return host.startsWith("www.") ? host.slice(4) : host;
}
