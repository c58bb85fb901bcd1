import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { TandemConfig } from '../config';
import { mediaType, requestHeaderLines } from '../records';
import { keepEveryHeaderLine, LEGACY_REQUEST_DROP, pairsOf } from '../upstream';
import { dropResponseOptions } from './connection-options';
import { isChunked, writableStatus, writeLegacyHead } from './legacy-response-head';
import { consumedBody } from './consumed-body';
import { getState, settle } from './exchange-state';
import { addForwarded } from './forwarded';
import { relayInterim } from './interim-heads';
import { keepDraining } from './keep-draining';
import { onQueuedResponseGone } from './queued-response';
import { upgradeAnswered } from './upgrade-answer';
import { writeError } from './write-response';

export interface LegacyProxyHooks {
  /** Called once legacy's response has been streamed to the client in full (at most once per exchange, never after `onSkip`). */
  onExchangeComplete(req: http.IncomingMessage, res: http.ServerResponse, proxyRes: http.IncomingMessage): void;
  /** Called when the exchange is not shadowed after all (`event_stream`, `legacy_error`, `body_already_read`, `client_closed`); at most once, never after `onExchangeComplete`. */
  onSkip(req: http.IncomingMessage, reason: string): void;
  /** Legacy could not be reached or failed mid-response (the client gets the proxy's 502/504). */
  onError?(req: http.IncomingMessage, err: Error & { code?: string }): void;
  /** A body parser in front of Tandem read a body that cannot be rebuilt; the client got a 500 saying so. */
  onRefused?(req: http.IncomingMessage, message: string): void;
}

/**
 * The primary path: http-proxy-middleware streaming to legacy over keep-alive
 * sockets. The request goes as the client sent it: raw target (path and query
 * bytes), header lines in their casing and order, repeated lines apart (`x-forwarded-*` and, when
 * shadowed, `x-request-id` added), Host per `legacy.host`, body streamed. Status,
 * headers (names' casing and order kept) and body come back untouched. For requests
 * being shadowed it also tees request and response chunks into bounded captures;
 * nothing is parsed here. Capture and the request id do not depend on http-proxy's
 * `proxyReq` event (not emitted for `Expect: 100-continue`). A body already read by
 * a body parser in front is sent again (see `consumedBody`).
 *
 * @example
 * const proxy = createLegacyProxy(config, { onExchangeComplete, onSkip });
 */
