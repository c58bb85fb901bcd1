import type { ExchangeRecord } from '../records';
import { packRuns } from './job-data';
import type { PartitionedQueue } from './partitions';

/**
 * What a job counts for against `queue.maxBacklog` at least, however few exchanges it
 * holds: the pack size the cap was sized for when it counted jobs (5,000 jobs of 16). A
 * queue of lone exchanges then holds no more jobs than before (each costs Redis about
 * 1.4 KB of its own beside the exchange), and one of full packs no more exchanges.
 */
export const JOB_FLOOR = 16;

/**
 * What a job of `exchanges` exchanges counts for against the backlog cap (see `JOB_FLOOR`).
 *
 * @example
 * backlogCost(64); // 64
 * backlogCost(3); // 16
 */
export function backlogCost(exchanges: number): number {
  return Math.max(exchanges, JOB_FLOOR);
}

/**
 * Caps what waits in the queue (`queue.maxBacklog`), so a dead or slow worker cannot grow
 * Redis without bound (and then starve the counters and results of memory), whatever the
 * packs hold: the cap is in exchanges, a job counting as at least `JOB_FLOOR` (see
 * `backlogCost`), so larger packs never let more wait. At most every `everyMs` it reads
 * the queue's job count (waiting, delayed, prioritized, waiting-children) and counts each
 * job as a full pack of `packSize` (every producer of a deployment packs with the same
 * `queue.packSize`); only when that reaches the cap, and fewer jobs wait than the cap
 * allows, does it count the exchanges themselves, from the job ids
 * (`PartitionedQueue.exchanges`): partial packs (moderate load) then fill the cap too.
 * Between readings it adds what was queued since. What is beyond the cap is dropped and
 * counted by the producer.
 *
 * @example
 * const guard = new BacklogGuard(80_000, 64);
 * const room = await guard.room(queues); // what may be added now, in `backlogCost` units
 * const { runs: fitting, cost, over } = fitPacks(runs, 64, room);
 * guard.added(cost);
 */
export class BacklogGuard {
  private known = 0;
  private readAt = 0;

  constructor(
    /** Exchanges allowed to wait (each job counted as at least `JOB_FLOOR`). */
    readonly max: number,
    /** Exchanges a job holds at most (the producer's `queue.packSize`). */
    private readonly packSize: number,
    private readonly everyMs = 1000,
  ) {}

  /** What may be added now, in `backlogCost` units (at most as many exchanges). Rejects when the queue cannot be read. */
  async room(queues: Pick<PartitionedQueue, 'count' | 'exchanges'>): Promise<number> {
    if (Date.now() - this.readAt >= this.everyMs) {
      const jobs = await queues.count();
      const most = jobs * backlogCost(this.packSize);
      // Every job counts for JOB_FLOOR at least and packSize at most: only in between are its ids read.
      this.known = most <= this.max || jobs * JOB_FLOOR >= this.max ? most : await queues.exchanges(JOB_FLOOR);
      this.readAt = Date.now();
    }
    return Math.max(0, this.max - this.known);
  }

  /** Record `cost` (`backlogCost` units) added since the last reading. */
  added(cost: number): void {
    this.known += cost;
  }
}

/**
 * What of `runs` (the runs the producer packs, see `packRuns`) fits in `room`
 * (`backlogCost` units): whole packs, run after run, until one does not fit; of that one
 * its start, when that fits; nothing after it. Each run kept is a start of the run given, so packing it gives the same
 * packs (and job ids). `over` holds the exchanges left out, `cost` what the kept ones count for.
 *
 * @example
 * fitPacks([exchanges], 64, 100).runs[0].length; // 100 of 150: a pack of 64, then one of 36
 */
export function fitPacks(
  runs: ExchangeRecord[][],
  packSize: number,
  room: number,
): { runs: ExchangeRecord[][]; cost: number; over: ExchangeRecord[] } {
  const kept: ExchangeRecord[][] = [];
  const over: ExchangeRecord[] = [];
  let cost = 0;
  let full = false;
  for (const run of runs) {
    let n = 0;
    for (const pack of full ? [] : packRuns(run, packSize)) {
      // A pack that does not fit whole goes as its start, when that fits (a job costs JOB_FLOOR at least).
      const take = Math.min(pack.length, room - cost);
      if (take <= 0 || cost + backlogCost(take) > room) {
        full = true;
        break;
      }
      cost += backlogCost(take);
      n += take;
      if (take < pack.length) {
        full = true;
        break;
      }
    }
    if (n) kept.push(run.slice(0, n));
    over.push(...run.slice(n));
  }
  return { runs: kept, cost, over };
}
