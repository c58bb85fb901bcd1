import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { requestHeaderLines, type CandidateError, type Headers } from '../records';
import { hostFor, networkError, REQUEST_DROP, type Upstream } from '../upstream';
import { keepDraining } from './keep-draining';

/**
 * Send a client's request to legacy as the legacy proxy would (raw target, header
 * lines as sent (repeated lines apart), names' casing and order, Host per legacy's policy; `head.headers` already carries
 * `x-forwarded-*`, see `forwardedHeaders`) and hand back legacy's response paused,
 * with its body unread, so the caller decides whether to stream it to the client or
 * only keep a copy. The body is the buffered chunks, then `rest` when the request was
 * larger than the buffer. Never rejects; a socket idle for `timeoutMs` is a timeout.
 *
 * @example
 * const legacy = createUpstream(config.legacy.url, { timeoutMs: 30000, maxBodyBytes: 1 << 20, maxSockets: config.legacy.maxSockets });
 * const out = await callLegacy(legacy, { method: 'GET', url: '/products/1', headers: forwardedHeaders(req) }, { chunks: [] });
 * if ('res' in out) out.res.pipe(clientRes);
 */
export function callLegacy(
  t: Pick<Upstream, 'url' | 'agent' | 'timeoutMs' | 'host' | 'upstreamHost'>,
  head: { method: string; url: string; headers: Headers; headerNames?: string[]; headerLines?: string[] },
  body: { chunks: Buffer[]; rest?: Readable },
): Promise<{ res: http.IncomingMessage } | { error: CandidateError }> {
  const size = body.chunks.reduce((n, c) => n + c.length, 0);
  const hadBody = head.headers['content-length'] !== undefined || head.headers['transfer-encoding'] !== undefined;
  const map: Headers = { ...head.headers, host: hostFor(t, head.headers.host) };
  // A streamed rest keeps the client's content-length (or goes chunked); a buffered body gets its own, in place.
  if (!body.rest && (map['content-length'] !== undefined || size > 0 || hadBody)) map['content-length'] = String(size);
  // Node writes a flat [name, value, ...] array as given: repeated lines stay apart, in order.
  const headers = requestHeaderLines(map, head.headerLines, head.headerNames, REQUEST_DROP).flat();
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
    for (const c of body.chunks) out.write(c);
    if (body.rest) body.rest.pipe(out);
    else out.end();
  });
}
