import { pipelineByTag } from './pipeline-by-tag';
import type { RedisClient } from './redis-connection';
import type { KeySchema } from './key-schema';
import type { MismatchRecord } from './record-types';

/**
 * Add the `duplicates` count (identical exchange pairs counted but not stored again)
 * to stored mismatch records, in one round trip (one per route on a cluster). Records without duplicates get none.
 *
 * @example
 * const records = await withDuplicates(redis, keys, parsed); // records[0].duplicates === 3
 */
export async function withDuplicates(redis: RedisClient, keys: KeySchema, records: MismatchRecord[]): Promise<MismatchRecord[]> {
  if (!records.length) return records;
  const replies = await pipelineByTag(
    redis,
    records.map((r) => ({ key: keys.duplicates(r.exchange.route), add: (p) => p.hget(keys.duplicates(r.exchange.route), r.exchange.id) })),
  );
  records.forEach((r, i) => {
    const n = Number(replies[i]?.[1] ?? 0);
    if (n > 0) r.duplicates = n;
  });
  return records;
}
