import { redisTargetOf, startEmbeddedRedis, type EmbeddedRedis, type RedisTarget } from '../store';
import type { Logger } from '../log';

/**
 * The Redis to use: the config's resolved `redis.cluster` or `redis.url` (the config's own,
 * else `REDIS_CLUSTER_NODES` or `REDIS_URL`, resolved by createConfig), else a
 * redis-server child process of our own (the embedded default, so a first `tandem serve`
 * just works).
 *
 * @example
 * const { target, embedded } = await resolveRedis({ dataDir: '.tandem/redis' }, log);
 */
export async function resolveRedis(
  o: { url?: string; cluster?: { readonly nodes: readonly string[] }; dataDir: string },
  log: Logger,
): Promise<{ target: RedisTarget; embedded?: EmbeddedRedis }> {
  const target = redisTargetOf(o);
  if (target) return { target };
  const embedded = await startEmbeddedRedis(o.dataDir);
  log.info(
    { redis: embedded.url, dataDir: o.dataDir },
    `started embedded redis-server; other processes can join with REDIS_URL=${embedded.url}`,
  );
  return { target: embedded.url, embedded };
}
