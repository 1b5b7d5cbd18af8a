import type { Redis } from "ioredis";
import { logger } from "~/utils/logger.server";

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one request against `key` in a fixed window (INCR + PEXPIRE in one MULTI) and says whether it is allowed;
 * once the limit is reached, how many seconds remain until the window ends. Redis being unreachable lets requests
 * through (and logs it): a rate limit protects the app, it must not take a feature down with Redis.
 */
export async function consumeRateLimit(
  redis: Redis,
  key: string,
  rule: RateLimit,
  now: number = Date.now(),
): Promise<RateLimitResult> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const windowKey = `${key}:${windowStart}`;
  try {
    await whenReady(redis);
    const replies = await redis.multi().incr(windowKey).pexpire(windowKey, rule.windowMs).exec();
    const [error, count] = replies?.[0] ?? [new Error("MULTI was discarded"), null];
    if (error) throw error;
    if (Number(count) <= rule.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)) };
  } catch (error) {
    logger.warn({ err: error, key }, "rate limit not checked: Redis is unreachable");
    return { allowed: true };
  }
}

/**
 * The web process's connection fails fast (no offline queue): a command sent before it is connected fails at once.
 * The first requests after start-up wait for the connection, briefly.
 */
async function whenReady(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis is ${redis.status}`));
    }, timeoutMs);
    redis.once("ready", onReady);
  });
}
