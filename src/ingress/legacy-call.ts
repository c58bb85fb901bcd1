import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { CandidateError, Headers } from '../records';
import { HOP_BY_HOP, type Upstream } from '../shadow';

/**
 * Send a client's request to legacy as the legacy proxy would (client headers and
 * Host kept, `x-forwarded-*` added) and hand back legacy's response paused, with its
 * body unread, so the caller decides whether to stream it to the client or only
 * keep a copy. The body is the buffered chunks, then `rest` when the request was
 * larger than the buffer. Never rejects; a socket idle for `timeoutMs` is a timeout.
 *
 * @example
 * const legacy = createUpstream(config.legacy.url, { timeoutMs: 30000, maxBodyBytes: 1 << 20, maxSockets: 512 });
 * const out = await callLegacy(legacy, { method: 'GET', url: '/products/1', headers: req.headers, remote: '127.0.0.1' }, { chunks: [] });
 * if ('res' in out) out.res.pipe(clientRes);
 */
export function callLegacy(
  t: Pick<Upstream, 'url' | 'agent' | 'timeoutMs'>,
  head: { method: string; url: string; headers: Headers; remote?: string; encrypted?: boolean },
  body: { chunks: Buffer[]; rest?: Readable },
): Promise<{ res: http.IncomingMessage } | { error: CandidateError }> {
  const headers: Headers = {};
  for (const [k, v] of Object.entries(head.headers)) if (v !== undefined && !HOP_BY_HOP.includes(k)) headers[k] = v;
  const append = (name: string, v: string) => (headers[name] = headers[name] ? `${String(headers[name])},${v}` : v);
  if (head.remote) append('x-forwarded-for', head.remote.replace(/^::ffff:/, ''));
  append('x-forwarded-proto', head.encrypted ? 'https' : 'http');
  if (head.headers.host) append('x-forwarded-host', String(head.headers.host));
  const size = body.chunks.reduce((n, c) => n + c.length, 0);
  const hadBody = head.headers['content-length'] !== undefined || head.headers['transfer-encoding'] !== undefined;
  if (!body.rest && (size > 0 || hadBody)) headers['content-length'] = String(size);
  const lib = t.url.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const finish = (o: { res: http.IncomingMessage } | { error: CandidateError }) => {
      if (settled) return;
      settled = true;
      done(o);
    };
    const out = lib.request(
      { protocol: t.url.protocol, hostname: t.url.hostname, port: t.url.port, method: head.method, path: `${t.url.pathname.replace(/\/$/, '')}${head.url}`, headers, agent: t.agent },
      (res) => finish({ res }),
    );
    out.setTimeout(t.timeoutMs, () => {
      finish({ error: { kind: 'timeout', message: `legacy sent nothing for ${t.timeoutMs} ms` } });
      out.destroy(new Error('legacy timeout'));
    });
    out.on('error', (e: NodeJS.ErrnoException) =>
      finish({ error: { kind: e.code === 'ECONNREFUSED' ? 'connect' : e.code === 'ECONNRESET' ? 'reset' : 'protocol', message: `${e.code ?? 'error'}: ${e.message}` } }),
    );
    for (const c of body.chunks) out.write(c);
    if (body.rest) body.rest.pipe(out);
    else out.end();
  });
}
