import type { Queue } from 'bullmq';

/**
 * Caps the jobs waiting in the queue, so a dead or slow worker cannot grow Redis without
 * bound (and then starve the counters and results of memory). It reads the queue's
 * count (waiting, delayed, prioritized) at most every `everyMs` and adds what was
 * queued since; exchanges beyond the cap are dropped and counted by the producer.
 *
 * @example
 * const guard = new BacklogGuard(100_000);
 * const room = await guard.room(queue); // jobs that may be added now
 * guard.added(room);
 */
export class BacklogGuard {
  private known = 0;
  private readAt = 0;

  constructor(
    readonly max: number,
    private readonly everyMs = 1000,
  ) {}

  /** How many jobs may be added now. Rejects when the queue cannot be read. */
  async room(queue: Pick<Queue, 'count'>): Promise<number> {
    if (Date.now() - this.readAt >= this.everyMs) {
      this.known = await queue.count();
      this.readAt = Date.now();
    }
    return Math.max(0, this.max - this.known);
  }

  /** Record `n` jobs added since the last reading. */
  added(n: number): void {
    this.known += n;
  }
}
