/**
 * Shop.timezone comes from Shopify's `ianaTimezone`; a zone this runtime does not know falls back to UTC rather than
 * failing a page or a job.
 */
export function safeTimeZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return timezone;
  } catch {
    return "UTC";
  }
}
