import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "~/queues.server";
import { consumeRateLimit } from "./rate-limit.server";

const rule = { limit: 3, windowMs: 60_000 };

describe("rate limits on Redis", () => {
  const redis = createRedis({ failFast: true });
  afterAll(() => redis.disconnect());

  it("allows the limit within a window, then says how long until the window ends", async () => {
    const key = `test-rate-limit:${randomUUID()}`;
    const windowStart = Math.floor(Date.now() / rule.windowMs) * rule.windowMs;
    const at = windowStart + 45_500;
    for (let i = 0; i < rule.limit; i += 1) expect(await consumeRateLimit(redis, key, rule, at)).toEqual({ allowed: true });
    expect(await consumeRateLimit(redis, key, rule, at)).toEqual({ allowed: false, retryAfterSeconds: 15 });
    // The next window starts afresh; the counter expires with its window.
    expect(await consumeRateLimit(redis, key, rule, windowStart + rule.windowMs)).toEqual({ allowed: true });
    expect(await redis.pttl(`${key}:${windowStart}`)).toBeGreaterThan(0);
  });

  it("lets requests through when Redis cannot be reached", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    unreachable.on("error", () => undefined);
    try {
      expect(await consumeRateLimit(unreachable, `test-rate-limit:${randomUUID()}`, rule)).toEqual({ allowed: true });
    } finally {
      unreachable.disconnect();
    }
  });
});
