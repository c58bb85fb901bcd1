import http from 'node:http';
import https from 'node:https';
import type { CandidateError, RequestRecord, ResponseRecord } from '../records';
import { codedTransfer, decodeBody, headerMapOf, headerNamesOf, requestHeaderLines, serialiseQuery } from '../records';
import { BodyCapture } from './body-capture';
import type { ConnectionPool } from './connection-pool';
import type { RawCallbacks, RawHead, RawRequest } from './http1-wire';
import { requestBytes } from './request-bytes';
import type { Upstream } from './create-upstream';
import { networkError } from './error-kind';
import { dropListed, KEEP_TE_DROP, KEEP_TE_TRAILER_DROP, pairsOf, REQUEST_DROP } from './hop-by-hop';
import { armDeadline } from './response-deadline';

/**
 * A response's head as the backend wrote it, kept only for an upstream with `keepLines`
 * (one whose answers are served to clients): the status code, the reason phrase (`''`
 * when there was none), and the header lines `[name, value, ...]` (Node's `rawHeaders`:
 * casing, order and repeats as received). Never stored: records keep a header map.
 */
export interface ResponseLines {
  status: number;
  statusMessage: string;
  headerLines: string[];
  /** A chunked body's trailer lines `[name, value, ...]` as received (Node's `rawTrailers`); absent without any. */
  trailerLines?: string[];
}

export type SendOutcome = { response: ResponseRecord; lines?: ResponseLines } | { error: CandidateError };

/**
 * The request line target and the header lines a record is sent with: path plus the
 * raw query as recorded (`query` serialised only when the record has no `rawQuery`),
 * the recorded header lines one by one (repeated lines apart) where their value is
 * unchanged, names in their recorded casing and order (see `requestHeaderLines`),
 * hop-by-hop headers, the fields `Connection` lists (RFC 9110 section 7.6.1) and `expect` left out, `content-length` written from the body at its place, the record's Host
 * (or the upstream's when the record has none). A body in transfer codings besides `chunked`, or chunked with
 * trailers (`trailerLines`), keeps its `Transfer-Encoding` line (and `Trailer`, with trailers) as sent and gets no
 * Content-Length: it is chunked again, `trailers` after its last chunk.
 *
 * @example
 * outgoing(candidate, record).headers; // ['Host', 'shop.example', 'Accept', '*\/*', ...]
 */
export function outgoing(
  up: Pick<Upstream, 'url'>,
  req: RequestRecord,
  body: Buffer | null,
): { path: string; headers: string[]; trailers?: string[] } {
  const query = req.rawQuery ?? serialiseQuery(req.query);
  const path = `${basePath(up.url)}${req.path}${query}`;
  const trailers = req.trailerLines?.length && req.headers['transfer-encoding'] !== undefined ? req.trailerLines : undefined;
  if (trailers)
    return {
      path,
      headers: hostFirst(
        up,
        requestHeaderLines(req.headers, req.headerLines, req.headerNames, dropListed(KEEP_TE_TRAILER_DROP, req.headers)),
        req,
      ),
      trailers,
    };
  if (codedTransfer(req.headers) !== undefined)
    return {
      path,
      headers: hostFirst(up, requestHeaderLines(req.headers, req.headerLines, req.headerNames, dropListed(KEEP_TE_DROP, req.headers)), req),
    };
  // The body's length goes where the client had its content-length (or transfer-encoding).
  // The map is copied only when that changes it (a GET without a body leaves it as it is).
  const had = req.headers['content-length'];
  const length = body ? String(body.length) : had === '0' ? '0' : undefined;
  let map = req.headers;
  if (had !== length || (length === undefined && 'content-length' in map)) {
    map = { ...req.headers, 'content-length': length };
    if (length === undefined) delete map['content-length'];
  }
  const names = chunkedAsLength(req.headerNames, 1);
  const lines = chunkedAsLength(req.headerLines, 2);
  return { path, headers: hostFirst(up, requestHeaderLines(map, lines, names, dropListed(REQUEST_DROP, map)), req, lines, names) };
}

/**
 * The header lines (flat, `[name, value, ...]`), the Host line first when the record had
 * none of its own (`lines`/`names`: the record's, as possibly renamed). Moves the lines in place.
 */
