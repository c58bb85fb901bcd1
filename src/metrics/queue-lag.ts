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
 * What else holds exchanges that are not compared yet, beside the waiting jobs: jobs
 * delayed (retries, the noise warm-up), exchanges in this process's producer buffer and
 * shadow requests in flight.
 *
 * @example
 * const pending: PendingElsewhere = { delayed: 2, buffered: 40, inFlight: 3 };
 */
export interface PendingElsewhere {
  delayed?: number;
  buffered?: number;
  inFlight?: number;
}

/**
 * The lag as a sentence for people ("results are 12 seconds behind"). "Up to date" only
 * when nothing is pending anywhere it can see: a delayed job, a buffered exchange or a
 * shadow in flight says so, with the counts.
 *
 * @example
 * describeLag({ lagSeconds: 0, waiting: 0 }); // 'results are up to date'
 * describeLag({ lagSeconds: 0, waiting: 0, delayed: 2 }); // 'results are not complete: 2 jobs delayed (retries or the noise warm-up)'
 */
export function describeLag(lag: Pick<QueueLag, 'lagSeconds' | 'waiting'> & PendingElsewhere): string {
  const pending: string[] = [];
  if (lag.delayed) pending.push(`${lag.delayed} ${lag.delayed === 1 ? 'job' : 'jobs'} delayed (retries or the noise warm-up)`);
  if (lag.buffered) pending.push(`${lag.buffered} ${lag.buffered === 1 ? 'exchange' : 'exchanges'} buffered in this process`);
  if (lag.inFlight) pending.push(`${lag.inFlight} shadow ${lag.inFlight === 1 ? 'request' : 'requests'} in flight`);
  const s = Math.round(lag.lagSeconds);
  const behind = lag.waiting === 0 || lag.lagSeconds < 1 ? null : s < 120 ? `results are ${s} seconds behind` : `results are ${Math.round(s / 60)} minutes behind`;
  if (!behind) return pending.length ? `results are not complete: ${pending.join(', ')}` : 'results are up to date';
  return pending.length ? `${behind}; also ${pending.join(', ')}` : behind;
}
