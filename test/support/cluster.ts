import { execFileSync } from 'node:child_process';
import { storeKeys, type RedisClient } from '../../src/store';
import { uniquePrefix } from './redis';
import { join } from 'node:path';

/**
 * The seed nodes of the Redis Cluster the cluster tests use. `.ci/run` starts one and
 * exports REDIS_CLUSTER_NODES (jest's global setup keeps it, for these tests only, as
 * TANDEM_TEST_CLUSTER_NODES). Without it the tests start the cluster themselves with
 * `.ci/redis-cluster` (reused when it already runs), so they never skip silently.
 */
let nodes: string[] | undefined;

export function testClusterNodes(): string[] {
  nodes ??= startOrFind();
  return nodes;
}

function startOrFind(): string[] {
  const given = process.env.TANDEM_TEST_CLUSTER_NODES || process.env.REDIS_CLUSTER_NODES;
  const list =
    given ||
    execFileSync(join(__dirname, '../../.ci/redis-cluster'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 60_000,
    }).trim();
  const nodes = list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (!nodes.length) throw new Error('no Redis Cluster nodes: set REDIS_CLUSTER_NODES or let .ci/redis-cluster start one');
  return nodes;
}

/**
 * The master (its `host:port`) that serves each key's slot, read from the cluster itself
 * (`CLUSTER KEYSLOT`, `CLUSTER SLOTS`).
 */
export async function mastersOf(redis: RedisClient, keys: readonly string[]): Promise<{ slot: number; master: string }[]> {
  const ranges = await redis.cluster('SLOTS');
  return Promise.all(
    keys.map(async (key) => {
      const slot = Number(await redis.cluster('KEYSLOT', key));
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      const master = range?.[2];
      return { slot, master: master ? `${master[0]}:${master[1]}` : '?' };
    }),
  );
}

/**
 * A fresh key prefix under which each of `routes` (at most as many as masters) has its
 * per-route hash tag on a master of its own, so a test sees routes spread over shards
 * whatever prefix chance would give.
 */
export async function prefixSpreading(redis: RedisClient, name: string, routes: readonly string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const prefix = uniquePrefix(name);
    const k = storeKeys({ prefix, tagging: 'route' });
    const where = await mastersOf(
      redis,
      routes.map((r) => k.counters(r)),
    );
    if (new Set(where.map((w) => w.master)).size === routes.length) return prefix;
  }
  throw new Error(`no prefix spreads ${routes.length} routes over distinct masters`);
}
