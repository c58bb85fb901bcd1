import type { RedisClient } from './redis-connection';

/**
 * The oldest Redis Tandem runs on: the queue partitions' mark is raised with `ZADD ... GT`
 * and long exchange records are moved into place with `COPY`, both new in Redis 6.2.
 */
export const MIN_REDIS_VERSION = '6.2.0';

/**
 * Whether a server's `redis_version` (as `INFO server` gives it, `major.minor.patch`) is
 * `MIN_REDIS_VERSION` or newer. A version that cannot be read is given the benefit of the doubt.
 *
 * @example
 * redisVersionSupported('7.0.15'); // true
 * redisVersionSupported('6.0.16'); // false
 */
export function redisVersionSupported(version: string): boolean {
  const parts = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10));
  const [have, need] = [parts(version), parts(MIN_REDIS_VERSION)];
  if (have.length < 2 || have.some((n) => !Number.isFinite(n))) return true;
  for (let i = 0; i < need.length; i++) if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  return true;
}

/**
 * Once the connection is ready, read the server's version and log an error naming it when
 * it is older than `MIN_REDIS_VERSION`: on such a Redis the queue and the record script
 * fail command by command (exchanges would pile up and be dropped as `buffer_full`), so the
 * reason is said once, at start. Never throws; resolves with the version read (null when it
 * could not be read). On a Redis Cluster it asks the node the client picks.
 *
 * @example
 * void checkRedisVersion(redis, log); // logs "Redis 6.0.16 is older than 6.2.0, which Tandem needs ..."
 */
export async function checkRedisVersion(redis: RedisClient, log: { error(obj: object, msg: string): void }): Promise<string | null> {
  try {
    if (redis.status !== 'ready') await new Promise<void>((ready) => redis.once('ready', () => ready()));
    const info = await redis.info('server');
    const version = /^redis_version:(\S+)/m.exec(info)?.[1] ?? null;
    if (version && !redisVersionSupported(version))
      log.error(
        { redisVersion: version, minimum: MIN_REDIS_VERSION },
        `Redis ${version} is older than ${MIN_REDIS_VERSION}, which Tandem needs (ZADD GT, COPY): comparisons will fail; upgrade Redis`,
      );
    return version;
  } catch {
    return null;
  }
}
