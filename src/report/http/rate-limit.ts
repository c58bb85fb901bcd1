import type { SignInFailures } from '../../store';
import { ApiError } from './api-errors';
import { addressGroup } from './address-group';
import { addressList } from './address-list';
import { CHECK_RETRY_AFTER_S, REDIS_CHECK_TIMEOUT_MS, withinDeadline } from './redis-deadline';

/**
 * Limits sign-in attempts (the sign-in form and a token presented to the API) per client
 * address group (an IPv4 address, an IPv6 /64: see `addressGroup`) in fixed windows, in Redis (see `SignInFailures`), so every process of
 * `tandem serve --processes N` and every instance sharing the deployment's Redis draw on
 * one budget per address: after `max` failures within `windowMs`, that address is locked
 * out until the window ends. Locked out means every attempt is refused, the right token
 * too, and answered exactly as a wrong one is: a guess beyond the limit tells nothing, so
 * guessing cannot go on at full speed. A success clears nothing: failures go when their window
 * ends (an operator's typo or two do not add up over the day), so a script polling with
 * the right token from an attacker's address does not refill the attacker's budget.
 *
 * Addresses the operator lists in `report.lockoutExempt` (their own hosts) are never
 * counted nor locked out: sharing an address or a /64 with a guesser would otherwise let
 * the guesser keep them out for as long as it keeps guessing.
 *
 * Fails closed: an attempt that cannot be checked (the store not open yet during the start,
 * its Redis unreachable, or not answering within `REDIS_CHECK_TIMEOUT_MS`) is refused with
 * 503 and `Retry-After: CHECK_RETRY_AFTER_S`, right token or wrong, so a Redis outage neither lifts
 * the limit nor turns sign-in into an unlimited right-or-wrong oracle. It costs nothing: a
 * report that cannot reach Redis cannot show anything anyway.
 *
 * @example
 * const limiter = new FailureLimiter(() => store.signInFailures, { max: 10, windowMs: 60_000 });
 * const right = sameSecret(given, token); // constant time, always computed
 * const wait = await limiter.attempt(ip, right);
 * if (wait) return res.set('retry-after', String(wait)).status(429).end(); // locked: right or not
 */
export class FailureLimiter {
  private readonly limit: { max: number; windowMs: number };

  private readonly exempt: (address: string) => boolean;

  /**
   * `shared`: the deployment's failure counters, or null while the store is not open.
   * `exempt`: addresses and ranges never counted nor locked out (`report.lockoutExempt`; see `addressList`).
   */
  constructor(
    private readonly shared: () => SignInFailures | null,
    o: { max: number; windowMs: number; exempt?: readonly string[] },
  ) {
    this.limit = { max: o.max, windowMs: o.windowMs };
    this.exempt = addressList(o.exempt ?? []);
  }

  /**
   * Settle one attempt of `address` (counted as its `addressGroup`) whose token was right
   * (`ok`) or wrong. Resolves to the seconds until it may try again (≥ 1) when the address
   * is locked out — the attempt is then refused whatever `ok` says — else 0: go on by the
   * token (a failure has been counted; a success counts and clears nothing). Rejects with a
   * 503 `ApiError` (with `retryAfterS`) when the attempt cannot be checked now, Redis
   * silent past `REDIS_CHECK_TIMEOUT_MS` included. An exempt address resolves to 0 at
   * once: nothing is counted or read, so Redis being away does not refuse it either.
   */
  async attempt(address: string, ok: boolean): Promise<number> {
    if (this.exempt(address)) return 0;
    let settled: { locked: boolean; resetInMs: number };
    try {
      const shared = this.shared();
      if (!shared) throw new Error('the results store is not open yet');
      settled = await withinDeadline(shared.attempt(addressGroup(address), ok, this.limit), REDIS_CHECK_TIMEOUT_MS, 'the sign-in check');
    } catch (e) {
      throw new ApiError(
        503,
        `sign-in attempts cannot be checked now (${(e as Error).message}); try again once the report's Redis answers`,
        undefined,
        { retryAfterS: CHECK_RETRY_AFTER_S },
      );
    }
    return settled.locked ? Math.max(1, Math.ceil(settled.resetInMs / 1000)) : 0;
  }
}
