import type { ExchangeRecord } from '../records';
import { packRuns } from './job-data';
import type { PartitionedQueue } from './partitions';

/** What may wait in the queue, or be added to it: jobs and exchanges (`Infinity` for no bound). */
export interface Backlog {
  jobs: number;
  exchanges: number;
}

/**
 * Caps what waits in the queue, so a dead or slow worker cannot grow Redis without bound
 * (and then starve the counters and results of memory): `queue.maxBacklog` jobs and
 * `queue.maxBacklogExchanges` exchanges, all partitions together, both applying. The job
 * cap bounds lone exchanges (each job costs Redis about 1.4 KB of its own), the exchange cap
 * full packs, so larger packs let no more wait. At most every `everyMs` it reads the queue's
 * job count (waiting, delayed, prioritized, waiting-children) and counts each job as a full
 * pack of `packSize` (every producer of a deployment packs with the same `queue.packSize`);
 * only when that could reach the exchange cap (and the job cap is not reached) does it count
 * the exchanges themselves from the job ids (`PartitionedQueue.exchanges`, a bounded number of
 * ids, extrapolated beyond). Between readings it adds what was queued since. What is beyond
 * the cap is dropped and counted by the producer.
 *
 * @example
 * const guard = new BacklogGuard({ jobs: 5000, exchanges: 80_000 }, 64);
 * const room = await guard.room(queues); // { jobs, exchanges } that may be added now
 * const { runs: fitting, cost, over } = fitPacks(runs, 64, room);
 * guard.added(cost);
 */
export class BacklogGuard {
  private known: Backlog = { jobs: 0, exchanges: 0 };
  private readAt = 0;

  constructor(
    /** Jobs and exchanges allowed to wait. */
    readonly max: Backlog,
    /** Exchanges a job holds at most (the producer's `queue.packSize`). */
    private readonly packSize: number,
    private readonly everyMs = 1000,
  ) {}

  /** What may be added now, in jobs and exchanges. Rejects when the queue cannot be read. */
  async room(queues: Pick<PartitionedQueue, 'count' | 'exchanges'>): Promise<Backlog> {
    if (Date.now() - this.readAt >= this.everyMs) {
      const jobs = await queues.count();
      const most = jobs * this.packSize;
      // Every job holds one exchange at least and packSize at most: only in between, under the job cap, are its ids read.
      const read = most >= this.max.exchanges && jobs < this.max.exchanges && jobs < this.max.jobs;
      this.known = { jobs, exchanges: read ? await queues.exchanges(jobs) : most };
      this.readAt = Date.now();
    }
    return { jobs: Math.max(0, this.max.jobs - this.known.jobs), exchanges: Math.max(0, this.max.exchanges - this.known.exchanges) };
  }

  /** Record what was added since the last reading. */
  added(cost: Backlog): void {
    this.known = { jobs: this.known.jobs + cost.jobs, exchanges: this.known.exchanges + cost.exchanges };
  }
}

/**
 * What of `runs` (the runs the producer packs, see `packRuns`) fits in `room`: whole packs
 * only, run after run, until one does not fit (in jobs or in exchanges); nothing after it.
 * The cut falls only between the packs `packRuns` makes, so each run kept packs into the
 * same jobs (and job ids) as the whole run does. `over` holds the exchanges left out, `cost`
 * what the kept ones add.
 *
 * @example
 * fitPacks([exchanges], 64, { jobs: 10, exchanges: 100 }).runs[0].length; // 64 of 150: one whole pack
 */
export function fitPacks(
  runs: ExchangeRecord[][],
  packSize: number,
  room: Backlog,
): { runs: ExchangeRecord[][]; cost: Backlog; over: ExchangeRecord[] } {
  const kept: ExchangeRecord[][] = [];
  const over: ExchangeRecord[] = [];
  const cost: Backlog = { jobs: 0, exchanges: 0 };
  let full = false;
  for (const run of runs) {
    let n = 0;
    for (const pack of full ? [] : packRuns(run, packSize)) {
      if (cost.jobs + 1 > room.jobs || cost.exchanges + pack.length > room.exchanges) {
        full = true;
        break;
      }
      cost.jobs += 1;
      cost.exchanges += pack.length;
      n += pack.length;
    }
    if (n) kept.push(run.slice(0, n));
    over.push(...run.slice(n));
  }
  return { runs: kept, cost, over };
}
