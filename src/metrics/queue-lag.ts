import type { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import { exchangesInJob } from '../queue';

/** Queue depth and the comparison lag, as read from Redis, summed over the queue's partitions. */
export interface QueueLag {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Exchanges in the waiting jobs (a job packs up to `queue.packSize`), counted from the job ids. */
  waitingExchanges: number;
  /** Exchanges in the delayed jobs (retries, the noise warm-up). */
  delayedExchanges: number;
  /** Set when a list was too long to read whole: the exchange counts extrapolate from its first `MAX_IDS_READ` jobs. */
  estimated?: boolean;
  /** Queue partitions read (`queue.partitions`, or more while a deployment drains partitions it no longer uses). */
  partitions: number;
  /**
   * With more than one partition, each one's own figures (index = partition), so a hot
   * partition (one busy route under `queue.spread: route`) shows; absent with one.
   */
  byPartition?: PartitionFigures[];
  /** Epoch ms when the oldest waiting job was queued (the oldest of every partition); null when none wait. */
  oldestWaitingAt: number | null;
  /** Seconds the oldest waiting job has waited: how far the report is behind (0 when none wait). */
  lagSeconds: number;
}

/**
 * Read queue depth and the age of the oldest waiting job, summed over every partition of
 * the queue (`queues.readable()`: this process's `queue.partitions`, or more when another
 * process announced more): the one function behind `/api/lag`, the queue metrics and the
 * worker's gauges. BullMQ pushes new jobs on the left of its wait list and takes from the
 * right, so a partition's oldest is its last one; only its `timestamp` field is read, never
 * its (possibly large) data; the oldest of all partitions gives the lag. `redis` is a
 * connection to the queue's Redis (one that fails fast while Redis is away: scrapes must
 * not hang). Rejects when Redis does not answer.
 *
 * @example
 * const lag = await readQueueLag(queues, redis);
 * console.log(`results are ${Math.round(lag.lagSeconds)} seconds behind`);
 */
export async function readQueueLag(queues: QueuePartitions, redis: RedisClient, now = Date.now()): Promise<QueueLag> {
  const parts = await Promise.all((await queues.readable()).map((q) => readPartition(q, redis)));
  const sum = (f: (p: PartitionLag) => number) => parts.reduce((n, p) => n + f(p), 0);
  const oldest = parts.map((p) => p.oldestWaitingAt).filter((t): t is number => t !== null);
  const oldestWaitingAt = oldest.length ? Math.min(...oldest) : null;
  return {
    waiting: sum((p) => p.waiting),
    waitingExchanges: sum((p) => p.waitingExchanges),
    delayedExchanges: sum((p) => p.delayedExchanges),
    ...(parts.some((p) => p.estimated) ? { estimated: true } : {}),
    active: sum((p) => p.active),
    delayed: sum((p) => p.delayed),
    failed: sum((p) => p.failed),
    partitions: parts.length,
    ...(parts.length > 1
      ? {
          byPartition: parts.map((p) => ({
            waiting: p.waiting,
            waitingExchanges: p.waitingExchanges,
            active: p.active,
            delayed: p.delayed,
            failed: p.failed,
            lagSeconds: p.oldestWaitingAt === null ? 0 : Math.max(0, (now - p.oldestWaitingAt) / 1000),
          })),
        }
      : {}),
    oldestWaitingAt,
    lagSeconds: oldestWaitingAt === null ? 0 : Math.max(0, (now - oldestWaitingAt) / 1000),
  };
}

/** What `readQueueLag` needs of a partitioned queue: the BullMQ queues of every partition to read. */
export interface QueuePartitions {
  readable(): Promise<Queue[]>;
}

type PartitionLag = Omit<QueueLag, 'lagSeconds' | 'partitions' | 'byPartition'>;

/** One partition's share of the lag (see `QueueLag.byPartition`). */
export type PartitionFigures = Pick<QueueLag, 'waiting' | 'waitingExchanges' | 'active' | 'delayed' | 'failed' | 'lagSeconds'>;

/** One partition's counts, exchanges and oldest waiting job. */
async function readPartition(queue: Queue, redis: RedisClient): Promise<PartitionLag> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  const [oldestId] = await redis.lrange(queue.keys.wait, -1, -1);
  const ts = oldestId ? Number(await redis.hget(queue.toKey(oldestId), 'timestamp')) : NaN;
  const waiting = await countExchanges(counts.waiting ?? 0, (from, to) => redis.lrange(queue.keys.wait, from, to));
  const delayed = await countExchanges(counts.delayed ?? 0, (from, to) => redis.zrange(queue.keys.delayed, from, to));
  return {
    waiting: counts.waiting ?? 0,
    waitingExchanges: waiting.exchanges,
    delayedExchanges: delayed.exchanges,
    ...(waiting.estimated || delayed.estimated ? { estimated: true } : {}),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldestWaitingAt: Number.isFinite(ts) && ts > 0 ? ts : null,
  };
}

