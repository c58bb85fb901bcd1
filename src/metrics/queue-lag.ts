import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Queue depth and the comparison lag, as read from Redis. */
export interface QueueLag {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Epoch ms when the oldest waiting job was queued; null when none wait. */
  oldestWaitingAt: number | null;
  /** Seconds the oldest waiting job has waited: how far the report is behind (0 when none wait). */
  lagSeconds: number;
}

/**
 * Read queue depth and the age of the oldest waiting job. BullMQ pushes new jobs on
 * the left of its wait list and takes from the right, so the oldest is the last one;
 * only its `timestamp` field is read, never its (possibly large) data. `redis` is a
 * connection to the queue's Redis (one that fails fast while Redis is away: scrapes
 * must not hang). Rejects when Redis does not answer.
 *
 * @example
 * const lag = await readQueueLag(queue, redis);
 * console.log(`results are ${Math.round(lag.lagSeconds)} seconds behind`);
 */
export async function readQueueLag(queue: Queue, redis: Redis, now = Date.now()): Promise<QueueLag> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  const [oldestId] = await redis.lrange(queue.keys.wait, -1, -1);
  const ts = oldestId ? Number(await redis.hget(queue.toKey(oldestId), 'timestamp')) : NaN;
  const oldestWaitingAt = Number.isFinite(ts) && ts > 0 ? ts : null;
  return {
    waiting: counts.waiting ?? 0,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldestWaitingAt,
    lagSeconds: oldestWaitingAt === null ? 0 : Math.max(0, (now - oldestWaitingAt) / 1000),
  };
}

/**
 * The lag as a sentence for people ("results are 12 seconds behind").
 *
 * @example
 * describeLag({ lagSeconds: 0, waiting: 0 } as QueueLag); // 'results are up to date'
 */
export function describeLag(lag: Pick<QueueLag, 'lagSeconds' | 'waiting'>): string {
  if (lag.waiting === 0 || lag.lagSeconds < 1) return 'results are up to date';
  const s = Math.round(lag.lagSeconds);
  return s < 120 ? `results are ${s} seconds behind` : `results are ${Math.round(s / 60)} minutes behind`;
}
