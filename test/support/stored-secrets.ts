import { findSecrets } from '../redact/secret-scan';
import { keysUnder, openTestRedis, storedValues } from './redis';

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
      const parts = await storedValues(redis, key);
      for (const s of [...findSecrets(key, marker), ...parts.flatMap((p) => findSecrets(p, marker))]) found.push(`${key}: ${s}`);
    }
    return { keys: keys.length, found };
  } finally {
    redis.disconnect();
  }
}
