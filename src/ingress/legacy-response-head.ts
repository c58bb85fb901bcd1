import type { IncomingMessage, ServerResponse } from 'node:http';
import { connectionOptions, lowerName } from '../records';
import { pairsOf } from '../upstream';

/** Legacy's hop-by-hop response fields never written to the client (RFC 9110 section 7.6.1); Node writes the connection's own. */
const HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection']);

/** Whether a Transfer-Encoding value ends in `chunked` (RFC 9112 section 6.1), as Node's check reads it. */
export function isChunked(te: string | undefined): boolean {
  return te !== undefined && /(?:^|\W)chunked(?:$|\W)/i.test(te);
}

/**
 * Whether Node can write this status to a client: its client reads any three digits
 * (`HTTP/1.1 099 Odd`), its server writes 100 to 999 only and throws on anything else.
 *
 * @example
 * writableStatus(99); // false
 */
export function writableStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 100 && status <= 999;
}

/** Node's own symbol for a response's header map (set by `setHeader`), read once. */
let outHeaders: symbol | null | undefined;

function outHeadersOf(res: ServerResponse): symbol | null {
  outHeaders ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'kOutHeaders') ?? null;
  return outHeaders;
}

/**
 * Write a response head as these lines (`[name, value, ...]`), one by one, in their
 * order and casing, repeated names apart, with this status and reason phrase (Node's
 * standard one for `undefined`); headers set on `res` before are not written (the
 * lines are the whole head). Returns false, writing nothing, when Node's header map
 * cannot be found (then the caller sets headers by name, as before). Throws what
 * `writeHead` throws (a status outside 100-999, an invalid name or value).
 *
 * @example
 * writeHeadLines(res, 203, 'Fine By Me', ['Vary', 'Accept', 'vary', 'Origin']);
 */
export function writeHeadLines(res: ServerResponse, status: number, reason: string | undefined, lines: string[]): boolean {
  const sym = outHeadersOf(res);
  if (!sym) return false;
  // With its header map unset, Node writes an array of lines as given (with a map it merges them by name).
  (res as unknown as Record<symbol, unknown>)[sym] = null;
  if (reason !== undefined) res.writeHead(status, reason, lines);
  else res.writeHead(status, lines);
  return true;
}

/**
 * Write legacy's response head to the client as legacy wrote it: its status code and
 * reason phrase, then its header lines one by one, names' casing, order and repeated
 * lines as received (`rawHeaders`: two `Vary` lines stay two, `Set-Cookie` and
 * `set-cookie` keep their casing); http-proxy set them by name, which joined repeated
 * lines into one (`vary: Accept, Origin`, `Www-Authenticate: Basic, Bearer`) in the last
 * line's casing. Headers already set on `res` (the served-by header, an express app's
 * own) come first, unless legacy's lines name them too. Left out: legacy's connection
 * options (`Connection`, the fields it lists, `Keep-Alive`, `Proxy-Connection`; RFC 9110
 * section 7.6.1), `Transfer-Encoding` for an HTTP/1.0 client, which cannot read
 * chunks (Node then ends the body with the connection), and `Trailer` on a body not
 * chunked to the client (Node refuses to write it there: it threw, and the proxy died). A chunked body's trailers are
 * relayed too, names, casing and repeats as received, after its last chunk (as
 * http-proxy pipes it). Returns false, writing nothing, when Node's header map cannot be
 * found (then http-proxy writes the head, as before).
 *
 * @example
 * proxyServer.on('proxyRes', (proxyRes, req, res) => writeLegacyHead(req, res, proxyRes));
 */
export function writeLegacyHead(req: IncomingMessage, res: ServerResponse, proxyRes: IncomingMessage): boolean {
  if (res.headersSent || !outHeadersOf(res)) return false;
  const from = proxyRes.rawHeaders;
  const listed = connectionOptions(proxyRes.headers.connection);
  const http10 = req.httpVersion === '1.0';
  // Node writes a Trailer line only on a body it chunks (else it throws): legacy's chunked one, to an HTTP/1.1 client.
  const trailer = !http10 && isChunked(proxyRes.headers['transfer-encoding']);
  const named = new Set<string>();
  const legacyLines: string[] = [];
  for (let i = 0; i + 1 < from.length; i += 2) {
    const lower = lowerName(from[i]);
    if (
      HOP.has(lower) ||
      (listed.length && listed.includes(lower)) ||
      (http10 && lower === 'transfer-encoding') ||
      (!trailer && lower === 'trailer')
    )
      continue;
    named.add(lower);
    legacyLines.push(from[i], from[i + 1]);
  }
  const lines: string[] = [];
  // Node's `getRawHeaderNames` (since 15.13), not in @types/node: the names in the casing they were set with.
  for (const rawName of (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
    const name = lowerName(rawName);
    if (named.has(name)) continue;
    const value = res.getHeader(name);
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(rawName, String(v));
  }
  for (const x of legacyLines) lines.push(x);
  writeHeadLines(res, proxyRes.statusCode ?? 502, proxyRes.statusMessage ?? '', lines);
  // Before http-proxy's pipe ends the response (a listener registered first runs first).
  proxyRes.once('end', () => {
    if (proxyRes.rawTrailers.length && !res.writableEnded) res.addTrailers(pairsOf(proxyRes.rawTrailers));
  });
  return true;
}
