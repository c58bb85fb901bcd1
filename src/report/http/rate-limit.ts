import type { SignInFailures } from '../../store';
import { ApiError } from './api-errors';

/**
 * Counts failed sign-ins (and wrong tokens) per client address in fixed windows, in Redis
 * (see `SignInFailures`), so every process of `tandem serve --processes N` and every
 * instance sharing the deployment's Redis draw on one budget per address: after `max`
 * failures within `windowMs`, that address is refused until the window ends.
 *
 * Fails closed: a failure that cannot be counted (the store not open yet, its Redis
 * unreachable) is refused with 503, never answered as an uncounted 401, so a Redis outage
 * does not lift the limit. It costs nothing: a report that cannot reach Redis cannot show
 * anything anyway, and the right token is never counted, so it still signs in.
 *
 * @example
 * const limiter = new FailureLimiter(() => store.signInFailures, { max: 10, windowMs: 60_000 });
 * const wait = await limiter.fail(ip); // after a wrong token
 * if (wait) return res.set('retry-after', String(wait)).status(429).end();
 */
export class FailureLimiter {
  private readonly max: number;
  private readonly windowMs: number;

  /** `shared`: the deployment's failure counters, or null while the store is not open. */
  constructor(
    private readonly shared: () => SignInFailures | null,
    o: { max: number; windowMs: number },
  ) {
    this.max = o.max;
    this.windowMs = o.windowMs;
  }

  /**
   * Count one failure of `address`. Resolves to the seconds until it may try again when it
   * is over the limit (this failure beyond the `max` of its window), else 0. Rejects with a
   * 503 `ApiError` when the failure cannot be counted now.
   */
  async fail(address: string): Promise<number> {
    let counted: { failures: number; resetInMs: number };
    try {
      const shared = this.shared();
      if (!shared) throw new Error('the results store is not open yet');
      counted = await shared.count(address, this.windowMs);
    } catch (e) {
      throw new ApiError(503, `failed sign-ins cannot be counted now (${(e as Error).message}); try again once the report's Redis answers`);
    }
    return counted.failures > this.max ? Math.max(1, Math.ceil(counted.resetInMs / 1000)) : 0;
  }
}