export function createLegacyProxy(
  config: Pick<TandemConfig, 'legacy'>,
  hooks: LegacyProxyHooks,
): RequestHandler & { close(): void; watch(req: http.IncomingMessage, res: http.ServerResponse): void } {
  const target = new URL(config.legacy.url);
  const Agent = target.protocol === 'https:' ? https.Agent : http.Agent;
  // Legacy's answer reaches the client with every header line (Node's client keeps about 1,000).
  const agent = keepEveryHeaderLine(
    new Agent({
      keepAlive: true,
      maxSockets: config.legacy.maxSockets,
      maxFreeSockets: Math.ceil(config.legacy.maxSockets / 2),
    }),
  );
  const changeOrigin = config.legacy.host === 'upstream';
  /** legacy.url's path, joined to the request target as the candidate's client joins it (`/base` + `/x`). */
  const basePath = target.pathname.replace(/\/$/, '');
  /** Nothing to compare when legacy failed: counted once as `skipped:legacy_error`. */
  const legacyFailed = (req: http.IncomingMessage) => {
    const state = getState(req);
    if (!state || !settle(state)) return;
    state.skip = 'legacy_error';
    hooks.onSkip(req, 'legacy_error');
  };
  /** Runs right before http-proxy's `stream` pass, for every request, Expect or not. */
  const relay = (req: http.IncomingMessage, res: http.ServerResponse, options: { buffer?: Readable; ssl?: object }): boolean => {
    const consumed = consumedBody(req);
    if (consumed && !Buffer.isBuffer(consumed)) {
      hooks.onRefused?.(req, consumed.error);
      const refused = getState(req);
      if (refused && settle(refused)) hooks.onSkip(req, (refused.skip = 'body_already_read'));
      writeError(res, 500, 'body_already_read', consumed.error, false, 'legacy');
      return true;
    }
    if (consumed) {
      options.buffer = Readable.from(consumed.length ? [consumed] : []);
      if (consumed.length || req.headers['content-length'] !== undefined) req.headers['content-length'] = String(consumed.length);
      delete req.headers['transfer-encoding'];
    } else if (req.headers['transfer-encoding'] !== undefined) relayTrailers(req);
    // This hop's x-forwarded-* (http-proxy's `xfwd` took the port from the client's Host).
    addForwarded(req.headers, req);
    const state = getState(req);
    if (state) {
      req.headers['x-request-id'] = state.requestId;
      if (consumed) state.requestBody.push(consumed);
      else if (req.headers['content-length'] !== '0' && (req.headers['content-length'] || req.headers['transfer-encoding'])) {
        req.on('data', (c: Buffer) => state.requestBody.push(c));
      }
    }
    // http-proxy builds the outgoing request from a seed object (`options.ssl`) and `req.headers`;
    // a seed whose `headers` reads as the exact header lines makes Node write them as given:
    // the client's lines one by one (repeats apart), in order and casing, then what Tandem added.
    // Node adds no Host to lines given as an array: a client without one (HTTP/1.0) gets legacy's, as before.
    const headers = changeOrigin || req.headers.host === undefined ? { ...req.headers, host: target.host } : req.headers;
    // The target as sent: http-proxy would join it to legacy.url's path with url.parse and
    // urlJoin, which turn `\` into `/` and collapse `//` (the candidate gets the bytes as sent).
    // `OPTIONS *` (the asterisk form) is relayed as `*`: it names the server, not a path under legacy.url's.
    const path = req.url?.startsWith('/') ? basePath + req.url : req.url === '*' ? '*' : undefined;
    options.ssl = withHeaderLines(options.ssl, requestHeaderLines(headers, req.rawHeaders, undefined, LEGACY_REQUEST_DROP), path);
    return false;
  };
  const proxy = createProxyMiddleware({
    target: config.legacy.url,
    agent,
    // Never `ws: true`: http-proxy-middleware would then subscribe its own upgrade listener to the
    // server on the first request, beside Tandem's (see `serveUpgradesOn`), and an h2c offer would
    // be proxied as a WebSocket by it while Tandem serves it as a plain request: the client got an
    // empty reply. Tandem's handler calls `proxy.upgrade` for WebSocket handshakes only.
    ws: false,
    // Every request Tandem hands it goes to legacy: the default filter wants a leading `/`, so
    // `OPTIONS *` was answered 404 by Tandem itself (labelled as served by legacy).
    pathFilter: () => true,
    // x-forwarded-* are added by `relay` (by the upgrade handler for WebSocket handshakes): see `addForwarded`.
    xfwd: false,
    changeOrigin,
    preserveHeaderKeyCase: true,
    proxyTimeout: config.legacy.timeoutMs,
    // Observe errors through a plugin: an `on.error` handler would replace http-proxy-middleware's
    // error response, and a client whose legacy is down would then wait forever instead of getting 502/504.
    plugins: [
      (proxyServer) => proxyServer.on('error', (err, req) => (upgradeAnswered(req, 502), legacyFailed(req), hooks.onError?.(req, err))),
      (proxyServer) => {
        // http-proxy's own `after()` inserts before the named pass, so place it before `stream` by hand.
        const passes = (proxyServer as unknown as { webPasses: { name: string }[] }).webPasses;
        // `deleteLength` adds content-length: 0 to DELETE and OPTIONS (dropping a chunked body): relay them as sent.
        const added = passes.findIndex((p) => p.name === 'deleteLength');
        if (added !== -1) passes.splice(added, 1);
        const at = passes.findIndex((p) => p.name === 'stream');
        if (at === -1) throw new Error('http-proxy has no "stream" pass; request fidelity cannot be kept');
        if (!SEED_CARRIES_LINES)
          throw new Error('http-proxy no longer builds the outgoing request from its options.ssl seed; request fidelity cannot be kept');
        passes.splice(at, 0, relay);
      },
    ],
    on: {
      // Legacy's interim heads (103 Early Hints, 102) reach the client as legacy wrote them (http-proxy drops them).
      proxyReq: (proxyReq, req, res) =>
        void proxyReq.on('information', (i) =>
          relayInterim(req, res, { status: i.statusCode, statusMessage: i.statusMessage, rawHeaders: i.rawHeaders }),
        ),
      // A WebSocket handshake's final status, for tandem_requests_total (errors: the 'error' plugin above).
      proxyReqWs(proxyReq, req) {
        proxyReq.once('upgrade', () => upgradeAnswered(req, 101));
        proxyReq.once('response', (r: http.IncomingMessage) => upgradeAnswered(req, r.statusCode ?? 502));
      },
      proxyRes(proxyRes, req, res) {
        // A status Node cannot write (099) is no answer to relay: 502, as for a legacy that failed (writeHead threw, uncaught).
        if (!writableStatus(proxyRes.statusCode)) {
          legacyFailed(req);
          proxyRes.pipe = <T extends NodeJS.WritableStream>(to: T): T => to;
          proxyRes.resume();
          return writeError(res, 502, 'legacy_unavailable', `legacy answered status ${proxyRes.statusCode}`, false, 'legacy');
        }
        // Node throws writing a Trailer line on a body it does not chunk (an HTTP/1.0 client's, legacy's with a length).
        if (req.httpVersion === '1.0' || !isChunked(proxyRes.headers['transfer-encoding'])) delete proxyRes.headers.trailer;
        // Legacy's head as legacy wrote it, line by line (http-proxy, which sets it by name, then writes nothing).
        writeLegacyHead(req, res, proxyRes);
        // Legacy's connection options stay on its hop (RFC 9110 section 7.6.1), for http-proxy when it writes the head too.
        dropResponseOptions(proxyRes.headers);
        // Legacy may answer before the body has all arrived: the rest still reaches it (see keepDraining).
        keepDraining((proxyRes as http.IncomingMessage & { req: http.ClientRequest }).req);
        // Legacy died mid-body: close the client's connection so it sees the cut instead of waiting forever.
        proxyRes.once('aborted', () => (legacyFailed(req), res.destroy()));
        const state = getState(req);
        if (!state) return;
        if (mediaType(proxyRes.headers['content-type']) === 'text/event-stream') {
          if (settle(state)) hooks.onSkip(req, (state.skip = 'event_stream'));
          return;
        }
        proxyRes.on('data', (c: Buffer) => state.responseBody.push(c));
        state.answered = true;
        res.once('finish', () => {
          const complete = () => settle(state) && hooks.onExchangeComplete(req, res, proxyRes);
          if (req.readableEnded) return void complete();
          // Legacy answered before the whole request body arrived (a handler that ignores it): the
          // shadow copy is the request as sent, so it waits for the rest, still streaming to legacy.
          // Node emits nothing on a request whose response is done when its connection closes: watch the socket.
          const socket = req.socket;
          const stop = () => (req.off('end', ended), req.off('close', gone), socket?.off('close', gone));
          const ended = () => (stop(), complete());
          const gone = () => (stop(), !req.readableEnded && settle(state) && hooks.onSkip(req, (state.skip = 'client_closed')));
          req.once('end', ended);
          req.once('close', gone);
          socket?.once('close', gone);
        });
      },
    },
  });
  /**
   * Give a shadowed exchange an outcome however its client's connection ends. Call it as the
   * request arrives (before anything awaits, so the close cannot be missed). A connection that
   * closes before legacy's response reached the client in full (the client hung up, or Node's
   * parser answered 400 to bytes after the request, as for a GET whose body had neither
   * Content-Length nor Transfer-Encoding) is `skipped:client_closed`: legacy's answer was not
   * delivered, so there is nothing to compare; so is one whose client never finished sending a
   * body legacy answered before reading. A response that finished without being legacy's
   * (Tandem's own error answer) is `skipped:legacy_error`.
   */
  const watch = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const state = getState(req);
    if (!state) return;
    res.once('close', () => {
      // Legacy's answer, finished: its exchange ends when the request body has (see `proxyRes`).
      if (res.writableFinished && state.answered) return;
      if (settle(state)) hooks.onSkip(req, (state.skip = res.writableFinished ? 'legacy_error' : 'client_closed'));
    });
    // A pipelined request's response, queued behind another: the connection's close ends it.
    onQueuedResponseGone(req, res, () => settle(state) && hooks.onSkip(req, (state.skip = 'client_closed')));
  };
  return Object.assign(proxy, { close: () => agent.destroy(), watch });
}

