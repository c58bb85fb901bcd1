import { dataNodes, type RedisClient } from './redis-connection';

/**
 * What one new customer of a route can add to Redis (bytes, generous): two or three
 * fields of the route's `customers` hash, a `customerSet` member, its `exchangesByCustomer`
 * and `mismatchesByCustomer` indexes and its readiness window (key schema names). Every record adds it to the
 * estimate it checks against the budget, and over the budget a new customer gets no
 * state of its own (it is counted under the overflow customer), so per-customer state
 * is inside the budget like the records are.
 *
 * @example
 * await budget.over(recordBytes + NEW_CUSTOMER_BYTES);
 */
export const NEW_CUSTOMER_BYTES = 640;

/**
 * Watches Redis's `used_memory` against a budget. It reads `INFO memory` at most every
 * `everyMs` and, between two readings, adds the bytes about to be written, so a burst
 * of large records cannot overshoot before the next reading. From the high-water mark
 * (80% of the budget by default: the rest is headroom for writes in flight, whose
 * payloads Redis holds in its query buffers meanwhile) the store keeps counting results but stops storing
 * them in full.
 *
 * @example
 * const budget = new MemoryBudget(redis, 512 * 1024 * 1024);
 * if (await budget.over(json.length)) skipFullRecord();
 */
export class MemoryBudget {
  private usedBytes = 0;
  private pendingBytes = 0;
  private readAt = 0;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisClient,
    readonly budgetBytes: number,
    private readonly o: { everyMs?: number; highWater?: number } = {},
  ) {}

  /** `used_memory` as last read, plus what was written since (bytes). */
  get used(): number {
    return this.usedBytes + this.pendingBytes;
  }

  /**
   * True when Redis is at or above the high-water mark, counting `bytes` about to be
   * written. Those bytes are added to the estimate only when they fit. An unreadable
   * INFO leaves the last reading in place.
   */
  async over(bytes = 0): Promise<boolean> {
    if (this.readDue()) await this.read();
    return this.add(bytes);
  }

  /**
   * `over` without waiting, when it would not wait: its answer for `bytes` (added to the estimate
   * as `over` adds them), or undefined, adding nothing, when `INFO memory` is due (then call `over`).
   * Spares a record a promise and a turn of the event loop per exchange.
   */
  overNow(bytes = 0): boolean | undefined {
    return this.readDue() ? undefined : this.add(bytes);
  }

  private readDue(): boolean {
    return Date.now() - this.readAt >= (this.o.everyMs ?? 250);
  }

  private add(bytes: number): boolean {
    if (this.used + bytes >= this.budgetBytes * (this.o.highWater ?? 0.8)) return true;
    this.pendingBytes += bytes;
    return false;
  }

  private read(): Promise<void> {
    // On a cluster INFO goes to a random node: read every master, the fullest one counts.
    this.reading ??= Promise.all(dataNodes(this.redis).map((n) => n.info('memory')))
      .then((infos) => {
        const used = infos.map((info) => /^used_memory:(\d+)/m.exec(info)).filter((m) => m !== null);
        if (used.length) {
          this.usedBytes = Math.max(...used.map((m) => Number(m[1])));
          this.pendingBytes = 0;
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.readAt = Date.now();
        this.reading = null;
      });
    return this.reading;
  }
}
