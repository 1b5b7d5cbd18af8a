// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) for the `query` argument of list
// queries, built from what a merchant types into a search field.

/** Characters the syntax gives a meaning (fields, grouping, quoting, escaping); `*` (a prefix) is dropped instead. */
const SPECIAL = /[\\:()"']/g;
const MAX_WORDS = 6;

/**
 * Titles with words starting with each word typed, in any order: "summer ser" → `title:summer* title:ser*`
 * (terms without a connective are ANDed). Null for blank input: no filter.
 */
export function titlePrefixQuery(text: string): string | null {
  const words = text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/\*/g, ""))
    .filter((word) => word !== "")
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((word) => `title:${word.replace(SPECIAL, (char) => `\\${char}`)}*`).join(" ");
}
