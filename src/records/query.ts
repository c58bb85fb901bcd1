import type { Query } from './types';

/**
 * The parsed, multi-value view of a raw query string: repeated names as arrays, in
 * order; a bare name (`uploads`) as `''`. The object has no prototype, so names such
 * as `constructor` or `__proto__` are ordinary parameters. Percent-escapes and `+`
 * are decoded (WHATWG URLSearchParams rules); bytes that are not UTF-8 become U+FFFD
 * in this view only, never in what is relayed (see `RequestRecord.rawQuery`).
 *
 * @example
 * parseQuery('?b=2&a=1&b=3'); // { b: ['2', '3'], a: '1' } (null prototype)
 * parseQuery('constructor=x').constructor; // 'x'
 */
export function parseQuery(raw: string): Query {
  const query = Object.create(null) as Query;
  const s = raw.startsWith('?') ? raw.slice(1) : raw;
  if (!s) return query;
  for (const [k, v] of new URLSearchParams(s)) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return query;
}

/**
 * Serialise a query object (a translator's changed query) as `?a=1&b=2`, or `''`
 * when empty. Arrays become repeated names, in order.
 *
 * @example
 * serialiseQuery({ b: ['2', '3'], a: '1' }); // '?b=2&b=3&a=1'
 */
export function serialiseQuery(query: Query): string {
  const out = new URLSearchParams();
  for (const k of Object.keys(query)) for (const one of ([] as string[]).concat(query[k])) out.append(k, one);
  const s = out.toString();
  return s ? `?${s}` : '';
}

/**
 * Split a request target into its raw path and raw query (with its `?`, `''` when
 * the target has none), untouched: no decoding, no re-encoding.
 *
 * @example
 * splitTarget('/p?b=2&a=1'); // { path: '/p', rawQuery: '?b=2&a=1' }
 */
export function splitTarget(url: string): { path: string; rawQuery: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, q), rawQuery: url.slice(q) };
}

/**
 * A raw query string with some parameters rewritten, everything else byte for byte:
 * `edit` gets each parameter's decoded name and value and returns `undefined` to keep it,
 * `null` to drop it, or a replacement value (percent-encoded here).
 *
 * @example
 * editRawQuery('?a=1&token=s&b', (n) => (n === 'token' ? 'x' : undefined)); // '?a=1&token=x&b'
 */
export function editRawQuery(raw: string, edit: (name: string, value: string) => string | null | undefined): string {
  if (!raw || raw === '?') return raw;
  const parts: string[] = [];
  for (const pair of raw.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const [name = rawName, value = ''] = [...new URLSearchParams(pair)][0] ?? [];
    const v = edit(name, value);
    if (v === null) continue;
    parts.push(v === undefined ? pair : `${rawName}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