function hostFirst(
  up: Pick<Upstream, 'url'>,
  flat: string[],
  req: RequestRecord,
  lines: readonly string[] | undefined = req.headerLines,
  names: readonly string[] | undefined = req.headerNames,
): string[] {
  // A record without a Host line of its own (a request read from a file) gets it first, as Node's client writes it.
  let at = -1;
  for (let i = 0; i + 1 < flat.length && at === -1; i += 2) if (isHost(flat[i])) at = i;
  let sentHost = false;
  if (lines) for (let i = 0; i < lines.length && !sentHost; i += 2) sentHost = isHost(lines[i]);
  else if (names) sentHost = names.some(isHost);
  if (at !== -1 && sentHost) return flat;
  const name = at === -1 ? 'host' : flat[at];
  const value = at === -1 ? up.url.host : flat[at + 1];
  if (at !== -1) flat.splice(at, 2);
  flat.unshift(name, value);
  return flat;
}

const isHost = (n: string) => n.length === 4 && n.toLowerCase() === 'host';

/** The upstream URL's path prefix without its trailing slash, worked out once per URL. */
const basePaths = new WeakMap<URL, string>();
function basePath(url: URL): string {
  let p = basePaths.get(url);
  if (p === undefined) basePaths.set(url, (p = url.pathname.replace(/\/$/, '')));
  return p;
}

/**
 * Names (`step` 1) or header lines (`step` 2, names at even places) with a
 * `transfer-encoding` name replaced by `Content-Length`; the same array when there is none.
 */
function chunkedAsLength(list: readonly string[] | undefined, step: 1 | 2): readonly string[] | undefined {
  if (!list) return list;
  let out: string[] | null = null;
  for (let i = 0; i < list.length; i += step) {
    const n = list[i];
    if (n.length !== 17 || n.toLowerCase() !== 'transfer-encoding') continue;
    out ??= [...list];
    out[i] = 'Content-Length';
  }
  return out ?? list;
}

/**
 * Send a recorded request to an upstream and record its response (bounded): through the
 * upstream's `ConnectionPool` for `http:`, Node's client for `https:` (the same bytes sent
 * and the same record either way). Never throws: connection errors, timeouts (the whole response within `timeoutMs`,
 * judged after reading what the socket already holds, so a late event loop is not blamed on the upstream: `armDeadline`),
 * protocol errors and bodies over the cap (the socket is closed at the cap) come
 * back as an `error` (kinds from `errorKind`).
 *
 * @example
 * const out = await sendRequest(candidate, { method: 'GET', path: '/x', query: {}, rawQuery: '', headers: {}, body: null });
 */
export function sendRequest(up: Upstream, req: RequestRecord): Promise<SendOutcome> {
  const started = performance.now();
  const body = req.body ? decodeBody(req.body) : null;
  const target = outgoing(up, req, body);
  if (up.pool) return sendPooled(up, up.pool, req.method, target, body, started);
  const lib = up.url.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const finish = (o: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(o);
    };
    const request = lib.request(
      {
        protocol: up.url.protocol,
        hostname: up.url.hostname,
        port: up.url.port,
        method: req.method,
        path: target.path,
        headers: target.headers,
        agent: up.agent,
      },
      (res) => {
        const capture = new BodyCapture(up.maxBodyBytes);
        res.on('data', (c: Buffer) => {
          capture.push(c);
          if (!capture.overCap) return;
          // Past the cap the body cannot be compared: stop reading instead of hashing megabytes.
          finish({ error: tooLarge(up) });
          request.destroy();
        });
        res.on('error', (e) => finish({ error: { kind: 'reset', message: e.message } }));
        res.on('aborted', () => finish({ error: { kind: 'reset', message: 'response aborted' } }));
        res.on('end', () =>
          finish({
            response: {
              status: res.statusCode ?? 0,
              headers: { ...res.headers },
              headerNames: headerNamesOf(res.rawHeaders),
              body: capture.record(),
              durationMs: performance.now() - started,
            },
            ...(up.keepLines
              ? {
                  lines: {
                    status: res.statusCode ?? 0,
                    statusMessage: res.statusMessage ?? '',
                    headerLines: res.rawHeaders,
                    ...(res.rawTrailers.length ? { trailerLines: res.rawTrailers } : {}),
                  },
                }
              : {}),
          }),
        );
      },
    );
    const timer = armDeadline(
      up.timeoutMs,
      () => {
        if (settled) return;
        finish({ error: timedOut(up) });
        request.destroy();
      },
      null,
    );
    request.on('error', (e: NodeJS.ErrnoException) => finish({ error: networkError(e) }));
    // Node writes them after the last chunk (the relayed lines say `chunked`), names and repeats as given.
    if (target.trailers) request.addTrailers(pairsOf(target.trailers));
    request.end(body ?? undefined);
  });
}

