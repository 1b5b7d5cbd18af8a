import type { Queue, RepeatOptions } from "bullmq";
import type { Redis } from "ioredis";
import { logger } from "~/utils/logger.server";

/** How often the worker makes sure Redis still has its schedulers (besides every reconnect). */
export const SCHEDULER_CHECK_EVERY_MS = 15_000;

export interface RestoredScheduler {
  queue: string;
  key: string;
}

export interface SchedulerKeeper {
  /** Registers again whatever scheduler Redis no longer has; answers which. */
  check(): Promise<RestoredScheduler[]>;
  stop(): void;
}

/**
 * BullMQ keeps job schedulers only in Redis, and the worker registers them when it starts: a Redis that restarts
 * without persistence (or is flushed, or fails over to an empty replica) forgets them, and the sweeps that recover
 * lost work would stop until the worker restarts. This remembers the schedulers the queues have now and registers
 * again any that Redis loses, on every reconnect and every `checkEveryMs`. A queue that lost its scheduler lost its
 * jobs too: `onRestored` hears which, to recover their work at once.
 */
export async function keepJobSchedulers(options: {
  connection: Redis;
  queues: readonly Queue[];
  checkEveryMs?: number;
  onRestored?: (restored: RestoredScheduler[]) => Promise<void>;
}): Promise<SchedulerKeeper> {
  const registered = await Promise.all(
    options.queues.map(async (queue) => ({ queue, schedulers: await queue.getJobSchedulers() })),
  );

  const restore = async (): Promise<RestoredScheduler[]> => {
    const restored: RestoredScheduler[] = [];
    for (const { queue, schedulers } of registered) {
      for (const scheduler of schedulers) {
        if (await queue.getJobScheduler(scheduler.key)) continue;
        const repeat: RepeatOptions = scheduler.pattern
          ? { pattern: scheduler.pattern, ...(scheduler.tz ? { tz: scheduler.tz } : {}) }
          : { every: scheduler.every! };
        await queue.upsertJobScheduler(scheduler.key, repeat, {
          name: scheduler.name,
          data: scheduler.template?.data,
          opts: scheduler.template?.opts,
        });
        restored.push({ queue: queue.name, key: scheduler.key });
      }
    }
    if (restored.length > 0) {
      logger.warn({ restored }, "Redis had lost job schedulers; registered them again");
      await options.onRestored?.(restored);
    }
    return restored;
  };

  // One check at a time: a reconnect and the timer may ask at once.
  let running: Promise<RestoredScheduler[]> | null = null;
  const check = () => (running ??= restore().finally(() => (running = null)));
  const checkQuietly = () => {
    check().catch((error) => logger.warn({ err: error }, "could not check the job schedulers; trying again later"));
  };
  options.connection.on("ready", checkQuietly);
  const timer = setInterval(checkQuietly, options.checkEveryMs ?? SCHEDULER_CHECK_EVERY_MS);
  timer.unref();
  return {
    check,
    stop() {
      clearInterval(timer);
      options.connection.off("ready", checkQuietly);
    },
  };
}
