/**
 * How long the report's sign-in checks (the failure limiter's script, the session
 * revocation lookup) wait for Redis, in milliseconds. A Redis that holds the connection
 * open without answering (paused, swapping, a partition without a reset, a cluster master
 * dying before failover) leaves the connection `ready` and a command waiting for ever; past
 * this the check fails closed (503) instead. A healthy Redis answers in well under a
 * millisecond, so 2 s is only ever reached when it is not answering at all.
 */
export const REDIS_CHECK_TIMEOUT_MS = 2000;

/**
 * `Retry-After` (seconds) of a 503 answered because a sign-in check could not be made
 * (Redis away or not answering, the store not open yet during the start).
 */
export const CHECK_RETRY_AFTER_S = 5;

/**
 * `p`, or a rejection naming `what` once `ms` have passed without it settling. The
 * command itself is not cancelled (Redis may still run it later); only the wait ends.
 *
 * @example
 * await withinDeadline(redis.exists(key), REDIS_CHECK_TIMEOUT_MS, 'the revocation lookup');
 * // rejects with Error('the revocation lookup got no answer from Redis within 2000 ms')
 */
export function withinDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer from Redis within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
