import http from 'node:http';
import https from 'node:https';
import type { CandidateError, Headers, RequestRecord, ResponseRecord } from '../records';
import { decodeBody } from '../records';
import { BodyCapture } from './body-capture';

/** Where and how to send: a base URL with its keep-alive agent. */
export interface Upstream {
  url: URL;
  agent: http.Agent;
  timeoutMs: number;
  maxBodyBytes: number;
}

/**
 * An upstream with a keep-alive agent of `maxSockets` connections.
 *
 * @example
 * const candidate = createUpstream('http://127.0.0.1:3002', { timeoutMs: 2000, maxBodyBytes: 1 << 20, maxSockets: 64 });
 */
export function createUpstream(base: string, o: { timeoutMs: number; maxBodyBytes: number; maxSockets: number }): Upstream {
  const url = new URL(base);
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  return { url, timeoutMs: o.timeoutMs, maxBodyBytes: o.maxBodyBytes, agent: new Agent({ keepAlive: true, maxSockets: o.maxSockets, maxFreeSockets: o.maxSockets }) };
}

/** Connection-level headers that must not be forwarded (content-length is recomputed). */
export const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length'];

export type SendOutcome = { response: ResponseRecord } | { error: CandidateError };

/**
 * Send a recorded request to an upstream and record its response (bounded). Never
 * throws: connection errors, timeouts, protocol errors and bodies over the cap (the
 * socket is closed at the cap) come back as an `error`.
 *
 * @example
 * const out = await sendRequest(candidate, { method: 'GET', path: '/x', query: {}, headers: {}, body: null });
 */
export function sendRequest(up: Upstream, req: RequestRecord): Promise<SendOutcome> {
  const started = performance.now();
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
  const qs = query.toString();
  const basePath = up.url.pathname.replace(/\/$/, '');
  const body = req.body ? decodeBody(req.body) : null;
  const headers: Headers = { ...req.headers, host: up.url.host };
  for (const h of HOP_BY_HOP) delete headers[h];
  if (body) headers['content-length'] = String(body.length);
  const lib = up.url.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const finish = (o: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(o);
    };
    const outgoing = lib.request(
      { protocol: up.url.protocol, hostname: up.url.hostname, port: up.url.port, method: req.method, path: `${basePath}${req.path}${qs ? `?${qs}` : ''}`, headers, agent: up.agent },
      (res) => {
        const capture = new BodyCapture(up.maxBodyBytes);
        res.on('data', (c: Buffer) => {
          capture.push(c);
          if (!capture.overCap) return;
          // Past the cap the body cannot be compared: stop reading instead of hashing megabytes.
          finish({ error: { kind: 'too_large', message: `response body larger than ${up.maxBodyBytes} bytes; not read further` } });
          outgoing.destroy();
        });
        res.on('error', (e) => finish({ error: { kind: 'reset', message: e.message } }));
        res.on('aborted', () => finish({ error: { kind: 'reset', message: 'response aborted' } }));
        res.on('end', () =>
          finish({ response: { status: res.statusCode ?? 0, headers: { ...res.headers }, body: capture.record(), durationMs: performance.now() - started } }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ error: { kind: 'timeout', message: `no complete response within ${up.timeoutMs} ms` } });
      outgoing.destroy();
    }, up.timeoutMs);
    outgoing.on('error', (e: NodeJS.ErrnoException) =>
      finish({ error: { kind: e.code === 'ECONNREFUSED' ? 'connect' : e.code === 'ECONNRESET' ? 'reset' : 'protocol', message: `${e.code ?? 'error'}: ${e.message}` } }),
    );
    outgoing.end(body ?? undefined);
  });
}
