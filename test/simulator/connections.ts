// Relay connections the way Shopify pages them: opaque cursors that name a position in the sort order (not an
// offset), so that a page fetched after the data changed carries on where the previous one stopped.
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Where an item sits in the sort order: its sort value, then its id to break ties. */
export type SortPosition = [value: number | string, id: number];

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`Invalid cursor: ${cursor}`);
  }
}

/** Pages `items` sorted by `position` (ascending; descending with `reverse`). */
export function paginate<T, N = T>(items: readonly T[], position: (item: T) => SortPosition, args: PageArgs, toNode?: (item: T) => N): Connection<N> {
  const direction = args.reverse ? -1 : 1;
  const sorted = [...items].sort((a, b) => direction * compare(position(a), position(b)));
  let window = sorted;
  if (args.after) {
    const after = decodeCursor(args.after);
    window = window.filter((item) => direction * compare(position(item), after) > 0);
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    window = window.filter((item) => direction * compare(position(item), before) < 0);
  }
  let page = window;
  if (typeof args.first === "number") page = page.slice(0, Math.max(0, args.first));
  if (typeof args.last === "number") page = page.slice(Math.max(0, page.length - args.last));
  const edges = page.map((item) => ({ cursor: encodeCursor(position(item)), node: (toNode ? toNode(item) : item) as N }));
  const firstIndex = page.length ? sorted.indexOf(page[0]!) : -1;
  const lastIndex = page.length ? sorted.indexOf(page.at(-1)!) : -1;
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      // Whether anything sorts after (before) the page at all, whichever cursors and sizes framed it.
      hasNextPage: page.length > 0 && lastIndex < sorted.length - 1,
      hasPreviousPage: page.length > 0 && firstIndex > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function compare(a: SortPosition, b: SortPosition): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

function encodeCursor(position: SortPosition): string {
  return Buffer.from(JSON.stringify({ last_value: position[0], last_id: position[1] })).toString("base64url");
}

function decodeCursor(cursor: string): SortPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { last_value?: unknown; last_id?: unknown };
    if ((typeof parsed.last_value === "number" || typeof parsed.last_value === "string") && typeof parsed.last_id === "number") {
      return [parsed.last_value, parsed.last_id];
    }
  } catch {
    // reported below
  }
  throw new InvalidCursorError(cursor);
}
