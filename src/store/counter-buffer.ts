/**
 * A sink wrote part of a batch: `unwritten` holds the counts it did not write (on a
 * Redis Cluster each route's counters are a transaction of their own, so some can fail
 * while others are written).
 *
 * @example
 * throw new UnwrittenCounts('one master away', new Map([['product', new Map([['seen', 3]])]]));
 */
export class UnwrittenCounts extends Error {
  constructor(
    message: string,
    readonly unwritten: Map<string, Map<string, number>>,
  ) {
    super(message);
  }
}

/**
 * Counts in memory and flushes to a sink every interval, so the request path never
 * waits on Redis. A failed flush keeps the counts for the next one (bounded by the
 * number of distinct route/field pairs, which the config bounds); a sink that wrote part
 * of a batch throws `UnwrittenCounts`, and only those are kept.
 *
 * @example
 * const counters = new CounterBuffer((batch) => store.addCounters(batch), 1000);
 * counters.add('products', 'seen');
 */
export class CounterBuffer {
  private pending = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly sink: (batch: Map<string, Map<string, number>>) => Promise<void>,
    intervalMs = 1000,
    /** Sees every count as it is added (e.g. Prometheus counters); not re-called when a failed flush is merged back. */
    private readonly onAdd?: (route: string, field: string, n: number) => void,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Add `n` to `field` of `route` (route '' for global counters). */
  add(route: string, field: string, n = 1): void {
    this.onAdd?.(route, field, n);
    this.keep(route, field, n);
  }

  private keep(route: string, field: string, n: number): void {
    let fields = this.pending.get(route);
    if (!fields) this.pending.set(route, (fields = new Map()));
    fields.set(field, (fields.get(field) ?? 0) + n);
  }

  /**
   * Write what is pending; on failure the counts are merged back. Resolves once everything
   * counted before the call was written (or merged back): with a flush already under way,
   * after it and then after a flush of what was counted meanwhile.
   */
  flush(): Promise<void> {
    // After the write under way, whatever flush is then under way (or a new one) holds what was counted meanwhile.
    if (this.flushing) return this.flushing.then(() => this.flushing ?? this.flushNow());
    return this.flushNow();
  }

  private flushNow(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.sink(batch)
      .catch((e: unknown) => {
        const back = e instanceof UnwrittenCounts ? e.unwritten : batch;
        for (const [route, fields] of back) for (const [f, n] of fields) this.keep(route, f, n);
      })
      .finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Counts held in memory, not written to Redis yet (after `close()`: what was lost). */
  get unflushed(): number {
    let n = 0;
    for (const fields of this.pending.values()) for (const v of fields.values()) n += v;
    return n;
  }

  /** Stop the timer and make a last flush. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
