import type { IncomingMessage } from 'node:http';
import type { Logger } from './logger';

/**
 * A child logger carrying the request id (and route), so every line about one request
 * can be found next to the backends' own logs, which get the same `x-request-id`.
 * Use it for errors and debug lines; requests are not logged at info.
 *
 * @example
 * requestLogger(log, { requestId: 'f3c1…', route: 'product' }).warn({ err: 'ECONNREFUSED' }, 'legacy did not answer');
 */
export function requestLogger(log: Logger, ctx: { requestId?: string; route?: string }): Logger {
  return log.child(ctx);
}

/**
 * The request id a request carries (`x-request-id`), if any.
 *
 * @example
 * requestIdOf(req); // 'f3c1…' or undefined
 */
export function requestIdOf(req: IncomingMessage): string | undefined {
  const v = req.headers['x-request-id'];
  return typeof v === 'string' ? v : undefined;
}
