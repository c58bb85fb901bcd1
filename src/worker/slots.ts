/**
 * A counting semaphore: at most `n` holders at once, the others wait in order. It keeps
 * `worker.concurrency` one bound for all of a worker's partitions.
 *
 * @example
 * const slots = new Slots(4);
 * await slots.take();
 * try { await work(); } finally { slots.give(); }
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(n: number) {
    this.free = n;
  }

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push(go));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