/**
 * Have the trailers of a chunked request body (Node reads them into `req.rawTrailers` as
 * the body ends) reach legacy as sent: names' casing, order and repeated lines. http-proxy
 * pipes the body into its request, which the pipe ends without them. The one pipe it
 * makes is caught, and the trailers added to its destination just before the pipe ends it
 * (an `end` listener registered first runs first). Node writes them after the last chunk
 * of a request whose relayed lines say `chunked`.
 */
function relayTrailers(req: http.IncomingMessage): void {
  const pipe = req.pipe;
  req.pipe = function relayed<T extends NodeJS.WritableStream>(this: http.IncomingMessage, dest: T, opts?: { end?: boolean }): T {
    req.pipe = pipe;
    if (dest instanceof http.ClientRequest) {
      const to: http.ClientRequest = dest;
      req.once('end', () => {
        if (req.rawTrailers.length) to.addTrailers(pairsOf(req.rawTrailers));
      });
    }
    return pipe.call(this, dest, opts) as T;
  };
}

/**
 * A copy of http-proxy's seed for the outgoing request options whose `headers` always
 * reads as `lines` (`[name, value, name, value, ...]`, which Node writes as given). http-proxy
 * assigns a copy of `req.headers` to it and, under `changeOrigin`, a Host (both ignored:
 * the lines already hold the Host per `legacy.host`); Node's `http.request` then copies
 * the options and gets the lines. With `path`, the request target reads as it too (http-proxy's
 * own join of the target would rewrite it).
 */
function withHeaderLines(seed: object | undefined, lines: string[], path?: string): object {
  const out = Object.defineProperty({ ...seed }, 'headers', {
    enumerable: true,
    configurable: true,
    get: () => lines,
    set: () => undefined,
  });
  if (path === undefined) return out;
  return Object.defineProperty(out, 'path', { enumerable: true, configurable: true, get: () => path, set: () => undefined });
}

/** Whether the installed http-proxy still fills in (and hands to Node) the `options.ssl` seed it is given, with our lines and target. */
const SEED_CARRIES_LINES = (() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const common = require('http-proxy/lib/http-proxy/common') as {
    setupOutgoing(o: object, opts: object, req: object): { headers: unknown; path: unknown };
  };
  const lines = ['X-Probe', '1'];
  const out = common.setupOutgoing(
    withHeaderLines({}, lines, '//a\\b'),
    { target: new URL('http://probe.invalid') },
    { headers: { a: '1' }, url: '//a\\b', method: 'GET' },
  );
  const copy = { ...out };
  return copy.headers === lines && copy.path === '//a\\b';
})();
