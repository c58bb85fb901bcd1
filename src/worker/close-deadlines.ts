import type { TandemConfig } from '../config';

/**
 * How long `close()` waits for a worker's lost Redis connection to come back before it
 * closes without waiting for the jobs under way, in ms. ioredis retries a lost
 * connection at least once a second (openRedis), so a Redis that is up again is back
 * within this.
 */
export const RECONNECT_WAIT_MS = 2000;

/** Deadline of each of `close()`'s short steps (partition check, abandoning a close, probes, the connection), in ms. */
export const CLOSE_STEP_MS = 1000;

/**
 * How long a worker's `close()` waits for the jobs under way (a graceful close), in ms: a
 * job's lock and 2 s. A job still running then is abandoned: its lock runs out and another
 * worker takes it up (stalled), so nothing is lost by not waiting longer.
 */
export function jobsWaitMs(worker: Pick<TandemConfig['worker'], 'lockDurationMs'>): number {
  return worker.lockDurationMs + 2000;
}

/**
 * How long a worker's `close()` takes at most, in ms: its steps' deadlines one after the
 * other (the partition check, the blocking connection's return, the jobs under way
 * (`jobsWaitMs`), abandoning them, the probes, the failed job counts, the connection) and a second for what runs
 * between them. Whoever closes the worker under a deadline of its own (the runtime) gives
 * it this, so the worker's own deadlines end its close first: it is never cut short while
 * a job it waits for is still recording, with the comparer and Redis connections closed under it.
 *
 * @example
 * await closeStep(log, 'worker', () => worker.close(), workerCloseMs(config.worker)); // 39_000 with the default 30 s lock
 */
export function workerCloseMs(worker: Pick<TandemConfig['worker'], 'lockDurationMs'>): number {
  return CLOSE_STEP_MS + RECONNECT_WAIT_MS + jobsWaitMs(worker) + 4 * CLOSE_STEP_MS + 1000;
}
