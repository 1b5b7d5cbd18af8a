/**
 * Where an order ships, as the app keeps it: ISO 3166-2 ("US-CA"), or the country alone ("DE") when the address has
 * no province. Only the region is kept: experiments compare regions, and nothing finer than that is needed.
 */
export const REGION_CODE_PATTERN = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

/**
 * The region of a shipping address from its country and province codes, as Shopify gives them: "US" + "CA" → "US-CA".
 * Shopify writes most province codes without the country ("CA") and some with it ("JP-13"); both give the same
 * region. A missing or unreadable province leaves the country alone; no readable country gives null.
 */
export function shippingRegionOf(countryCode: string | null | undefined, provinceCode: string | null | undefined): string | null {
  const country = countryCode?.trim().toUpperCase() ?? "";
  if (!/^[A-Z]{2}$/.test(country)) return null;
  const province = (provinceCode?.trim().toUpperCase() ?? "").replace(new RegExp(`^${country}-`), "");
  const region = `${country}-${province}`;
  return province !== "" && REGION_CODE_PATTERN.test(region) ? region : country;
}
