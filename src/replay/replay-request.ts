import type { Headers, Query } from '../records';

/** One recorded request to replay, as read from a HAR or NDJSON file. */
export interface ReplayRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Query;
  /** Lower-case names; pseudo-headers, `host` and `content-length` left out. */
  headers: Headers;
  body: Buffer | null;
}

/** One entry of a replay file: a request, or why the entry could not be read. */
export interface ReplayItem {
  /** Entry number in the file (1-based line for NDJSON, entry index + 1 for HAR). */
  entry: number;
  request?: ReplayRequest;
  error?: string;
}

const DROPPED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id']);

/**
 * Normalise recorded headers: lower-case names, repeated names as arrays (cookies
 * joined with `; `), HTTP/2 pseudo-headers and connection headers left out. A
 * recorded `x-request-id` is dropped: each replay gets a fresh one.
 *
 * @example
 * cleanHeaders([['Accept', 'application/json'], [':authority', 'x']]); // { accept: 'application/json' }
 */
export function cleanHeaders(pairs: Iterable<[string, string | string[]]>): Headers {
  const out: Headers = {};
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    if (name.startsWith(':') || DROPPED.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const prev = out[name];
      if (prev === undefined) out[name] = v;
      else if (name === 'cookie') out[name] = `${prev}; ${v}`;
      else out[name] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return out;
}

/**
 * Split a recorded URL (absolute, or a path with a query string) into path and query.
 *
 * @example
 * splitUrl('https://shop.example/products/7?x=1&x=2'); // { path: '/products/7', query: { x: ['1', '2'] } }
 */
export function splitUrl(url: string): { path: string; query: Query } {
  const u = new URL(url, 'http://replay.invalid');
  const query: Query = {};
  for (const [k, v] of u.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { path: u.pathname, query };
}
