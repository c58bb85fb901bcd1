import { isAbsolute, resolve } from 'node:path';
import { redisTargetOf, runningEmbeddedRedis, startEmbeddedRedis, type EmbeddedRedis, type RedisTarget } from '../store';
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

/**
 * The Redis a command that joins `tandem serve` uses (`tandem rollout`, `worker`, `replay`,
 * `rediff`, `suggest --route`): the config's `redis.cluster` or `redis.url` (or
 * `REDIS_CLUSTER_NODES` / `REDIS_URL`, resolved by createConfig), else the embedded
 * redis-server a running `tandem serve` started on the same `redis.dataDir` (found by its
 * lock, its owner alive, its port answering PING; see `runningEmbeddedRedis`). Never
 * starts one: the Redis and its data belong to the `tandem serve` that owns the folder.
 * Null when there is neither; `noRedisMessage` says what to do then.
 *
 * @example
 * const target = await joinRedis(config.redis); // 'redis://127.0.0.1:40123' when a tandem serve runs
 */
export async function joinRedis(o: {
  url?: string;
  cluster?: { readonly nodes: readonly string[] };
  dataDir: string;
}): Promise<RedisTarget | null> {
  return redisTargetOf(o) ?? (await runningEmbeddedRedis(o.dataDir));
}

/**
 * What to do when `joinRedis` finds nothing, for `command` (`tandem rollout`) run with
 * config `file`.
 *
 * @example
 * process.stderr.write(noRedisMessage('tandem worker', 'tandem.yaml', '.tandem/redis'));
 */
export function noRedisMessage(command: string, file: string, dataDir: string, cwd = process.cwd()): string {
  // A relative redis.dataDir is read from the folder the command runs in, not the config file's: say so where it matters.
  const relative = !isAbsolute(dataDir)
    ? `  redis.dataDir (${dataDir}) is relative to the folder a command runs in (here ${cwd}), not to the config file: ` +
      `if \`tandem serve\` runs, run this from the folder it was started in.\n`
    : '';
  return (
    `${command} needs the Redis that \`tandem serve\` uses, and none is running: the config names no Redis ` +
    `(redis.url, redis.cluster, REDIS_URL, REDIS_CLUSTER_NODES) and no \`tandem serve\` runs the embedded Redis of ${resolve(cwd, dataDir)}.\n` +
    relative +
    `  Start \`tandem serve -c ${file}\` first (from the same folder, or with the same redis.dataDir), or set redis.url in the config or REDIS_URL.\n`
  );
}
