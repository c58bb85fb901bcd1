import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { codedTransfer, requestHeaderLines, type CandidateError, type Headers } from '../records';
import { dropListed, hostFor, KEEP_TE_TRAILER_DROP, networkError, pairsOf, REQUEST_DROP, type Upstream } from '../upstream';
import type { InterimHead } from './interim-heads';
import { keepDraining } from './keep-draining';

/**
 * Send a client's request to legacy as the legacy proxy would (raw target, header
 * lines as sent (repeated lines apart), names' casing and order, Host per legacy's policy; `head.headers` already carries
 * `x-forwarded-*`, see `forwardedHeaders`) and hand back legacy's response paused,
 * with its body unread, so the caller decides whether to stream it to the client or
 * only keep a copy. The body is the buffered chunks, then `rest` when the request was
 * larger than the buffer. `interim` gets each of legacy's interim (1xx) heads (for a legacy serving the client). A chunked body's trailers (`head.trailerLines`, or the rest's `rawTrailers` as it
 * ends) go after its last chunk, its Transfer-Encoding and Trailer lines as sent; so does a body in transfer codings besides chunked (`gzip, chunked`), in them. Never rejects; a socket idle for `timeoutMs` is a timeout.
 *
 * @example
 * const legacy = createUpstream(config.legacy.url, { timeoutMs: 30000, maxBodyBytes: 1 << 20, maxSockets: config.legacy.maxSockets });
 * const out = await callLegacy(legacy, { method: 'GET', url: '/products/1', headers: forwardedHeaders(req) }, { chunks: [] });
 * if ('res' in out) out.res.pipe(clientRes);
 */
export function callLegacy(
  t: Pick<Upstream, 'url' | 'agent' | 'timeoutMs' | 'host' | 'upstreamHost'>,
  head: { method: string; url: string; headers: Headers; headerNames?: string[]; headerLines?: string[]; trailerLines?: string[] },
  body: { chunks: Buffer[]; rest?: Readable & { rawTrailers?: string[] } },
  interim?: (h: InterimHead) => void,
): Promise<{ res: http.IncomingMessage } | { error: CandidateError }> {
  const size = body.chunks.reduce((n, c) => n + c.length, 0);
  const hadBody = head.headers['content-length'] !== undefined || head.headers['transfer-encoding'] !== undefined;
  const map: Headers = { ...head.headers, host: hostFor(t, head.headers.host) };
  // A chunked body with trailers (or streamed, its trailers read at its end) goes chunked, its Transfer-Encoding and
  // Trailer lines as sent, the trailers after its last chunk.
  const te = head.headers['transfer-encoding'] !== undefined;
  const trailers = te && !body.rest && head.trailerLines?.length ? head.trailerLines : undefined;
  // So does a buffered body in transfer codings besides chunked (`gzip, chunked`): held de-chunked, still in them.
  const relayTe = te && (trailers !== undefined || body.rest !== undefined || codedTransfer(head.headers) !== undefined);
  // A streamed rest keeps the client's content-length (or goes chunked); a buffered body gets its own, in place.
  if (!relayTe && !body.rest && (map['content-length'] !== undefined || size > 0 || hadBody)) map['content-length'] = String(size);
  // Node writes a flat [name, value, ...] array as given: repeated lines stay apart, in order.
  const headers = requestHeaderLines(
    map,
    head.headerLines,
    head.headerNames,
    dropListed(relayTe ? KEEP_TE_TRAILER_DROP : REQUEST_DROP, map),
  );
  const lib = t.url.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const finish = (o: { res: http.IncomingMessage } | { error: CandidateError }) => {
      if (settled) return;
      settled = true;
      done(o);
    };
    const out = lib.request(
      {
        protocol: t.url.protocol,
        hostname: t.url.hostname,
        port: t.url.port,
        method: head.method,
        path: `${t.url.pathname.replace(/\/$/, '')}${head.url}`,
        headers,
        agent: t.agent,
      },
      (res) => (keepDraining(out), finish({ res })),
    );
    out.setTimeout(t.timeoutMs, () => {
      finish({ error: { kind: 'timeout', message: `legacy sent nothing for ${t.timeoutMs} ms` } });
      out.destroy(new Error('legacy timeout'));
    });
    out.on('error', (e: NodeJS.ErrnoException) => finish({ error: networkError(e) }));
    if (interim) out.on('information', (i) => interim({ status: i.statusCode, statusMessage: i.statusMessage, rawHeaders: i.rawHeaders }));
    // Node writes them after the last chunk (the relayed lines say `chunked`), names, casing and repeats as given.
    if (trailers) out.addTrailers(pairsOf(trailers));
    for (const c of body.chunks) out.write(c);
    const rest = body.rest;
    // Added as the rest ends, before the pipe ends the request (a listener registered first runs first).
    if (rest && relayTe)
      rest.once('end', () => {
        if (rest.rawTrailers?.length) out.addTrailers(pairsOf(rest.rawTrailers));
      });
    if (rest) rest.pipe(out);
    else out.end();
  });
}
