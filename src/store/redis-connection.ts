import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/**
 * Open an ioredis connection. `role` picks the options each user needs:
 * - `producer`: fails fast while Redis is away (the ingress keeps its own bounded buffer);
 * - `worker`: `maxRetriesPerRequest: null`, as BullMQ workers require;
 * - `client`: ordinary commands (report API, CLI).
 *
 * @example
 * const redis = openRedis('redis://127.0.0.1:6379', 'client');
 */
export function openRedis(url: string, role: 'producer' | 'worker' | 'client', extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...extra,
  };
  if (role === 'producer') Object.assign(base, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  if (role === 'worker') Object.assign(base, { maxRetriesPerRequest: null });
  if (role === 'client') Object.assign(base, { maxRetriesPerRequest: 2 });
  const redis = new IORedis(url, base);
  // Errors surface through command results and readiness; without a listener ioredis logs them itself.
  redis.on('error', () => undefined);
  return redis;
}
