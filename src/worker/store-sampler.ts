import { performance } from 'node:perf_hooks';

/**
 * Which compared exchanges get their raw exchange record stored (`exchange:<id>`), decided
 * in the worker process, before the comparison and whatever its class (so the stored
 * exchanges, and rediff's recount of them, stay an unbiased sample of the route).
 *
 * Per route, a token bucket of `capacity` tokens (`retention.exchangesPerRoute`, the most a
 * route keeps anyway), full at first and refilled at `perSecond` tokens a second
 * (`retention.exchangesPerSecond`): a burst of up to `capacity` exchanges is stored in full
 * (a quiet route, a test, a demo), sustained load about `perSecond` a second per route and
 * worker process. A pack's exchanges of one route are taken together (`takeMany`); when the
 * bucket holds fewer tokens than the pack has exchanges, its newest exchanges get them (the
 * store's trim keeps the newest `capacity` records too, so a quiet route with packs larger than
 * `capacity` keeps the same records as before sampling). A rate that refills the whole bucket
 * within a millisecond (`perSecond >= 1000 * capacity`; `1e9` always) is unlimited: every
 * exchange gets a token, as before this setting. An exchange without a token is still counted
 * in full; only its exchange record is left out (counter `not_stored:sampled`, see the record
 * script). Tokens taken for exchanges that turn out to store nothing (already recorded, or a
 * pack that fails and comes back) are given back (`giveBack`).
 *
 * The clock is monotonic (`performance.now()`): a wall clock stepped back (NTP, a VM resumed)
 * neither stalls nor floods the buckets. A clock that does go back (an injected one) adds no
 * token and restarts the refill from its new time.
 *
 * Routes come from the config (bounded); the map holds one small entry per route seen.
 *
 * @example
 * const sampler = new StoreSampler({ capacity: 1000, perSecond: 50 });
 * sampler.take('product'); // true: store this exchange's record
 * sampler.takeMany('product', 16); // 16: store all 16 of this pack's exchanges of the route
 */
export class StoreSampler {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  /**
   * `capacity`: tokens per route at most (a whole number ≥ 1); `perSecond`: tokens added
   * per second (> 0; a very large number stores every exchange); `now`: a clock in ms
   * (default `performance.now()`, monotonic; injectable for tests). Throws a RangeError for
   * values out of range.
   */
  constructor(private readonly o: { capacity: number; perSecond: number; now?: () => number }) {
    if (!(o.capacity >= 1)) throw new RangeError(`store sampler: capacity must be at least 1 (got ${o.capacity})`);
    if (!(o.perSecond > 0)) throw new RangeError(`store sampler: perSecond must be above 0 (got ${o.perSecond})`);
    this.now = o.now ?? (() => performance.now());
  }

  /** A rate that refills the whole bucket within a millisecond: every exchange has a token. */
  get unlimited(): boolean {
    return this.o.perSecond / 1000 >= this.o.capacity;
  }

  /** Whether the next exchange of `route` has a token (its record is stored); takes it if so. */
  take(route: string): boolean {
    return this.takeMany(route, 1) === 1;
  }

  /**
   * Tokens for `n` (≥ 0) exchanges of `route` arriving together (one pack's): how many of
   * them have one (their records are stored); takes that many.
   */
  takeMany(route: string, n: number): number {
    if (this.unlimited) return n;
    const now = this.now();
    let b = this.buckets.get(route);
    if (!b) this.buckets.set(route, (b = { tokens: this.o.capacity, at: now }));
    else {
      // a clock gone back adds nothing and refills from its new time on: it never stalls for the step
      if (now > b.at) b.tokens = Math.min(this.o.capacity, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
      b.at = now;
    }
    const granted = Math.max(0, Math.min(n, Math.floor(b.tokens)));
    b.tokens -= granted;
    return granted;
  }

  /**
   * Give back `n` tokens of `route` taken for exchanges that stored no record after all (already
   * recorded: a job sent or run again; or a pack that failed and will be retried), up to a full bucket.
   */
  giveBack(route: string, n = 1): void {
    const b = this.buckets.get(route);
    if (b && n > 0) b.tokens = Math.min(this.o.capacity, b.tokens + n);
  }
}
