// Pointing the app at the store simulator's Admin API, by configuration only. The app always calls
// https://<shop>.myshopify.com/admin/... with the global fetch (and downloads bulk operation results from
// https://storage.googleapis.com/...); the simulator is that fetch's HTTPS proxy and answers for both hosts itself
// (test/simulator/admin-tunnel.ts).
//
// - A child process (web, worker): adminApiProxyEnv(). Node 24 reads NODE_USE_ENV_PROXY, HTTPS_PROXY, NO_PROXY
//   and NODE_EXTRA_CA_CERTS at start-up, for the built-in fetch and for undici's fetch that remix-serve installs
//   as the global fetch (both use the process-wide dispatcher Node sets up).
// - This process (a vitest test calling the app's code directly): routeAdminApiToSimulator(). The environment is
//   read only at start-up, so it installs a global undici dispatcher instead: Node 24's built-in fetch (undici 7
//   inside) reads the same global slot as the undici 6 package, so it takes a dispatcher made with that package.
//   Importing the package already fills the slot with one of its Agents when Node had not made its own yet;
//   requests that do not go to Shopify keep whichever dispatcher was there.
import { ProxyAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { isTunnelledHost } from "../simulator/admin-tunnel";
import type { RunningSimulator } from "../simulator/server";

/** The offline session token the seed gives the shop; the simulator's Admin API is told to accept it. */
export const SEEDED_ACCESS_TOKEN = "shpat_local_harness_offline_token";

type SimulatorEndpoint = Pick<RunningSimulator, "port" | "caCertPath">;

/** The environment a child process needs for its fetch to reach Shopify through the simulator. */
export function adminApiProxyEnv(running: SimulatorEndpoint): Record<string, string> {
  return {
    NODE_USE_ENV_PROXY: "1",
    HTTPS_PROXY: `http://127.0.0.1:${running.port}`,
    // The app's own local traffic (database admin, harness, simulator control API) stays direct.
    NO_PROXY: "localhost,127.0.0.1,::1",
    NODE_EXTRA_CA_CERTS: running.caCertPath,
  };
}

/**
 * Sends this process's fetch requests for *.myshopify.com, and for https://storage.googleapis.com (bulk operation
 * results), through the simulator (trusting its CA for them only); every other request keeps the dispatcher it had.
 * Returns a function that restores the previous dispatcher.
 */
export function routeAdminApiToSimulator(running: Pick<RunningSimulator, "port" | "caCertPem">): () => void {
  const previous = getGlobalDispatcher();
  const proxy = new ProxyAgent({ uri: `http://127.0.0.1:${running.port}`, requestTls: { ca: running.caCertPem } });
  const toShopify = (origin: Dispatcher.DispatchOptions["origin"]) => {
    const url = origin ? new URL(String(origin)) : null;
    return url?.protocol === "https:" && isTunnelledHost(url.hostname);
  };
  setGlobalDispatcher(
    previous.compose((dispatch) => (options, handler) => (toShopify(options.origin) ? proxy.dispatch(options, handler) : dispatch(options, handler))),
  );
  return () => {
    setGlobalDispatcher(previous);
    void proxy.close();
  };
}
