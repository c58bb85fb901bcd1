import IORedis from 'ioredis';

/**
 * Every value stored under a prefix (strings, hashes, sets, sorted sets, lists,
 * streams, all keys and members), as one string, to search for what must not be there.
 *
 * @example
 * expect(await dumpPrefix(url, prefix)).not.toContain('s3cret');
 */
export async function dumpPrefix(url: string, prefix: string): Promise<{ keys: number; text: string }> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`{${prefix}}*`);
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'set'
              ? await redis.smembers(key)
              : type === 'zset'
                ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                : type === 'list'
                  ? await redis.lrange(key, 0, -1)
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : `<${type}>`;
      parts.push(key, JSON.stringify(value));
    }
    return { keys: keys.length, text: parts.join('\n') };
  } finally {
    redis.disconnect();
  }
}
