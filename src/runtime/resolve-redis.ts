import { startEmbeddedRedis, type EmbeddedRedis } from '../store';
import type { Logger } from '../log';

/**
 * The Redis to use: the config's resolved `redis.url` (the config's own, else `REDIS_URL`,
 * resolved by createConfig), else a redis-server child process of our own (the embedded
 * default, so a first `tandem serve` just works).
 *
 * @example
 * const { url, embedded } = await resolveRedis({ dataDir: '.tandem/redis' }, log);
 */
export async function resolveRedis(o: { url?: string; dataDir: string }, log: Logger): Promise<{ url: string; embedded?: EmbeddedRedis }> {
  if (o.url) return { url: o.url };
  const embedded = await startEmbeddedRedis(o.dataDir);
  log.info({ redis: embedded.url, dataDir: o.dataDir }, `started embedded redis-server; other processes can join with REDIS_URL=${embedded.url}`);
  return { url: embedded.url, embedded };
}
