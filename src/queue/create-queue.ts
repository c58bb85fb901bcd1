import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { storeKeys } from '../store';
import type { ExchangeRecord } from '../records';

/** Name of the BullMQ job that carries one exchange. */
export const COMPARE_JOB = 'compare';

/**
 * The comparison queue: BullMQ under the hash-tagged prefix.
 *
 * @example
 * const queue = createQueue(openRedis(url, 'producer'), { prefix: 'tandem', name: 'compare' });
 */
export function createQueue(connection: Redis, o: { prefix: string; name: string }): Queue<ExchangeRecord> {
  return new Queue<ExchangeRecord>(o.name, {
    connection,
    prefix: storeKeys(o.prefix).queuePrefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    },
  });
}
