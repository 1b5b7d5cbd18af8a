// Signed webhook deliveries fired at a server with autocannon: a fixed number of connections, each sending its next
// request as soon as the previous one is answered (closed loop), for a duration or a number of requests.
import autocannon from "autocannon";
import type { OrderDelivery } from "./order-webhooks";

export interface LoadResult {
  connections: number;
  /** Answered 2xx. */
  acknowledged: number;
  non2xx: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  startedAt: Date;
  finishedAt: Date;
}

export async function postWebhooks(options: {
  url: string;
  connections: number;
  /** Run this long… */
  seconds?: number;
  /** …or until this many requests were sent. */
  amount?: number;
  next: () => OrderDelivery;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: `${options.url}/webhooks`,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/webhooks",
        setupRequest: (request) => {
          const delivery = options.next();
          return { ...request, body: delivery.body, headers: delivery.headers };
        },
      },
    ],
  });
  const acknowledged = result["2xx"];
  return {
    connections: options.connections,
    acknowledged,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    perSecond: acknowledged / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    startedAt: new Date(result.start),
    finishedAt: new Date(result.finish),
  };
}
