import { startEmbeddedRedis, type EmbeddedRedis } from '../store';
import type { Logger } from '../log';

/**
 * The Redis to use: `redis.url`, else `REDIS_URL`, else a redis-server child process
 * of our own (the embedded default, so a first `tandem serve` just works).
 *
 * @example
 * const { url, embedded } = await resolveRedis({ dataDir: '.tandem/redis' }, log);
 */
export async function resolveRedis(o: { url?: string; dataDir: string }, log: Logger): Promise<{ url: string; embedded?: EmbeddedRedis }> {
  const url = o.url ?? process.env.REDIS_URL;
  if (url) return { url };
  const embedded = await startEmbeddedRedis(o.dataDir);
  log.info({ redis: embedded.url, dataDir: o.dataDir }, `started embedded redis-server; other processes can join with REDIS_URL=${embedded.url}`);
  return { url: embedded.url, embedded };
}
