/**
 * The app's origin: extensions run on Shopify's CDN, so calls to the app need an absolute URL.
 *
 * It is fixed when the extension is bundled. The Shopify CLI turns every `process.env.NAME` it
 * knows into a string literal (esbuild `define`): `shopify app dev` sets `APP_URL` to the app's
 * dev URL (its tunnel) by itself; `npm run build:extensions` and `npm run deploy` set it from
 * `application_url` in shopify.app.toml (scripts/shopify-app.mjs) unless APP_URL is already set.
 * A bundle made without it has no `process` at run time: the survey then renders nothing.
 */
export function appOrigin(): string | null {
  let configured: string | undefined;
  try {
    configured = process.env.APP_URL;
  } catch {
    return null; // ReferenceError: bundled without APP_URL
  }
  return originOf(configured);
}

/** `https://host[:port]` of an absolute http(s) URL; null for anything else. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

export type SurveySurface = "thank-you" | "order-status";

/** `/api/survey/thank-you` takes checkout session tokens, `/api/survey/order-status` customer account ones. */
export function surveyEndpoint(surface: SurveySurface, origin = appOrigin()): string | null {
  return origin ? `${origin}/api/survey/${surface}` : null;
}
