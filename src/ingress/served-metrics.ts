import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServingBackend, TandemMetrics } from '../metrics';
import type { Logger } from '../log';
import { getState } from './exchange-state';

const ROUTE = Symbol('tandem.route');
const SERVED_BY = Symbol('tandem.servedBy');
const REQUEST_ID = Symbol('tandem.requestId');
type Marked = IncomingMessage & { [ROUTE]?: string; [SERVED_BY]?: ServingBackend; [REQUEST_ID]?: string };

/** Label used for requests that matched no configured route. */
export const UNMATCHED = '(unmatched)';

/**
 * Remember the route a request matched (for its metrics).
 *
 * @example
 * markRoute(req, route.name);
 */
export function markRoute(req: IncomingMessage, route: string): void {
  (req as Marked)[ROUTE] = route;
}

/**
 * Remember the request id a candidate-served request's backends get (the client's, or a
 * generated one), for its debug line; a shadowed request's is in its exchange state.
 *
 * @example
 * markRequestId(req, plan.requestId);
 */
export function markRequestId(req: IncomingMessage, id: string): void {
  (req as Marked)[REQUEST_ID] = id;
}

/**
 * Say which backend served the client (default legacy); for candidate-served routes.
 *
 * @example
 * markServedBy(req, 'candidate');
 */
export function markServedBy(req: IncomingMessage, backend: ServingBackend): void {
  (req as Marked)[SERVED_BY] = backend;
}

/**
 * Count the request and observe its serve time once the response has finished, or once
 * its client left (`tandem_requests_total`, `tandem_request_duration_seconds`). At debug level it also
 * logs one line per request with its request id. Two listeners per request.
 *
 * @example
 * observeServed(req, res, runtime.metrics, runtime.log);
 */
export function observeServed(req: IncomingMessage, res: ServerResponse, metrics: TandemMetrics, log: Logger): void {
  const started = performance.now();
  // `finish` for a response sent in full; `close` without it for a client that left first
  // (counted with the status it was sent, or `closed` before any): one count either way.
  res.once('finish', () => count(res.statusCode));
  res.once('close', () => res.writableFinished || count(res.headersSent ? res.statusCode : 'closed'));
  const count = (status: number | 'closed') => {
    const m = req as Marked;
    const route = m[ROUTE] ?? UNMATCHED;
    const backend = m[SERVED_BY] ?? 'legacy';
    const seconds = (performance.now() - started) / 1000;
    metrics.served(route, backend, status, seconds);
    if (log.isLevelEnabled('debug')) {
      log.debug(
        {
          requestId: m[REQUEST_ID] ?? getState(req)?.requestId ?? req.headers['x-request-id'],
          route,
          backend,
          method: req.method,
          status,
          ms: Math.round(seconds * 1000),
        },
        'request served',
      );
    }
  };
}
