import type { TandemConfig } from '../config';
import { workerCloseMs } from '../worker';

/** Deadline of one shutdown step (ms) unless it has its own. */
const CLOSE_STEP_MS = 3000;

/** The producer's flush ends this much (ms) before its step's deadline, so what it counts and logs is done within it. */
export const PRODUCER_STEP_MARGIN_MS = 250;

/**
 * The deadline of each step of a runtime's `close()`, in ms, one after the other, from its
 * config: the start-up still under way, the shadow requests in flight (the candidate's
 * timeout and a second), the producer's flush (it ends by this deadline whether Redis
 * answers or not: `ExchangeProducer.close`), the in-process worker (`workerCloseMs`: its
 * own close is bounded by the job lock, and the runtime waits for all of it, so it never
 * closes the comparer and Redis connections under a job still recording), then the rest.
 *
 * @example
 * closeDeadlines(config).worker; // 39_000 with the default 30 s job lock
 */
export function closeDeadlines(config: Pick<TandemConfig, 'candidate' | 'worker'>) {
  return {
    startUp: 5000,
    shadowRequests: config.candidate.timeoutMs + 1000,
    producer: 5000,
    worker: workerCloseMs(config.worker),
    comparisonThreads: 2000,
    notifier: CLOSE_STEP_MS,
    rollout: CLOSE_STEP_MS,
    counters: CLOSE_STEP_MS,
    queue: CLOSE_STEP_MS,
    redisConnections: 1000,
    embeddedRedis: 5000,
  };
}

/**
 * The longest a runtime's `close()` takes, in ms: its steps' deadlines (`closeDeadlines`)
 * added up. Whoever waits for a runtime to close under a deadline of its own (the primary
 * of `tandem serve --processes`) gives it at least this.
 *
 * @example
 * const killAfter = config.legacy.timeoutMs + 1000 + runtimeCloseMs(config) + 5000;
 */
export function runtimeCloseMs(config: Pick<TandemConfig, 'candidate' | 'worker'>): number {
  return Object.values(closeDeadlines(config)).reduce((a, b) => a + b, 0);
}
