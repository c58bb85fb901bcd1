import type { RedisClient } from './redis-connection';
import type { KeySchema } from './key-schema';

/**
 * Signed-out report sessions, shared by every instance of a deployment: one expiring
 * key per session hash (the key schema's `reportRevoked`).
 *
 * @example
 * const revoked = revokedSessions(redis, keySchema('tandem'));
 * await revoked.revoke('3f2a…', 60_000);
 * await revoked.isRevoked('3f2a…'); // true for a minute
 */
export interface RevokedSessions {
  /** Record session `id` (a hash, never the cookie) as revoked for `ms` milliseconds. */
  revoke(id: string, ms: number): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
}

/**
 * The revoked sessions in the deployment's Redis.
 *
 * @example
 * const revoked = revokedSessions(store.redis, store.keys);
 */
export function revokedSessions(redis: Pick<RedisClient, 'set' | 'exists'>, keys: Pick<KeySchema, 'reportRevoked'>): RevokedSessions {
  return {
    async revoke(id, ms) {
      await redis.set(keys.reportRevoked(id), '1', 'PX', ms);
    },
    async isRevoked(id) {
      return (await redis.exists(keys.reportRevoked(id))) === 1;
    },
  };
}
