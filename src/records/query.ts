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

/**
 * The raw query for a changed parsed view, rebuilding only what changed: every
 * parameter `after` still holds with the same value (the k-th value of a name against
 * its k-th occurrence) keeps its bytes and its place (`%20`, `+`, bare names, non-UTF-8
 * escapes); a changed value is written in place (percent-encoded); a parameter renamed
 * with its values unchanged (a name only in `after` with exactly the values of a name
 * only in `before`) keeps its place and value bytes under the new name; parameters
 * `after` lacks are left out; new names and extra values are appended in `after`'s order.
 * `before` is the view `raw` was parsed into (see `parseQuery`). Idempotent: given the
 * view of its own output, it returns that output.
 *
 * @example
 * rewriteRawQuery('?b=2&q=hello%20world&a=1&b=3&flag', parseQuery('?b=2&q=hello%20world&a=1&b=3&flag'), { b: ['2', '3'], search: 'hello world', a: '9', flag: '', page: '2' });
 * // '?b=2&search=hello%20world&a=9&b=3&flag&page=2'
 */
export function rewriteRawQuery(raw: string, before: Query, after: Query): string {
  const queue = new Map<string, string[]>();
  for (const name of Object.keys(after)) queue.set(name, ([] as string[]).concat(after[name]));
  const same = (a: string | string[], b: string | string[]) =>
    JSON.stringify(([] as string[]).concat(a)) === JSON.stringify(([] as string[]).concat(b));
  const renamed = new Map<string, string>();
  for (const name of Object.keys(after)) {
    if (Object.hasOwn(before, name)) continue;
    const from = Object.keys(before).find((old) => !Object.hasOwn(after, old) && !renamed.has(old) && same(before[old], after[name]));
    if (from !== undefined) renamed.set(from, name);
  }
  const out: string[] = [];
  const s = raw.startsWith('?') ? raw.slice(1) : raw;
  for (const pair of s ? s.split('&') : []) {
    const eq = pair.indexOf('=');
    const decoded = [...new URLSearchParams(pair)][0];
    if (!decoded) continue;
    const [name, value] = decoded;
    const target = renamed.get(name) ?? name;
    const next = queue.get(target)?.shift();
    if (next === undefined) continue;
    if (next !== value) out.push(`${encodeURIComponent(target)}=${encodeURIComponent(next)}`);
    else if (target === name) out.push(pair);
    else out.push(`${encodeURIComponent(target)}${eq === -1 ? '' : pair.slice(eq)}`);
  }
  for (const [name, rest] of queue) for (const v of rest) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  return out.length ? `?${out.join('&')}` : '';
}
