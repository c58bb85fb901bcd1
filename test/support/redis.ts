import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';

/** The Redis tests use: REDIS_URL, else the local one `.ci/run` makes sure is up. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test, so parallel suites never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Delete every key under a prefix (its hash-tagged form `{prefix}:...`). */
export async function deletePrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Keys under a prefix (for assertions about what is stored). */
export async function keysUnder(prefix: string, url = TEST_REDIS_URL): Promise<string[]> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.keys(`{${prefix}}*`);
  } finally {
    await redis.quit();
  }
}
