import { useEffect, useState } from "react";

/**
 * False on the server and the first paint, true once the page is in the browser: polaris-viz measures its container,
 * so charts render only then.
 */
export function useHasMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}
