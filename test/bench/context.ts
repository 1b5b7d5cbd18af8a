// What every benchmark is given by the runner.
import type { BenchSizes } from "./options";

export interface BenchContext {
  /** Names this run's queues (QUEUE_PREFIX bench-<run>-<bench>) and shops. */
  runId: string;
  /** The run's throwaway database; this process's app modules are connected to it too. */
  databaseUrl: string;
  sizes: BenchSizes;
  /** Progress lines for the terminal. */
  log: (line: string) => void;
}

export const queuePrefix = (context: BenchContext, bench: string) => `bench-${context.runId}-${bench}`;
