import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { storeKeys } from '../store';
import type { CompareJobData } from './job-data';

/** Name of the BullMQ job that carries one exchange or a pack of them. */
export const COMPARE_JOB = 'compare';

/**
 * The comparison queue: BullMQ under the hash-tagged prefix.
 *
 * @example
 * const queue = createQueue(openRedis(url, 'producer'), { prefix: 'tandem', name: 'compare' });
 */
export function createQueue(connection: Redis, o: { prefix: string; name: string }): Queue<CompareJobData> {
  return new Queue<CompareJobData>(o.name, {
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
