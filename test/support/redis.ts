import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { dataNodes, openRedis, type RedisTarget } from '../../src/store';

/** The Redis tests use: REDIS_URL, else the local one `.ci/run` makes sure is up. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test, so parallel suites never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * Delete every key under a prefix, on one Redis or every master of a cluster: those tagged
 * `{prefix}` and those under a tag of its own (`{prefix:…}`: queue partitions, per-route tags).
 */
export async function deletePrefix(prefix: string, target: RedisTarget = TEST_REDIS_URL): Promise<void> {
  if (typeof target === 'string') return deleteOn(new IORedis(target, { maxRetriesPerRequest: 1 }), prefix);
  const cluster = openRedis(target, 'client');
  try {
    await new Promise<void>((ready, fail) =>
      cluster.status === 'ready' ? ready() : cluster.once('ready', ready).once('end', () => fail(new Error('cluster connection ended'))),
    );
    // Each DEL holds the keys one SCAN of one node found; they may span slots, so delete them one by one there.
    for (const node of dataNodes(cluster)) await deleteOn(node.duplicate(), prefix, true);
  } finally {
    await cluster.quit().catch(() => cluster.disconnect());
  }
}

async function deleteOn(redis: IORedis, prefix: string, oneByOne = false): Promise<void> {
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}[}:]*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length && oneByOne) await Promise.all(keys.map((k) => redis.del(k)));
      else if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Keys under a prefix, whichever of its hash tags they carry (for assertions about what is stored). */
export async function keysUnder(prefix: string, url = TEST_REDIS_URL): Promise<string[]> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.keys(`{${prefix}[}:]*`);
  } finally {
    await redis.quit();
  }
}
