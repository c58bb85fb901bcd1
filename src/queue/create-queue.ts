import { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import { storeKeys } from '../store';
import type { CompareJobData } from './job-data';
import { rateLimitedErrors, type Logger } from '../log';

/** How long a failed job is kept (7 days; at most 1000 are kept in any case). */
export const FAILED_JOB_AGE_SECONDS = 7 * 24 * 3600;

/** Name of the BullMQ job that carries one exchange or a pack of them. */
export const COMPARE_JOB = 'compare';

/**
 * The comparison queue, or one partition of it: BullMQ under the partition's hash tag
 * (`queueTag(partition)`, partition 0 by default: `{prefix}`), failed jobs kept at most
 * 1000 and 7 days, connection errors logged one line at a time (rate-limited) to `log`.
 *
 * @example
 * const queue = createQueue(openRedis(url, 'producer'), { prefix: 'tandem', name: 'compare' });
 * const third = createQueue(redis, { prefix: 'tandem', name: 'compare', partition: 2 }); // keys under {tandem:queue:2}
 */
export function createQueue(
  connection: RedisClient,
  o: { prefix: string; name: string; partition?: number; log?: Logger },
): Queue<CompareJobData> {
  const queue = new Queue<CompareJobData>(o.name, {
    connection,
    prefix: storeKeys(o.prefix).queueTag(o.partition ?? 0),
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      // Failed jobs are kept for inspection, but not forever.
      removeOnFail: { count: 1000, age: FAILED_JOB_AGE_SECONDS },
    },
  });
  // Without a listener BullMQ prints every connection error with its stack, twice a second while Redis is down.
  queue.on('error', o.log ? rateLimitedErrors(o.log, 'queue connection error') : () => undefined);
  return queue;
}
