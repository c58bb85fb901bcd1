import { findSecrets } from '../redact/secret-scan';
import { keysUnder, openTestRedis } from './redis';

/**
 * Every occurrence of `marker` in what Redis holds under a Tandem's prefix (keys, values,
 * hash fields, members, stream entries; through gzip, br, deflate and base64, see
 * `findSecrets`), as `key: found`, and how many keys were read.
 *
 * @example
 * expect((await storedSecrets(t.prefix, /SECRET-\w+/)).found).toEqual([]);
 */
export async function storedSecrets(prefix: string, marker: RegExp): Promise<{ keys: number; found: string[] }> {
  const redis = openTestRedis();
  try {
    const keys = await keysUnder(prefix);
    const found: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const parts: Buffer[] =
        type === 'string'
          ? [(await redis.getBuffer(key)) ?? Buffer.alloc(0)]
          : type === 'hash'
            ? Object.entries(await redis.hgetallBuffer(key)).flatMap(([k, v]) => [Buffer.from(k), v])
            : type === 'set'
              ? await redis.smembersBuffer(key)
              : type === 'zset'
                ? await redis.zrangeBuffer(key, 0, -1)
                : type === 'list'
                  ? await redis.lrangeBuffer(key, 0, -1)
                  : type === 'stream'
                    ? [Buffer.from(JSON.stringify(await redis.xrange(key, '-', '+')))]
                    : [];
      for (const s of [...findSecrets(key, marker), ...parts.flatMap((p) => findSecrets(p, marker))]) found.push(`${key}: ${s}`);
    }
    return { keys: keys.length, found };
  } finally {
    redis.disconnect();
  }
}
