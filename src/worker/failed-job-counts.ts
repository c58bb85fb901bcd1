import type { Logger } from '../log';

/** One exchange of a failed job to count once: its route ('' when unknown) and the id its done marker is keyed by. */
export interface FailedEntry {
  route: string;
  id: string;
}

/** Failed jobs' exchanges held at most while their count cannot be written; beyond it they are logged as lost. */
export const MAX_FAILED_HELD = 100_000;

/**
 * The counts of failed jobs' exchanges (`dropped:job_failed`), never lost silently: a write
 * Redis does not take (connection lost, Redis refusing) is kept and sent again every
 * `intervalMs` until it is written. `write` is called with one route's entries at a time
 * (a route whose write fails holds back no other route). The write must count each entry
 * once however often it is sent (`ResultsStore.countOnce`: each exchange's done marker is set with its count), so
 * a write whose first attempt landed unseen counts nothing twice. Whatever is still held
 * when the worker stops (or beyond `max`) is logged as an error with how many.
 *
 * @example
 * const counts = new FailedJobCounts((e) => store.countOnce(e, 'dropped:job_failed'), log);
 * counts.add([{ route: 'product', id: exchange.id }]);
 * await counts.close(); // how many could not be counted
 */
export class FailedJobCounts {
  private pending: FailedEntry[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private failing = false;
  /** close() has logged what it could not write: later failures are logged as they come. */
  private reported = false;
  /** Entries of the write under way (taken out of `pending` until it settles). */
  private inFlight = 0;

  constructor(
    private readonly write: (entries: FailedEntry[]) => Promise<unknown>,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
    private readonly max = MAX_FAILED_HELD,
  ) {}

  /** Entries whose count is not written yet. */
  get unwritten(): number {
    return this.pending.length;
  }

  /**
   * Count `entries` (written at once, and again later until Redis takes them). What is held
   * and what is being written together stay within `max` (a write under way may fail and
   * come back): entries beyond it are logged as lost.
   */
  add(entries: FailedEntry[]): void {
    const room = this.max - this.pending.length - this.inFlight;
    if (entries.length > room) {
      this.log.error({ exchanges: entries.length - Math.max(0, room) }, 'failed job counts lost: too many waiting for Redis');
      entries = entries.slice(0, Math.max(0, room));
    }
    this.pending.push(...entries);
    void this.flush();
  }

  /**
   * Write what is held, one `write` call per route, so a route Redis refuses (a cluster
   * master away, a key of the wrong type) holds back only its own entries: those written
   * are dropped from what is held (they are counted), the others kept and sent again every
   * `intervalMs`. Resolves once this attempt settled; never rejects.
   */
  flush(): Promise<void> {
    if (this.writing) return this.writing;
    if (!this.pending.length) return Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    this.inFlight = batch.length;
    const byRoute = new Map<string, FailedEntry[]>();
    for (const e of batch) (byRoute.get(e.route) ?? byRoute.set(e.route, []).get(e.route)!).push(e);
    this.writing = Promise.all(
      [...byRoute.values()].map((group) =>
        this.write(group).then(
          () => [] as FailedEntry[],
          (e: unknown) => ({ group, e }),
        ),
      ),
    ).then((results) => {
      this.writing = null;
      this.inFlight = 0;
      const failed = results.filter((r): r is { group: FailedEntry[]; e: unknown } => !Array.isArray(r));
      if (!failed.length) {
        if (this.failing) this.log.info({ exchanges: batch.length }, 'failed job counts written after all');
        this.failing = false;
        if (this.pending.length) void this.flush();
        return;
      }
      const unwritten = failed.flatMap((f) => f.group);
      if (this.reported) {
        // A write after close() (a failed event of an abandoned worker's job): no retry left.
        this.log.error({ exchanges: unwritten.length }, 'failed job counts lost: Redis did not take them after the worker stopped');
        return;
      }
      this.pending = unwritten.concat(this.pending);
      if (!this.failing)
        this.log.warn(
          { err: (failed[0].e as Error)?.message, exchanges: this.pending.length },
          'failed job counts not written: sent again until Redis takes them',
        );
      this.failing = true;
      this.later();
    });
    return this.writing;
  }

  private later(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  /**
   * Stop retrying after a last write, within `withinMs` (default 800, under the worker's
   * 1 s close step, so the log below is written even when Redis does not answer: frozen,
   * partitioned, the command waiting on an open connection). Logs one error with how many
   * exchanges were not confirmed counted: `held` (never written: lost) plus `inFlight` (a
   * write sent and not answered by the deadline: it may still land, so they may or may not
   * be counted, never twice). Returns that total (0: everything written).
   *
   * @example
   * await closeStep(log, 'failed job counts', () => counts.close(800), 1000); // 0 when all written
   */
  async close(withinMs = 800): Promise<number> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      (async () => {
        await this.writing;
        await this.flush();
        await this.writing;
        return false;
      })(),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), withinMs)).unref()),
    ]);
    clearTimeout(timer);
    this.reported = true;
    const held = this.pending.length;
    const inFlight = late ? this.inFlight : 0;
    this.pending = [];
    if (held + inFlight)
      this.log.error(
        { exchanges: held + inFlight, held, inFlight },
        inFlight
          ? 'failed job counts not confirmed written before the worker stopped: held ones lost, in-flight ones may or may not be counted'
          : 'failed job counts lost: Redis did not take them before the worker stopped',
      );
    return held + inFlight;
  }
}
