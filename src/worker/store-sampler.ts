/**
 * Which compared exchanges get their raw exchange record stored (`exchange:<id>`), decided
 * in the worker process, before the comparison and whatever its class (so the stored
 * exchanges, and rediff's recount of them, stay an unbiased sample of the route).
 *
 * Per route, a token bucket of `capacity` tokens (`retention.exchangesPerRoute`, the most a
 * route keeps anyway), full at first and refilled at `perSecond` tokens a second
 * (`retention.exchangesPerSecond`): a burst of up to `capacity` exchanges is stored in full
 * (a quiet route, a test, a demo), sustained load about `perSecond` a second per route and
 * worker process. An exchange without a token is still counted in full; only its exchange
 * record is left out (counter `not_stored:sampled`, see the record script).
 *
 * Routes come from the config (bounded); the map holds one small entry per route seen.
 *
 * @example
 * const sampler = new StoreSampler({ capacity: 1000, perSecond: 50 });
 * sampler.take('product'); // true: store this exchange's record
 */
export class StoreSampler {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  /**
   * `capacity`: tokens per route at most (a whole number ≥ 1); `perSecond`: tokens added
   * per second (> 0; a very large number stores every exchange); `now`: the clock in ms
   * (default `Date.now`; injectable for tests). Throws a RangeError for values out of range.
   */
  constructor(private readonly o: { capacity: number; perSecond: number; now?: () => number }) {
    if (!(o.capacity >= 1)) throw new RangeError(`store sampler: capacity must be at least 1 (got ${o.capacity})`);
    if (!(o.perSecond > 0)) throw new RangeError(`store sampler: perSecond must be above 0 (got ${o.perSecond})`);
    this.now = o.now ?? Date.now;
  }

  /** Whether the next exchange of `route` has a token (its record is stored); takes it if so. */
  take(route: string): boolean {
    const now = this.now();
    let b = this.buckets.get(route);
    if (!b) this.buckets.set(route, (b = { tokens: this.o.capacity, at: now }));
    else if (now > b.at) {
      b.tokens = Math.min(this.o.capacity, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
