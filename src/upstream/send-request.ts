import http from 'node:http';
import https from 'node:https';
import type { CandidateError, RequestRecord, ResponseRecord } from '../records';
import { decodeBody, headerNamesOf, requestHeaderLines, serialiseQuery } from '../records';
import { BodyCapture } from './body-capture';
import type { Upstream } from './create-upstream';
import { networkError } from './error-kind';
import { REQUEST_DROP } from './hop-by-hop';

export type SendOutcome = { response: ResponseRecord } | { error: CandidateError };

/**
 * The request line target and the header lines a record is sent with: path plus the
 * raw query as recorded (`query` serialised only when the record has no `rawQuery`),
 * the recorded header lines one by one (repeated lines apart) where their value is
 * unchanged, names in their recorded casing and order (see `requestHeaderLines`),
 * hop-by-hop headers and `expect` left out, `content-length` written from the body at its place, the record's Host
 * (or the upstream's when the record has none).
 *
 * @example
 * outgoing(candidate, record).headers; // ['Host', 'shop.example', 'Accept', '*\/*', ...]
 */
export function outgoing(up: Pick<Upstream, 'url'>, req: RequestRecord, body: Buffer | null): { path: string; headers: string[] } {
  const query = req.rawQuery ?? serialiseQuery(req.query);
  const path = `${up.url.pathname.replace(/\/$/, '')}${req.path}${query}`;
  // The body's length goes where the client had its content-length (or transfer-encoding).
  const map = { ...req.headers };
  const chunkedAsLength = (n: string) => (n.toLowerCase() === 'transfer-encoding' ? 'Content-Length' : n);
  const names = req.headerNames?.map(chunkedAsLength);
  const lines = req.headerLines?.map((v, i) => (i % 2 === 0 ? chunkedAsLength(v) : v));
  if (body) map['content-length'] = String(body.length);
  else if (map['content-length'] !== '0') delete map['content-length'];
  const pairs = requestHeaderLines(map, lines, names, REQUEST_DROP);
  // A record without a Host line of its own (a request read from a file) gets it first, as Node's client writes it.
  const at = pairs.findIndex(([n]) => n.toLowerCase() === 'host');
  const host = at === -1 ? ['host', up.url.host] : pairs[at];
  const sentHost = (lines ?? names ?? []).some((n, i) => (lines ? i % 2 === 0 : true) && n.toLowerCase() === 'host');
  if (at === -1 || !sentHost) {
    if (at !== -1) pairs.splice(at, 1);
    pairs.unshift(host as [string, string]);
  }
  return { path, headers: pairs.flat() };
}

/**
 * Send a recorded request to an upstream and record its response (bounded). Never
 * throws: connection errors, timeouts (the whole response within `timeoutMs`),
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
      { protocol: up.url.protocol, hostname: up.url.hostname, port: up.url.port, method: req.method, path: target.path, headers: target.headers, agent: up.agent },
      (res) => {
        const capture = new BodyCapture(up.maxBodyBytes);
        res.on('data', (c: Buffer) => {
          capture.push(c);
          if (!capture.overCap) return;
          // Past the cap the body cannot be compared: stop reading instead of hashing megabytes.
          finish({ error: { kind: 'too_large', message: `response body larger than ${up.maxBodyBytes} bytes; not read further` } });
          request.destroy();
        });
        res.on('error', (e) => finish({ error: { kind: 'reset', message: e.message } }));
        res.on('aborted', () => finish({ error: { kind: 'reset', message: 'response aborted' } }));
        res.on('end', () =>
          finish({
            response: { status: res.statusCode ?? 0, headers: { ...res.headers }, headerNames: headerNamesOf(res.rawHeaders), body: capture.record(), durationMs: performance.now() - started },
          }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ error: { kind: 'timeout', message: `no complete response within ${up.timeoutMs} ms` } });
      request.destroy();
    }, up.timeoutMs);
    request.on('error', (e: NodeJS.ErrnoException) => finish({ error: networkError(e) }));
    request.end(body ?? undefined);
  });
}
