import { performance } from 'node:perf_hooks';
import type { ExchangeRecord } from '../records';
import type { RecordOutcome } from '../store';

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

/**
 * Run `run` on a pack with its store tokens taken (`takeTokens`; `sampledOut[i]`: exchange i has
 * none, taken before the comparison whatever its class, so the stored exchanges are an unbiased
 * sample). A token is held until `run` reports its exchange counted (`counted(i, outcome)`): one
 * whose exchange was already recorded (`'duplicate'`: a batch sent again, a job retried after its
 * reply was lost) is given back, and so is every token still held when `run` throws (a lost
 * connection: the job comes back and takes them again). Rejects with `run`'s error.
 */
export async function withStoreTokens(
  sampler: StoreSampler,
  exchanges: ExchangeRecord[],
  run: (sampledOut: boolean[], counted: (i: number, outcome: RecordOutcome) => void) => Promise<void>,
): Promise<void> {
  const held = takeTokens(sampler, exchanges);
  const giveBack = (i: number) => {
    if (held[i]) sampler.giveBack(exchanges[i].route);
    held[i] = false;
  };
  try {
    await run(
      held.map((h) => !h),
      (i, outcome) => (outcome === 'duplicate' ? giveBack(i) : (held[i] = false)),
    );
  } catch (e) {
    exchanges.forEach((_, i) => giveBack(i));
    throw e;
  }
}

/**
 * Tokens for a pack's exchanges, taken route by route (`StoreSampler.takeMany`): for each
 * exchange, whether it has one. Short of tokens, a route's newest exchanges of the pack (the
 * last) get them: the ones the store's trim would keep.
 */
export function takeTokens(sampler: StoreSampler, exchanges: ExchangeRecord[]): boolean[] {
  const perRoute = new Map<string, number>();
  for (const ex of exchanges) perRoute.set(ex.route, (perRoute.get(ex.route) ?? 0) + 1);
  const without = new Map<string, number>();
  for (const [route, n] of perRoute) without.set(route, n - sampler.takeMany(route, n));
  return exchanges.map((ex) => {
    const left = without.get(ex.route)!;
    without.set(ex.route, left - 1);
    return left <= 0;
  });
}

/**
 * The worker's `StoreSampler` from the retention settings: per route a burst of
 * `exchangesPerRoute` exchange records, then `exchangesPerSecond` a second; null (every
 * exchange record stored) without retention settings (a partial config), without `exchangesPerSecond`,
 * or with a rate that refills the bucket within a millisecond (`StoreSampler.unlimited`: `1e9`).
 *
 * @example
 * storeSamplerOf({ exchangesPerRoute: 1000, exchangesPerSecond: 50 }); // a StoreSampler
 */
export function storeSamplerOf(retention: { exchangesPerRoute?: number; exchangesPerSecond?: number } | undefined): StoreSampler | null {
  if (!retention?.exchangesPerRoute || !retention.exchangesPerSecond) return null;
  const sampler = new StoreSampler({ capacity: retention.exchangesPerRoute, perSecond: retention.exchangesPerSecond });
  return sampler.unlimited ? null : sampler;
}
