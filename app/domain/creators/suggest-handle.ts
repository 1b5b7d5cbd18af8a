/**
 * The handle proposed for a name, by the add form and by the CSV import when a row leaves the handle blank:
 * "Maya Fit" → "maya-fit", "Zoë O'Brien" → "zoe-o-brien". Lower-case letters, digits and single hyphens, at most 40
 * characters; empty when the name has none of those.
 */
export function suggestHandle(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}
