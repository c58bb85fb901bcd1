import http from 'node:http';
import https from 'node:https';
import type { CandidateError, RequestRecord, ResponseRecord } from '../records';
import { decodeBody, headerMapOf, headerNamesOf } from '../records';
import { BodyCapture } from './body-capture';
import type { ConnectionPool } from './connection-pool';
import type { RawCallbacks, RawHead, RawRequest } from './http1-wire';
import { requestBytes } from './request-bytes';
import type { Upstream } from './create-upstream';
import { networkError } from './error-kind';
import { pairsOf } from './hop-by-hop';
import { outgoing } from './outgoing';
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
 * Send a recorded request to an upstream and record its response (bounded): through the
 * upstream's `ConnectionPool` (`http:` and `https:`), Node's client for an upstream without
 * one (the same bytes sent and the same record either way). `interim` gets each interim
 * (1xx) head the upstream sends before its final one (see `RawCallbacks.interim`). Never throws: connection errors, timeouts (the whole response within `timeoutMs`,
 * judged after reading what the socket already holds, so a late event loop is not blamed on the upstream: `armDeadline`),
 * protocol errors and bodies over the cap (the socket is closed at the cap) come
 * back as an `error` (kinds from `errorKind`).
 *
 * @example
 * const out = await sendRequest(candidate, { method: 'GET', path: '/x', query: {}, rawQuery: '', headers: {}, body: null });
 */
export function sendRequest(up: Upstream, req: RequestRecord, interim?: (h: RawHead) => void): Promise<SendOutcome> {
  const started = performance.now();
  const body = req.body ? decodeBody(req.body) : null;
  const target = outgoing(up, req, body);
  if (up.pool) return sendPooled(up, up.pool, req.method, target, body, started, interim);
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
    if (interim)
      request.on('information', (i) => interim({ status: i.statusCode, statusMessage: i.statusMessage, rawHeaders: i.rawHeaders }));
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
  interim?: (h: RawHead) => void,
): Promise<SendOutcome> {
  return new Promise((done) => {
    const out = requestBytes(method, target.path, target.headers, body, target.trailers);
    const call = new PooledCall(up, started, done, interim);
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
    private readonly onInterim?: (h: RawHead) => void,
  ) {
    this.capture = new BodyCapture(up.maxBodyBytes);
    this.timer = armDeadline(up.timeoutMs, timeOut, this);
  }

  interim(h: RawHead): void {
    if (!this.settled) this.onInterim?.(h);
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
