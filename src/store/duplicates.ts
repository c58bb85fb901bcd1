import type { RedisClient } from './redis-connection';
import type { KeySchema } from './key-schema';
import type { MismatchRecord } from './results-store';

/**
 * Add the `duplicates` count (identical exchange pairs counted but not stored again)
 * to stored mismatch records, in one round trip. Records without duplicates get none.
 *
 * @example
 * const records = await withDuplicates(redis, keys, parsed); // records[0].duplicates === 3
 */
export async function withDuplicates(redis: RedisClient, keys: KeySchema, records: MismatchRecord[]): Promise<MismatchRecord[]> {
  if (!records.length) return records;
  const pipe = redis.pipeline();
  for (const r of records) pipe.hget(keys.duplicates(r.exchange.route), r.exchange.id);
  const replies = (await pipe.exec()) ?? [];
  records.forEach((r, i) => {
    const n = Number(replies[i]?.[1] ?? 0);
    if (n > 0) r.duplicates = n;
  });
  return records;
}
