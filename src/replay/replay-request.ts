import { headerMapOf, parseQuery, splitTarget, type Headers, type Query } from '../records';

/** One recorded request to replay, as read from a HAR or NDJSON file. */
export interface ReplayRequest {
  method: string;
  /** Path without the query string, as recorded. */
  path: string;
  /** Parsed view of `rawQuery` (see `parseQuery`). */
  query: Query;
  /** The query as recorded, with its `?` (`''` when none): what is sent, byte for byte. */
  rawQuery: string;
  /** Lower-case names, repeated lines joined as Node joins them (see `headerMapOf`); pseudo-headers, `host` and `content-length` left out. */
  headers: Headers;
  /** The recorded header lines, `[name, value, ...]`, repeated lines apart (what is sent, see `requestHeaderLines`). */
  headerLines: string[];
  body: Buffer | null;
  /** Trailer lines after the chunked body, `[name, value, ...]` as recorded (NDJSON's `trailers`); the headers then say `chunked`. */
  trailerLines?: string[];
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
 * The recorded header lines worth sending, and the header map Node would give for
 * them: names as recorded, repeated lines kept apart (the map joins them: cookies
 * with `; `, others with `, `), HTTP/2 pseudo-headers and connection headers left
 * out. A recorded `x-request-id` is dropped: each replay gets a fresh one.
 *
 * @example
 * cleanHeaders([['Cookie', 'a=1'], ['cookie', 'b=2'], [':authority', 'x']]);
 * // { headers: { cookie: 'a=1; b=2' }, headerLines: ['Cookie', 'a=1', 'cookie', 'b=2'] }
 */
export function cleanHeaders(pairs: Iterable<[string, string | string[]]>): { headers: Headers; headerLines: string[] } {
  const headerLines: string[] = [];
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || DROPPED.has(lower)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headerLines.push(name, v);
  }
  return { headers: headerMapOf(headerLines), headerLines };
}

/**
 * Split a recorded URL (absolute, or a path with a query string) into its path and
 * its query as recorded, never parsed and written again: `b=2&a=1&b=3`, `flag`,
 * `q=hello%20world` and bytes that are not UTF-8 stay as they are. The fragment is
 * left out; characters that cannot go on a request line (spaces, controls, non-ASCII)
 * are percent-encoded as UTF-8, everything else is kept. Throws on a URL that is
 * neither absolute nor a path starting with `/`.
 *
 * @example
 * splitRecordedUrl('https://shop.example/products/7?x=2&x=1&flag'); // { path: '/products/7', rawQuery: '?x=2&x=1&flag', query: { x: ['2', '1'], flag: '' } }
 */
export function splitRecordedUrl(url: string): { path: string; rawQuery: string; query: Query } {
  const hash = url.indexOf('#');
  let target = hash === -1 ? url : url.slice(0, hash);
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(target);
  if (origin) target = target.slice(origin[0].length) || '/';
  if (target.startsWith('?')) target = `/${target}`;
  if (!target.startsWith('/')) throw new Error('expected an absolute URL or a path starting with "/"');
  const { path, rawQuery } = splitTarget(sendable(target));
  return { path, rawQuery, query: parseQuery(rawQuery) };
}

/** Percent-encode (as UTF-8) what cannot go on a request line; keep every other byte as recorded. */
function sendable(target: string): string {
  return target.replace(/[^\x21-\x7e]+/g, (run) =>
    [...Buffer.from(run, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
