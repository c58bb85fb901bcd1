import { connectionOptions } from '../records';

/**
 * Connection-level (hop-by-hop) header names, lower-case, that a proxy must not
 * forward (RFC 9110 section 7.6.1, plus the non-standard `keep-alive` and
 * `proxy-connection`). Node sets its own `connection` on every message.
 */
export const HOP_BY_HOP: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
];

/**
 * Not copied from a recorded request onto a rebuilt one: hop-by-hop headers, plus
 * `expect` (Tandem already holds the whole body, so a `100-continue` handshake
 * has no purpose). `content-length` is not here: the sender writes it, at its place,
 * from the bytes it sends.
 */
export const REQUEST_DROP: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'expect']);

/**
 * Not relayed to legacy on the proxied path (RFC 9110 section 7.6.1): the client's
 * connection options. `transfer-encoding` and `trailer` frame the body relayed as sent,
 * `expect` is legacy's to answer, and `upgrade` offers never reach this path (see
 * `relayPlainRequest`).
 */
export const LEGACY_REQUEST_DROP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te']);

/** Not copied from a backend's response onto the client's when streaming it: hop-by-hop headers. */
export const RESPONSE_DROP: ReadonlySet<string> = new Set(HOP_BY_HOP);

/**
 * Not copied from a backend's response onto a response written from a whole buffer
 * (a candidate response served, possibly translated): hop-by-hop headers and
 * `content-length`, which the writer sets from the bytes it writes.
 */
export const BUFFERED_RESPONSE_DROP: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'content-length']);

/** `REQUEST_DROP` less `transfer-encoding`, for a body relayed in the client's transfer codings. */
export const KEEP_TE_DROP: ReadonlySet<string> = new Set([...REQUEST_DROP].filter((n) => n !== 'transfer-encoding'));

/** `KEEP_TE_DROP` less `trailer` too, for a chunked body relayed with the client's trailers (the line announces them). */
export const KEEP_TE_TRAILER_DROP: ReadonlySet<string> = new Set([...KEEP_TE_DROP].filter((n) => n !== 'trailer'));

/**
 * `[name, value, ...]` lines (Node's `rawTrailers`, a record's `trailerLines`) as
 * `[name, value]` pairs, what Node's `addTrailers` takes (repeats, casing and order kept).
 *
 * @example
 * pairsOf(['X-Sum', 'a', 'x-sum', 'b']); // [['X-Sum', 'a'], ['x-sum', 'b']]
 */
export function pairsOf(lines: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) out.push([lines[i], lines[i + 1]]);
  return out;
}

/**
 * `drop` plus the names a header map's `connection` lists (see `connectionOptions`):
 * `drop` itself when it lists none beyond it (no copy, the usual message).
 *
 * @example
 * dropListed(RESPONSE_DROP, { connection: 'X-Hop' }).has('x-hop'); // true
 */
export function dropListed(drop: ReadonlySet<string>, headers: { connection?: string | string[] }): ReadonlySet<string> {
  const listed = connectionOptions(headers.connection);
  return listed.every((n) => drop.has(n)) ? drop : new Set([...drop, ...listed]);
}
