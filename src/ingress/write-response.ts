import { validateHeaderName, validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ServableResponse } from '../rollout';
import { headerNamesOf, lowerName, orderedHeaders, type Headers } from '../records';
import { dropListed, pairsOf, RESPONSE_DROP, type BodyCapture } from '../upstream';
import { writableStatus, writeHeadLines, writeLegacyHead } from './legacy-response-head';

/** Which backend produced a response, as the served-by header says it. */
export type ServedBy = 'legacy' | 'candidate' | 'legacy-fallback';

/**
 * Write a whole response (status, headers in their names' casing and order, bytes;
 * no body for HEAD) with the served-by header last. With `r.wire` (the candidate's head
 * as written) the response is relayed, not rebuilt: its reason phrase while the status
 * is unchanged, and its header lines one by one (casing, order, repeated lines apart)
 * for every name whose value is unchanged, `Content-Length` included when the body's
 * length is; a name whose value changed (a translator's, a hidden candidate address) is
 * written from `r.headers` at its first line's place, names new to the head after the
 * lines. Hop-by-hop fields and the fields `Connection` lists are left out either way
 * (RFC 9110 section 7.6.1). With `r.trailers` (the body is the candidate's own) and
 * trailer lines it sent, an HTTP/1.1 client gets the body chunked, with the candidate's
 * `Trailer` line and, after the last chunk, its trailer lines as written (RFC 9112
 * section 7.1.2); an HTTP/1.0 client, a HEAD request or a trailer Node cannot write
 * gets the body with its length, without them.
 *
 * @example
 * writeServable(res, { status: 200, headers: { 'content-type': 'application/json' }, body }, 'x-served-by', 'candidate', false);
 */
export function writeServable(res: ServerResponse, r: ServableResponse, header: string | false, servedBy: ServedBy, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  // Content-Length is the bytes written (a HEAD answer keeps the one it was given).
  // 204 and 304 have no body to chunk (Node throws on a Trailer line there).
  const trailers =
    !head && r.trailers && r.wire && r.status !== 204 && r.status !== 304 ? writableTrailers(res, r.wire.lines.trailerLines) : null;
  const drop = dropListed(trailers ? TRAILER_KEPT : RESPONSE_DROP, r.headers);
  const headers = head
    ? r.headers
    : trailers
      ? { ...r.headers, ...(r.wire!.headers.trailer !== undefined ? { trailer: r.wire!.headers.trailer } : {}) }
      : { ...r.headers, 'content-length': String(r.body.length) };
  if (r.wire) {
    const lines = servedLines(r.wire.lines.headerLines, r.wire.headers, headers, r.headerNames, drop);
    if (header) lines.push(header, servedBy);
    const reason = r.status === r.wire.lines.status && isReason(r.wire.lines.statusMessage) ? r.wire.lines.statusMessage : undefined;
    if (writeHeadLines(res, r.status, reason, lines)) {
      // Node chunks a body without a length to an HTTP/1.1 client, and writes these after its last chunk.
      if (trailers) res.addTrailers(pairsOf(trailers));
      return void res.end(head ? undefined : r.body);
    }
  }
  for (const [k, v] of orderedHeaders(headers, r.headerNames, drop)) res.setHeader(k, v);
  if (header) res.setHeader(header, servedBy);
  if (trailers) res.addTrailers(pairsOf(trailers));
  res.writeHead(r.status);
  res.end(head ? undefined : r.body);
}

/** `RESPONSE_DROP` less `trailer`: the candidate's Trailer line announces the trailers served. */
const TRAILER_KEPT: ReadonlySet<string> = new Set([...RESPONSE_DROP].filter((n) => n !== 'trailer'));

/** The trailer lines to serve after a chunked body, or null: none, an HTTP/1.0 client (no chunks), or one Node cannot write. */
function writableTrailers(res: ServerResponse, lines: string[] | undefined): string[] | null {
  if (!lines?.length || res.req?.httpVersion === '1.0') return null;
  try {
    for (let i = 0; i + 1 < lines.length; i += 2) {
      validateHeaderName(lines[i]);
      validateHeaderValue(lines[i], lines[i + 1]);
    }
  } catch {
    return null;
  }
  return lines;
}

/** A reason phrase Node writes as given: not empty, no control characters (RFC 9112 section 4: HTAB, SP, VCHAR, obs-text). */
const isReason = (s: string) => s.length > 0 && !/[^\t\x20-\x7e\x80-\xff]/.test(s);

/** A header value as one string, to compare (a `set-cookie` array line by line). */
const flatValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : v);

/**
 * The head's lines `[name, value, ...]`: `raw`'s lines for names whose value in `served`
 * equals the one read from them (`rawMap`), `served`'s value(s) at the first line of a
 * changed name, then names `raw` does not have; `drop` and names `served` lacks left out.
 */
function servedLines(
  raw: readonly string[],
  rawMap: Headers,
  served: Headers,
  names: string[] | undefined,
  drop: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const seen = new Map<string, boolean>();
  const push = (name: string, v: string | string[]) => {
    for (const x of Array.isArray(v) ? v : [v]) out.push(name, x);
  };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = lowerName(raw[i]);
    const v = served[lower];
    if (v === undefined || drop.has(lower)) continue;
    let same = seen.get(lower);
    if (same === undefined) {
      same = flatValue(rawMap[lower]) === flatValue(v);
      seen.set(lower, same);
      if (!same) push(raw[i], v);
    }
    if (same) out.push(raw[i], raw[i + 1]);
  }
  for (const [k, v] of orderedHeaders(served, names, drop)) if (!seen.has(lowerName(k))) push(k, v);
  return out;
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
