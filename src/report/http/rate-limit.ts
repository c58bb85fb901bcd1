/**
 * Counts failed sign-ins (and wrong tokens) per client address in fixed windows:
 * after `max` failures within `windowMs`, that address is refused until the window ends.
 * Memory is bounded: at most `maxEntries` addresses are tracked (oldest windows go first).
 *
 * @example
 * const limiter = new FailureLimiter({ max: 10, windowMs: 60_000 });
 * if (limiter.retryAfterSeconds(ip, Date.now())) return res.status(429).end();
 * if (!ok) limiter.fail(ip, Date.now());
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(o: { max: number; windowMs: number; maxEntries?: number }) {
    this.max = o.max;
    this.windowMs = o.windowMs;
    this.maxEntries = o.maxEntries ?? 10_000;
  }

  /** Seconds until this address may try again; 0 when it may now. */
  retryAfterSeconds(address: string, now: number): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    if (now - w.start >= this.windowMs) {
      this.windows.delete(address);
      return 0;
    }
    return w.failures >= this.max ? Math.ceil((w.start + this.windowMs - now) / 1000) : 0;
  }

  fail(address: string, now: number): void {
    const w = this.windows.get(address);
    if (w && now - w.start < this.windowMs) {
      w.failures++;
      return;
    }
    this.windows.delete(address);
    if (this.windows.size >= this.maxEntries) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(address, { start: now, failures: 1 });
  }
}
