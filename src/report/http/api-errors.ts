import type { NextFunction, Request, Response } from 'express';
import { TandemError } from '../../errors';
import type { Logger } from '../../log';

/**
 * A refusal of the report API itself (a bad parameter, no or wrong credentials, a
 * cross-site write, too many failed attempts, an unknown route or id, a dependency not
 * ready): thrown by a route or the auth gate, rendered by `apiErrorHandler`. Headers
 * that go with it (`retry-after`) are set on the response before it is thrown.
 *
 * @example
 * throw new ApiError(404, 'no stored mismatch with this id (it may have expired)');
 */
export class ApiError extends TandemError {
  /** Seconds for a `Retry-After` header, set by `apiErrorHandler` (a 503 that may pass soon). */
  readonly retryAfterS?: number;

  constructor(status: keyof typeof CODES, message: string, details?: Record<string, unknown>, o: { retryAfterS?: number } = {}) {
    super(CODES[status], message, { status, details });
    this.name = 'ApiError';
    this.retryAfterS = o.retryAfterS;
  }
}

/**
 * The 404 of an exchange id with no stored exchange record (`GET /exchanges/:id`, replay): true
 * whether its record expired or was trimmed, or was never stored (sampled out by
 * `retention.exchangesPerSecond`; a mismatch's is read from its mismatch record, which is always kept).
 */
export const NO_STORED_EXCHANGE =
  'no stored exchange with this id (its record expired or was trimmed, or was not in the stored sample: retention.exchangesPerSecond)';

const CODES = {
  400: 'ERR_TANDEM_API_BAD_REQUEST',
  401: 'ERR_TANDEM_API_UNAUTHORIZED',
  403: 'ERR_TANDEM_API_FORBIDDEN',
  404: 'ERR_TANDEM_API_NOT_FOUND',
  429: 'ERR_TANDEM_API_TOO_MANY_ATTEMPTS',
  503: 'ERR_TANDEM_API_UNAVAILABLE',
} as const;

/**
 * The one error handler of the report API: every error a route throws (or passes to
 * `next`) becomes one JSON answer.
 *
 * - a `TandemError` with a 4xx status (a bad filter or rule path, a busy rediff, a
 *   rollout refusal) or an `ApiError`: its `status`, `{ error: apiError, message, ...details }`
 *   (and `Retry-After` when the ApiError has `retryAfterS`);
 * - an express body-parser refusal (status below 500: bad JSON, too large):
 *   `{ error: 'bad_request', message }` with its status;
 * - anything else (a TandemError with a 5xx status included): 500 `{ error: 'internal',
 *   message }` without the error's text, which is logged instead with its `code`.
 *
 * A response already under way is cut off (its status line is gone); one already ended
 * (answered 503 by `redisWatchdog` while the route waited) is left as it is.
 *
 * @example
 * api.use(apiErrorHandler(rt.log)); // last, after every router
 */
export function apiErrorHandler(log: Pick<Logger, 'error'>) {
  return function reportErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
    // Already answered (a 503 of the Redis watchdog): the route's late error lands nowhere.
    if (res.writableEnded) return;
    if (res.headersSent) return void res.destroy();
    // A client error, or a refusal the API words itself (an ApiError, such as 503 while the queue is away).
    if (err instanceof TandemError && (err.status < 500 || err instanceof ApiError)) {
      if (err instanceof ApiError && err.retryAfterS !== undefined) res.set('retry-after', String(err.retryAfterS));
      return void res.status(err.status).json({ error: err.apiError, message: err.message, ...err.details });
    }
    const e = err as (Error & { status?: number; code?: unknown }) | undefined;
    if (!(err instanceof TandemError) && e?.status && e.status >= 400 && e.status < 500)
      return void res.status(e.status).json({ error: 'bad_request', message: e.message });
    log.error({ err: e?.message ?? String(err), code: err instanceof TandemError ? err.code : undefined }, 'report API error');
    res.status(500).json({ error: 'internal', message: 'the report API failed; see the Tandem log' });
  };
}
