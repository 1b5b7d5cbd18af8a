// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax), as the `query` argument of the catalog's
// list queries reads it: terms joined by whitespace (AND) or OR, `-`/NOT to negate, parentheses, `field:value` with
// the comparators : :< :> :<= :>=, quoted values, backslash escapes, and `*` for a prefix (`ser*`) or a part of a
// word (`*ser*`). Text fields match whole words, case-insensitively; a field Shopify does not know is ignored.

/** One character of a term, and whether it was quoted or escaped (and so has no special meaning). */
interface Char {
  ch: string;
  literal: boolean;
}

export type Comparator = ":" | ":<" | ":>" | ":<=" | ":>=";

export interface SearchTerm {
  kind: "term";
  /** Lower-cased field name; null for the default (multiple fields). */
  field: string | null;
  comparator: Comparator;
  value: string;
  match: "word" | "prefix" | "contains";
}

export type SearchNode =
  | SearchTerm
  | { kind: "and" | "or"; nodes: SearchNode[] }
  | { kind: "not"; node: SearchNode }
  | { kind: "all" };

type Token = { type: "term"; chars: Char[] } | { type: "open" } | { type: "close" };

export function parseSearchQuery(query: string | null | undefined): SearchNode {
  const tokens = tokenize(query ?? "");
  let position = 0;

  const parseOr = (): SearchNode => {
    const groups: SearchNode[] = [parseAnd()];
    while (position < tokens.length && isWord(tokens[position], "OR")) {
      position++;
      groups.push(parseAnd());
    }
    return groups.length === 1 ? groups[0]! : { kind: "or", nodes: groups };
  };
  const parseAnd = (): SearchNode => {
    const nodes: SearchNode[] = [];
    while (position < tokens.length) {
      const token = tokens[position]!;
      if (token.type === "close" || isWord(token, "OR")) break;
      if (isWord(token, "AND")) {
        position++;
        continue;
      }
      nodes.push(parseTerm());
    }
    if (nodes.length === 0) return { kind: "all" };
    return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
  };
  const parseTerm = (): SearchNode => {
    const token = tokens[position++]!;
    if (isWord(token, "NOT")) return { kind: "not", node: position < tokens.length ? parseTerm() : { kind: "all" } };
    if (token.type === "open") {
      const inner = parseOr();
      if (tokens[position]?.type === "close") position++;
      return inner;
    }
    if (token.type === "close") return { kind: "all" };
    const chars = token.chars;
    if (chars[0] && !chars[0].literal && chars[0].ch === "-" && chars.length > 1) {
      return { kind: "not", node: termOf(chars.slice(1)) };
    }
    return termOf(chars);
  };

  return tokens.length === 0 ? { kind: "all" } : parseOr();
}

/** Whether an item matches: `fieldValue` answers a field's values (undefined for a field the resource does not know). */
export function matchesSearch(node: SearchNode, fieldValue: (field: string | null) => readonly (string | number)[] | undefined): boolean {
  switch (node.kind) {
    case "all":
      return true;
    case "and":
      return node.nodes.every((child) => matchesSearch(child, fieldValue));
    case "or":
      return node.nodes.some((child) => matchesSearch(child, fieldValue));
    case "not":
      return !matchesSearch(node.node, fieldValue);
    case "term": {
      const values = fieldValue(node.field);
      // Shopify ignores a filter on a field it does not know rather than failing the query.
      if (values === undefined) return true;
      return values.some((value) => matchesValue(node, value));
    }
  }
}

function matchesValue(term: SearchTerm, actual: string | number): boolean {
  if (typeof actual === "number") {
    const wanted = Number(term.value.replace(/^gid:\/\/shopify\/\w+\//, ""));
    if (!Number.isFinite(wanted)) return false;
    switch (term.comparator) {
      case ":":
        return actual === wanted;
      case ":<":
        return actual < wanted;
      case ":>":
        return actual > wanted;
      case ":<=":
        return actual <= wanted;
      case ":>=":
        return actual >= wanted;
    }
  }
  const text = actual.toLowerCase();
  const value = term.value.toLowerCase();
  if (term.match === "contains") return value !== "" && text.includes(value);
  const words = wordsOf(text);
  const wanted = wordsOf(value);
  if (wanted.length === 0) return term.match === "prefix";
  // The words wanted, in a row; with a prefix, the last one only has to start a word.
  for (let start = 0; start + wanted.length <= words.length; start++) {
    const fits = wanted.every((word, i) => {
      const candidate = words[start + i]!;
      return term.match === "prefix" && i === wanted.length - 1 ? candidate.startsWith(word) : candidate === word;
    });
    if (fits) return true;
  }
  return false;
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function termOf(chars: Char[]): SearchTerm {
  // field:value — the first colon that is neither quoted nor escaped, after a plain field name.
  const colon = chars.findIndex((c) => c.ch === ":" && !c.literal);
  let field: string | null = null;
  let comparator: Comparator = ":";
  let rest = chars;
  if (colon > 0 && chars.slice(0, colon).every((c) => !c.literal && /[\w.]/.test(c.ch))) {
    field = chars
      .slice(0, colon)
      .map((c) => c.ch)
      .join("")
      .toLowerCase();
    rest = chars.slice(colon + 1);
    const plain = (index: number, pattern: RegExp) => rest[index] !== undefined && !rest[index]!.literal && pattern.test(rest[index]!.ch);
    if (plain(0, /^[<>]$/)) comparator = (plain(1, /^=$/) ? `:${rest[0]!.ch}=` : `:${rest[0]!.ch}`) as Comparator;
    rest = rest.slice(comparator.length - 1);
  }
  const leadingStar = rest[0] && !rest[0].literal && rest[0].ch === "*";
  const trailingStar = rest.length > 0 && !rest.at(-1)!.literal && rest.at(-1)!.ch === "*";
  const core = rest.slice(leadingStar ? 1 : 0, trailingStar ? -1 : undefined);
  const value = core.map((c) => c.ch).join("");
  return { kind: "term", field, comparator, value, match: leadingStar ? "contains" : trailingStar ? "prefix" : "word" };
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.type === "term" && token.chars.length === word.length && token.chars.every((c, i) => !c.literal && c.ch === word[i]);
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let current: Char[] | null = null;
  const finish = () => {
    if (current && current.length > 0) tokens.push({ type: "term", chars: current });
    current = null;
  };
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      finish();
      continue;
    }
    if ((ch === "(" || ch === ")") && current === null) {
      tokens.push({ type: ch === "(" ? "open" : "close" });
      continue;
    }
    if (ch === ")" && current !== null) {
      finish();
      tokens.push({ type: "close" });
      continue;
    }
    current ??= [];
    if (ch === "\\" && i + 1 < query.length) {
      current.push({ ch: query[++i]!, literal: true });
    } else if (ch === '"' || ch === "'") {
      const end = query.indexOf(ch, i + 1);
      const quoted = end < 0 ? query.slice(i + 1) : query.slice(i + 1, end);
      for (const q of quoted) current.push({ ch: q, literal: true });
      i = end < 0 ? query.length : end;
    } else {
      current.push({ ch, literal: false });
    }
  }
  finish();
  return tokens;
}