/** Job ids read at most per list: past it, the exchange count extrapolates (the backlog guard keeps lists far shorter by default). */
export const MAX_IDS_READ = 50_000;
const CHUNK = 5_000;

/**
 * Exchanges in a list of `jobs` job ids, read `CHUNK` ids at a time (ids only, never a
 * job's data), at most `MAX_IDS_READ`; a longer list is extrapolated from what was read.
 */
async function countExchanges(
  jobs: number,
  read: (from: number, to: number) => Promise<string[]>,
): Promise<{ exchanges: number; estimated: boolean }> {
  let exchanges = 0;
  let seen = 0;
  while (seen < Math.min(jobs, MAX_IDS_READ)) {
    const ids = await read(seen, seen + CHUNK - 1);
    if (!ids.length) break;
    for (const id of ids) exchanges += exchangesInJob(id);
    seen += ids.length;
  }
  if (seen === 0 || seen >= jobs) return { exchanges, estimated: false };
  return { exchanges: Math.round((exchanges / seen) * jobs), estimated: true };
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

/** `describeLag`'s sentence when nothing is pending anywhere it can see (`GET /lag` answers `complete: true` then). */
export const UP_TO_DATE = 'results are up to date';

/**
 * The lag as a sentence for people ("results are 12 seconds behind"). "Up to date" only
 * when nothing is pending anywhere it can see: a delayed job, a buffered exchange or a
 * shadow in flight says so, with the counts.
 *
 * @example
 * describeLag({ lagSeconds: 0, waiting: 0 }); // 'results are up to date'
 * describeLag({ lagSeconds: 0.2, waiting: 1, waitingExchanges: 16 }); // 'results are not complete: 16 exchanges waiting'
 * describeLag({ lagSeconds: 0, waiting: 0, delayed: 2 }); // 'results are not complete: 2 jobs delayed (retries or the noise warm-up)'
 * describeLag({ lagSeconds: 40, waiting: 2, waitingExchanges: 20, active: 0 });
 * // 'results are 40 seconds behind (20 exchanges waiting); no worker has taken a job for 40 seconds: is `tandem worker` running (or worker.inProcess on)?'
 */
export function describeLag(
  lag: Pick<QueueLag, 'lagSeconds' | 'waiting'> &
    Partial<Pick<QueueLag, 'waitingExchanges' | 'delayedExchanges' | 'active'>> &
    PendingElsewhere,
): string {
  const pending: string[] = [];
  const ex = (n: number) => `${n} ${n === 1 ? 'exchange' : 'exchanges'}`;
  if (lag.delayed) {
    pending.push(
      lag.delayedExchanges !== undefined
        ? `${ex(lag.delayedExchanges)} in delayed jobs (retries or the noise warm-up)`
        : `${lag.delayed} ${lag.delayed === 1 ? 'job' : 'jobs'} delayed (retries or the noise warm-up)`,
    );
  }
  if (lag.buffered) pending.push(`${lag.buffered} ${lag.buffered === 1 ? 'exchange' : 'exchanges'} buffered in this process`);
  if (lag.inFlight) pending.push(`${lag.inFlight} shadow ${lag.inFlight === 1 ? 'request' : 'requests'} in flight`);
  const s = Math.round(lag.lagSeconds);
  const ago = s < 120 ? `${s} seconds` : `${Math.round(s / 60)} minutes`;
  let behind = lag.waiting === 0 || lag.lagSeconds < 1 ? null : `results are ${ago} behind`;
  // Jobs queued under a second ago: not behind, but not compared yet either.
  if (!behind && lag.waiting > 0)
    pending.unshift(
      lag.waitingExchanges !== undefined
        ? `${ex(lag.waitingExchanges)} waiting`
        : `${lag.waiting} ${lag.waiting === 1 ? 'job' : 'jobs'} waiting`,
    );
  if (behind && lag.waitingExchanges !== undefined) behind += ` (${ex(lag.waitingExchanges)} waiting)`;
  // why, when it can tell: jobs wait and none is taken
  if (behind && lag.active === 0 && s >= 10)
    behind += `; no worker has taken a job for ${ago}: is \`tandem worker\` running (or worker.inProcess on)?`;
  else if (behind && lag.active && s >= 10)
    behind += `; workers are comparing ${lag.active} ${lag.active === 1 ? 'job' : 'jobs'} but not keeping up: add workers or raise worker.concurrency`;
  if (!behind) return pending.length ? `results are not complete: ${pending.join(', ')}` : UP_TO_DATE;
  return pending.length ? `${behind}; also ${pending.join(', ')}` : behind;
}
