import { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import { storeKeys } from '../store';
import type { CompareJobData } from './job-data';
import { rateLimitedErrors, type Logger } from '../log';

/** How long a failed job is kept (7 days; at most `failedJobsKept` are kept in any case). */
export const FAILED_JOB_AGE_SECONDS = 7 * 24 * 3600;

/** Exchanges whose failed jobs are kept at most (what 1000 failed jobs of 16 held). */
const FAILED_EXCHANGES_KEPT = 16_000;

/**
 * Failed jobs kept at most for packs of `packSize`: as many as hold `FAILED_EXCHANGES_KEPT`
 * exchanges (1000 of 16, 250 of 64), so larger packs keep no more failed exchanges in Redis.
 *
 * @example
 * failedJobsKept(64); // 250
 */
export function failedJobsKept(packSize = 16): number {
  return Math.max(1, Math.ceil(FAILED_EXCHANGES_KEPT / Math.max(1, packSize)));
}

/** Name of the BullMQ job that carries one exchange or a pack of them. */
export const COMPARE_JOB = 'compare';

/**
 * The comparison queue, or one partition of it: BullMQ under the partition's hash tag
 * (`queueTag(partition)`, partition 0 by default: `{prefix}`), failed jobs kept at most
 * 7 days and `failedJobsKept(packSize)` (16,000 exchanges' worth: packs of `packSize`, the
 * producer's `queue.packSize`, default 16), connection errors logged one line at a time
 * (rate-limited) to `log`. The limits are given to each job as it is added: the producer's
 * queue sets them.
 *
 * @example
 * const queue = createQueue(openRedis(url, 'producer'), { prefix: 'tandem', name: 'compare' });
 * const third = createQueue(redis, { prefix: 'tandem', name: 'compare', partition: 2 }); // keys under {tandem:queue:2}
 */
export function createQueue(
  connection: RedisClient,
  o: { prefix: string; name: string; partition?: number; log?: Logger; packSize?: number },
): Queue<CompareJobData> {
  const queue = new Queue<CompareJobData>(o.name, {
    connection,
    prefix: storeKeys(o.prefix).queueTag(o.partition ?? 0),
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      // Failed jobs are kept for inspection, but not forever.
      removeOnFail: { count: failedJobsKept(o.packSize), age: FAILED_JOB_AGE_SECONDS },
    },
  });
  // Without a listener BullMQ prints every connection error with its stack, twice a second while Redis is down.
  queue.on('error', o.log ? rateLimitedErrors(o.log, 'queue connection error') : () => undefined);
  return queue;
}
