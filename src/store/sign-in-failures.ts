import type { RedisClient } from './redis-connection';
import type { KeySchema } from './key-schema';

/**
 * Failed report sign-ins per client address, shared by every process and instance of a
 * deployment: one counter per address (the key schema's `reportSignInFailures`, named by a
 * hash of the address) in a fixed window that starts with its first failure.
 *
 * @example
 * const failures = signInFailures(redis, keySchema('tandem'));
 * await failures.count('203.0.113.7', 60_000); // { failures: 1, resetInMs: 60000 }
 */
export interface SignInFailures {
  /**
   * Count one failure of `address` in its window of `windowMs` milliseconds, atomically (one
   * script: INCR, and PEXPIRE when the window starts): resolves to the failures counted in
   * the window so far, this one included, and the milliseconds until the window ends.
   * Rejects at once when the connection is not ready (instead of waiting in ioredis'
   * offline queue), and when Redis refuses the script.
   */
  count(address: string, windowMs: number): Promise<{ failures: number; resetInMs: number }>;
}

/**
 * KEYS[1]: the address's failure counter. ARGV[1]: the window, ms.
 * Returns { failures in the window, ms until it ends }. A counter without an expiry (none
 * should exist) gets the window too, so no address stays refused for ever.
 */
const COUNT_FAILURE_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

/**
 * The failed sign-ins in the deployment's Redis.
 *
 * @example
 * const failures = signInFailures(store.redis, store.keys);
 */
export function signInFailures(redis: RedisClient, keys: Pick<KeySchema, 'reportSignInFailures'>): SignInFailures {
  return {
    async count(address, windowMs) {
      if (redis.status !== 'ready') throw new Error(`the results store (Redis) is not reachable now (${redis.status})`);
      const [failures, resetInMs] = (await redis.eval(COUNT_FAILURE_LUA, 1, keys.reportSignInFailures(address), Math.ceil(windowMs))) as [
        number,
        number,
      ];
      return { failures, resetInMs };
    },
  };
}