const tooLarge = (up: Upstream): CandidateError => ({
  kind: 'too_large',
  message: `response body larger than ${up.maxBodyBytes} bytes; not read further`,
});
const timedOut = (up: Upstream): CandidateError => ({ kind: 'timeout', message: `no complete response within ${up.timeoutMs} ms` });

/**
 * `sendRequest` over the upstream's `ConnectionPool`: the same outcomes as through Node's
 * client (the same bytes on the wire, the header map Node would build, the same error
 * kinds), with less work per request. Throws what Node's client throws for a head it
 * would refuse (see `requestBytes`), inside the promise.
 */
function sendPooled(
  up: Upstream,
  pool: ConnectionPool,
  method: string,
  target: { path: string; headers: string[]; trailers?: string[] },
  body: Buffer | null,
  started: number,
): Promise<SendOutcome> {
  return new Promise((done) => {
    const out = requestBytes(method, target.path, target.headers, body, target.trailers);
    const call = new PooledCall(up, started, done);
    call.request = pool.request(out.head, out.body, method === 'HEAD', call);
  });
}

/**
 * One request through the pool: its callbacks, the capture of its body and its timeout in
 * one object (no closure per callback, none for the timer), settled once.
 */
class PooledCall implements RawCallbacks {
  request: RawRequest | null = null;
  private readonly capture: BodyCapture;
  private status = 0;
  private statusMessage = '';
  private rawHeaders: string[] = [];
  private trailerLines: string[] | undefined;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly up: Upstream,
    private readonly started: number,
    private readonly done: (o: SendOutcome) => void,
  ) {
    this.capture = new BodyCapture(up.maxBodyBytes);
    this.timer = armDeadline(up.timeoutMs, timeOut, this);
  }

  head(h: RawHead): void {
    this.status = h.status;
    this.statusMessage = h.statusMessage;
    this.rawHeaders = h.rawHeaders;
  }

  trailer(name: string, value: string): void {
    if (this.up.keepLines) (this.trailerLines ??= []).push(name, value);
  }

  body(c: Buffer): void {
    if (this.settled) return;
    this.capture.push(c);
    if (!this.capture.overCap) return;
    // Past the cap the body cannot be compared: stop reading instead of hashing megabytes.
    this.finish({ error: tooLarge(this.up) });
    this.request?.cancel();
  }

  end(): void {
    this.finish({
      response: {
        status: this.status,
        headers: headerMapOf(this.rawHeaders),
        headerNames: headerNamesOf(this.rawHeaders),
        body: this.capture.record(),
        durationMs: performance.now() - this.started,
      },
      ...(this.up.keepLines
        ? {
            lines: {
              status: this.status,
              statusMessage: this.statusMessage,
              headerLines: this.rawHeaders,
              ...(this.trailerLines ? { trailerLines: this.trailerLines } : {}),
            },
          }
        : {}),
    });
  }

  fail(e: Error & { code?: string }): void {
    this.finish({ error: e.message === 'response aborted' ? { kind: 'reset', message: e.message } : networkError(e) });
  }

  /** The deadline passed (judged after the socket was read, see `armDeadline`): a timeout unless the call has ended. */
  timedOut(): void {
    if (this.settled) return;
    this.finish({ error: timedOut(this.up) });
    this.request?.cancel();
  }

  private finish(o: SendOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.done(o);
  }
}

const timeOut = (call: PooledCall) => call.timedOut();
