import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServableResponse } from '../rollout';
import { headerNamesOf, orderedHeaders } from '../records';
import { BUFFERED_RESPONSE_DROP, dropListed, RESPONSE_DROP, type BodyCapture } from '../upstream';
import { writableStatus, writeLegacyHead } from './legacy-response-head';

/** Which backend produced a response, as the served-by header says it. */
export type ServedBy = 'legacy' | 'candidate' | 'legacy-fallback';

/**
 * Write a whole response (status, headers in their names' casing and order, bytes;
 * no body for HEAD) with the served-by header.
 *
 * @example
 * writeServable(res, { status: 200, headers: { 'content-type': 'application/json' }, body }, 'x-served-by', 'candidate', false);
 */
export function writeServable(res: ServerResponse, r: ServableResponse, header: string | false, servedBy: ServedBy, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  for (const [k, v] of orderedHeaders(r.headers, r.headerNames, dropListed(head ? RESPONSE_DROP : BUFFERED_RESPONSE_DROP, r.headers)))
    res.setHeader(k, v);
  if (!head) res.setHeader('content-length', r.body.length);
  if (header) res.setHeader(header, servedBy);
  res.writeHead(r.status);
  res.end(head ? undefined : r.body);
}

/**
 * How streaming legacy's response to the client ended: `ended` (legacy's body was read
 * in full), `legacy_error` (legacy broke off) or `client_closed` (the client's
 * connection closed first; legacy's response is dropped).
 */
export type PipeOutcome = 'ended' | 'legacy_error' | 'client_closed';

/**
 * Stream legacy's response to the client as legacy wrote it (status line, header lines
 * one by one, trailers; see `writeLegacyHead`), the served-by header first, less its
 * connection options (RFC 9110 section 7.6.1), keeping a bounded copy of the body in
 * `capture` (when given). Resolves with how it ended (see `PipeOutcome`),
 * always: a client that is gone (or goes) stops the stream at once instead of leaving
 * it paused until legacy's timeout.
 *
 * @example
 * if ((await pipeLegacy(res, legacyRes, capture, 'x-served-by', 'legacy-fallback')) === 'ended') keep(capture);
 */
export function pipeLegacy(
  res: ServerResponse,
  from: IncomingMessage,
  capture: BodyCapture | null,
  header: string | false,
  servedBy: ServedBy,
): Promise<PipeOutcome> {
  if (res.destroyed) return (from.destroy(), Promise.resolve('client_closed'));
  // A status Node cannot write (099): no answer to relay, legacy failed (writeHead threw).
  if (!res.headersSent && !writableStatus(from.statusCode)) {
    from.destroy();
    writeError(res, 502, 'legacy_unavailable', `legacy answered status ${from.statusCode}`, header, servedBy);
    return Promise.resolve('legacy_error');
  }
  if (!res.headersSent) {
    // Legacy's head line for line, and its trailers (see writeLegacyHead); set by name only where Node's map cannot be unset.
    if (header) res.setHeader(header, servedBy);
    if (!writeLegacyHead(res.req, res, from)) {
      for (const [k, v] of orderedHeaders(from.headers, headerNamesOf(from.rawHeaders), dropListed(RESPONSE_DROP, from.headers)))
        res.setHeader(k, v);
      res.writeHead(from.statusCode ?? 502, from.statusMessage);
    }
  }
  return new Promise((done) => {
    if (capture) from.on('data', (c: Buffer) => capture.push(c));
    from.on('end', () => done('ended'));
    from.on('error', () => (res.destroy(), done('legacy_error')));
    from.on('aborted', () => (res.destroy(), done('legacy_error')));
    res.once('close', () => {
      if (res.writableFinished) return;
      done('client_closed');
      from.destroy();
    });
    from.pipe(res);
  });
}

/**
 * Keep a bounded copy of a response body nobody is served (legacy, for comparison).
 * Resolves true when it ended, false when it broke off.
 *
 * @example
 * const ok = await drainInto(legacyRes, capture);
 */
export function drainInto(from: IncomingMessage, capture: BodyCapture): Promise<boolean> {
  return new Promise((done) => {
    from.on('data', (c: Buffer) => capture.push(c));
    from.on('end', () => done(true));
    from.on('error', () => done(false));
    from.on('aborted', () => done(false));
  });
}

/**
 * Answer with a JSON error (e.g. 502 when no backend could answer), with the served-by header.
 *
 * @example
 * writeError(res, 504, 'candidate_timeout', 'the candidate did not answer within 2000 ms', 'x-served-by', 'candidate');
 */
export function writeError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  header: string | false,
  servedBy: ServedBy,
): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(JSON.stringify({ error, message }));
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', body.length);
  if (header) res.setHeader(header, servedBy);
  res.writeHead(status);
  res.end(body);
}
