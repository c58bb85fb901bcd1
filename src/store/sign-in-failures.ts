import type { RedisClient } from './redis-connection';
import type { KeySchema } from './key-schema';

/**
 * What one sign-in attempt came to: `locked` when its address was already over the limit
 * (the attempt was refused whatever its token, and nothing was counted); else the failures
 * of the window after it (a success counts nothing and clears nothing) and the milliseconds
 * until the window ends (0 when no window is open).
 */
export interface SignInAttempt {
  locked: boolean;
  failures: number;
  resetInMs: number;
}

/**
 * Failed report sign-ins per client address, shared by every process and instance of a
 * deployment: one counter per address (the key schema's `reportSignInFailures`, named by a
 * hash of the address) in a fixed window that starts with its first failure.
 *
 * @example
 * const failures = signInFailures(redis, keySchema('tandem'));
 * await failures.attempt('203.0.113.7', false, { max: 10, windowMs: 60_000 }); // { locked: false, failures: 1, resetInMs: 60000 }
 */
export interface SignInFailures {
  /**
   * Settle one sign-in attempt of `address` whose token was right (`ok`) or wrong,
   * atomically (one script): when the address already has `max` failures in its window the
   * attempt is `locked` (refused, right token or not; nothing counted, the window not
   * extended); else a failure is counted (INCR, and PEXPIRE of `windowMs` when the window
   * starts) and a success changes nothing: failures go only when their window expires, so
   * a right token used from the address (a script polling the API) does not refill the
   * budget of someone guessing from the same address. So however many attempts run at
   * once, at most `max` failures per window are answered by their token.
   * Rejects at once when the connection is not ready (instead of waiting in ioredis'
   * offline queue), and when Redis refuses the script.
   */
  attempt(address: string, ok: boolean, limit: { max: number; windowMs: number }): Promise<SignInAttempt>;
}

/**
 * KEYS[1]: the address's failure counter. ARGV[1]: the window, ms; ARGV[2]: the failures
 * allowed in it; ARGV[3]: '1' when the token was right.
 * Returns { 1 if locked else 0, failures in the window, ms until it ends }. A right token
 * counts nothing and clears nothing. A counter
 * without an expiry (none should exist) gets the window too, so no address stays locked
 * for ever.
 */
const ATTEMPT_LUA = `
local function ttlOrWindow()
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return ttl
end
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[2]) then
  return {1, n, ttlOrWindow()}
end
if ARGV[3] == '1' then
  if n == 0 then return {0, 0, 0} end
  return {0, n, ttlOrWindow()}
end
n = redis.call('INCR', KEYS[1])
return {0, n, ttlOrWindow()}
`;

/**
 * The failed sign-ins in the deployment's Redis.
 *
 * @example
 * const failures = signInFailures(store.redis, store.keys);
 */
export function signInFailures(redis: RedisClient, keys: Pick<KeySchema, 'reportSignInFailures'>): SignInFailures {
  return {
    async attempt(address, ok, limit) {
      if (redis.status !== 'ready') throw new Error(`the results store (Redis) is not reachable now (${redis.status})`);
      const [locked, failures, resetInMs] = (await redis.eval(
        ATTEMPT_LUA,
        1,
        keys.reportSignInFailures(address),
        Math.ceil(limit.windowMs),
        Math.max(1, Math.floor(limit.max)),
        ok ? '1' : '0',
      )) as [number, number, number];
      return { locked: locked === 1, failures, resetInMs };
    },
  };
}
