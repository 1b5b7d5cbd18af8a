import type { ReactNode } from "react";

/**
 * Table cells do not wrap by default; sentences and URLs should, instead of widening the table. A word breaks only
 * when it is longer than the cell can be (a URL), so short values stay whole.
 */
export function WrapCell({ children, minWidth, maxWidth }: { children: ReactNode; minWidth?: string; maxWidth?: string }) {
  return <div style={{ whiteSpace: "normal", minWidth, maxWidth, overflowWrap: "break-word" }}>{children}</div>;
}
