import type { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import { storeKeys } from '../store';
import type { Logger } from '../log';
import { createQueue } from './create-queue';
import { exchangesInJob, type CompareJobData } from './job-data';

/**
 * How producers choose a queue partition: `route` puts all of a route's exchanges in one
 * partition (by a hash of the route name), `even` puts each job in the partition its job
 * id hashes to (so one busy route spreads over all of them).
 */
export type QueueSpread = 'route' | 'even';

/** Member of the `queuePartitions` zset whose score is the partition count in use. */
const WIDTH = 'width';

/** The job states `count()` counts: the queue's backlog. */
const BACKLOG_STATES = ['waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Job ids read per command by `exchanges()`. */
const IDS_PER_READ = 5000;

/** Job ids `exchanges()` reads at most: past them it extrapolates, so a large cap costs no more per reading. */
export const MAX_IDS_PER_READING = 10_000;

/** How often a producer re-announces its partition count (ms): a worker that lowered the mark sees it raised again within this. */
const ANNOUNCE_EVERY_MS = 1000;

/**
 * FNV-1a (32 bits) of a string's UTF-16 code units: a stable, fast hash, the same in every
 * process and version, so a route maps to the same partition everywhere.
 *
 * @example
 * fnv1a('products') % 3; // the partition of route `products` among 3
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The partition (0-based, below `partitions`) a route's exchanges go to under `spread: route`.
 *
 * @example
 * routePartition('products', 3); // e.g. 1, in every process
 */
export function routePartition(route: string, partitions: number): number {
  return partitions <= 1 ? 0 : fnv1a(route) % partitions;
}

/**
 * The comparison queue split over `partitions` BullMQ queues, each under its own hash tag
 * (`storeKeys(prefix).queueTag(i)`), on one connection. Partition 0 is the queue a single
 * partition always was. Producers take `queue(partitionFor…)`; readers (lag, backlog,
 * cleanup) take `readable()`, which adds partitions that other processes announced beyond
 * this one's count (a deployment whose `queue.partitions` changed), so nothing queued there
 * goes unseen. With one partition no mark is written and nothing else changes.
 *
 * @example
 * const queues = new PartitionedQueue(redis, { prefix: 'tandem', name: 'compare', partitions: 4, spread: 'route' });
 * await queues.queue(queues.partitionOf('products')).add('compare', exchange);
 * const jobs = await queues.count(); // waiting, delayed and prioritized jobs of every partition
 */
export class PartitionedQueue {
  private readonly made = new Map<number, Queue<CompareJobData>>();
  private announcedAt = 0;

  constructor(
    readonly connection: RedisClient,
    readonly o: {
      prefix: string;
      name: string;
      partitions: number;
      spread: QueueSpread;
      log?: Logger;
      /** Exchanges per job at most (`queue.packSize`): how many failed jobs this producer's jobs ask to be kept (see `failedJobsKept`). */
      packSize?: number;
      /** The deployment's key tagging (`redis.tagging`, default `deployment`): where the store's done markers are (`doneKey`). */
      tagging?: 'deployment' | 'route';
    },
  ) {}

  /**
   * The key of exchange `id`'s done marker on `route` in the deployment's store (what the
   * worker sets as it counts the exchange, and a failed job's count does: the schema's
   * `done` key): it exists once the exchange is counted, its job possibly gone.
   *
   * @example
   * await redis.exists(queues.doneKey(ex.route, ex.id)); // 1 once the worker counted ex
   */
  doneKey(route: string, id: string): string {
    const k = storeKeys({ prefix: this.o.prefix, tagging: this.o.tagging });
    return k.done(k.recordId(route, id));
  }

  /** Partitions this process produces to (`queue.partitions`). */
  get partitions(): number {
    return this.o.partitions;
  }

  /** The BullMQ queue of partition `i` (made on first use, on this connection). */
  queue(i: number): Queue<CompareJobData> {
    let q = this.made.get(i);
    if (!q) {
      q = createQueue(this.connection, {
        prefix: this.o.prefix,
        name: this.o.name,
        partition: i,
        log: this.o.log,
        packSize: this.o.packSize,
      });
      this.made.set(i, q);
    }
    return q;
  }

  /** The partition of a route's exchanges under `spread: route`. */
  partitionOf(route: string): number {
    return routePartition(route, this.o.partitions);
  }

  /** The partition of a job under `spread: even`: its id's hash, so a job sent again goes where it went before. */
  partitionOfJob(jobId: string): number {
    return this.o.partitions <= 1 ? 0 : fnv1a(jobId) % this.o.partitions;
  }

  /**
   * Record in Redis that this process produces to `partitions` partitions (raising the
   * deployment's mark, never lowering it), at most once a second; nothing with one
   * partition. Rejects when Redis does not answer.
   */
  async announce(): Promise<void> {
    if (this.o.partitions <= 1 || Date.now() - this.announcedAt < ANNOUNCE_EVERY_MS) return;
    await this.connection.zadd(this.markKey, 'GT', this.o.partitions, WIDTH);
    this.announcedAt = Date.now();
  }

  /** The deployment's partition mark (see `KEY_SPECS.queuePartitions`): 0 when unset. */
  async mark(): Promise<number> {
    const score = await this.connection.zscore(this.markKey, WIDTH);
    return score === null ? 0 : Number(score);
  }

  /** How many partitions hold work to read or consume: this process's count, or more when another process announced more. */
  async width(): Promise<number> {
    return Math.max(this.o.partitions, await this.mark());
  }

  /** The queues of every partition up to `width()`. */
  async readable(): Promise<Queue<CompareJobData>[]> {
    const n = await this.width();
    return Array.from({ length: n }, (_, i) => this.queue(i));
  }

  /** Jobs waiting, delayed or prioritized in every partition (what the backlog cap bounds). */
  async count(): Promise<number> {
    const counts = await Promise.all((await this.readable()).map((q) => q.count()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Exchanges in the jobs `count()` counts, every partition summed, from the job ids alone
   * (`exchangesInJob`; never a job's data), `IDS_PER_READ` ids per command and at most
   * `maxIds` ids in all (default `MAX_IDS_PER_READING`): past them, the count is extrapolated to `jobs` (the
   * job count, read with `count()` when not given) from the ids read, as `/api/lag` does.
   * The backlog guard reads it only near its exchange cap.
   *
   * @example
   * await queues.exchanges(); // 40 for jobs of 16, 16, 4, 1, 1, 1, 1
   */
  async exchanges(jobs?: number, maxIds = MAX_IDS_PER_READING): Promise<number> {
    let n = 0;
    let seen = 0;
    for (const q of await this.readable())
      for (const state of BACKLOG_STATES)
        for (let from = 0; seen < maxIds; from += IDS_PER_READ) {
          const ids = await q.getRanges([state], from, from + Math.min(IDS_PER_READ, maxIds - seen) - 1);
          for (const id of ids) n += exchangesInJob(id);
          seen += ids.length;
          if (ids.length < IDS_PER_READ) break;
        }
    if (seen < maxIds || seen === 0) return n;
    const total = Math.max(seen, jobs ?? (await this.count()));
    return Math.round((n / seen) * total);
  }

  /**
   * Lower the deployment's mark to this process's count once the partitions above it hold
   * no job (waiting, active, delayed, prioritized, waiting-children); with one
   * partition the mark is removed, so a single queue leaves no trace. A producer still
   * using more partitions announces them again within a second. Returns the mark now in
   * force (0 when none).
   */
  async retireEmpty(): Promise<number> {
    const mark = await this.mark();
    if (mark <= this.o.partitions) return mark;
    for (let i = this.o.partitions; i < mark; i++) {
      const c = await this.queue(i).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).some((n) => n > 0)) return mark;
    }
    if (this.o.partitions <= 1) await this.connection.zrem(this.markKey, WIDTH);
    else await this.connection.zadd(this.markKey, this.o.partitions, WIDTH);
    return this.o.partitions <= 1 ? 0 : this.o.partitions;
  }

  /** SCAN patterns of every key of partitions 0..`width`-1 (cleanup of a private queue). */
  patterns(width = this.o.partitions): string[] {
    const k = storeKeys(this.o.prefix);
    return Array.from({ length: width }, (_, i) => k.queuePattern(this.o.name, i));
  }

  private get markKey(): string {
    return storeKeys(this.o.prefix).queuePartitions(this.o.name);
  }

  /** Close every partition's queue (the connection stays open: it is the caller's). */
  async close(): Promise<void> {
    await Promise.all([...this.made.values()].map((q) => q.close()));
  }
}
