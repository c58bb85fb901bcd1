/**
 * Limits how fast and how many at once: starts are spaced `1/rate` seconds apart
 * (rate 0: no spacing) and at most `concurrency` run together.
 *
 * @example
 * const pacer = new Pacer(50, 8);
 * const release = await pacer.acquire();
 * try { await send(); } finally { release(); }
 */
export class Pacer {
  private running = 0;
  private next = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly rate: number,
    private readonly concurrency: number,
  ) {
    if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
    if (!(rate >= 0)) throw new Error('rate must be 0 (unlimited) or more');
  }

  /** Wait for a free slot and the next start time; call the returned function when done. */
  async acquire(): Promise<() => void> {
    while (this.running >= this.concurrency) await new Promise<void>((r) => this.waiters.push(r));
    this.running++;
    if (this.rate > 0) {
      const now = performance.now();
      const at = Math.max(now, this.next);
      this.next = at + 1000 / this.rate;
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.waiters.splice(0).forEach((w) => w());
    };
  }

  /** Resolves when nothing runs. */
  async drain(): Promise<void> {
    while (this.running > 0) await new Promise<void>((r) => this.waiters.push(r));
  }
}
