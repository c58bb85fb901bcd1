import { lowerName } from './header-names';
import type { Headers } from './types';

/** Names Node keeps only the first line of (a repeat is discarded), as `http.IncomingMessage` does. */
const FIRST_ONLY = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'referer',
  'host',
  'authorization',
  'proxy-authorization',
  'if-modified-since',
  'if-unmodified-since',
  'from',
  'location',
  'max-forwards',
  'retry-after',
  'etag',
  'last-modified',
  'server',
  'age',
  'expires',
]);

/** Names never written on more than one line, whatever the lines held: they frame the request. */
const ONCE = new Set(['host', 'content-length']);

/** How Node joins the values of repeated lines of one name into the header map (`; ` for cookie, `, ` otherwise). */
function joined(lower: string, values: readonly string[]): string | string[] {
  if (lower === 'set-cookie') return [...values];
  if (FIRST_ONLY.has(lower)) return values[0];
  return values.join(lower === 'cookie' ? '; ' : ', ');
}

/**
 * The header map Node would give for these header lines (`[name, value, name, value, ...]`,
 * as `rawHeaders`): lower-case names; repeated lines joined with `, ` (`; ` for `cookie`),
 * `set-cookie` as an array, and only the first line of the names Node does not join
 * (`host`, `authorization`, `content-type`...). Used for requests read from a file, so
 * that they look like live ones.
 *
 * @example
 * headerMapOf(['Accept', 'a', 'Cookie', 'x=1', 'accept', 'b', 'cookie', 'y=2']); // { accept: 'a, b', cookie: 'x=1; y=2' }
 */
export function headerMapOf(lines: readonly string[]): Headers {
  const once = onceEach(lines);
  if (once) return once;
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const lower = lines[i].toLowerCase();
    const list = values.get(lower);
    if (list) list.push(lines[i + 1]);
    else values.set(lower, [lines[i + 1]]);
  }
  const out: Headers = {};
  for (const [name, list] of values) out[name] = joined(name, list);
  return out;
}

/**
 * `headerMapOf` for lines that name each header once (the usual response): the map built
 * in one pass, without the per-name lists; null when a name repeats (in any case), or is
 * `__proto__`, for the general path.
 */
function onceEach(lines: readonly string[]): Headers | null {
  const out: Headers = {};
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const lower = lowerName(lines[i]);
    if (lower === '__proto__' || Object.hasOwn(out, lower)) return null;
    out[lower] = lower === 'set-cookie' ? [lines[i + 1]] : lines[i + 1];
  }
  return out;
}

/**
 * Header lines to write for a request, flat (`[name, value, name, value, ...]`, what Node's
 * client and `requestBytes` take as given; no pair per line): the lines the client
 * sent (`lines`, as Node's `rawHeaders`), one by one, in their order and casing, with
 * repeated lines kept apart, for every name whose value in `headers` is still what
 * those lines say; a name whose value changed (a translator, a Host policy, a rebuilt
 * body's `content-length`) is written once, from `headers`, at the place of its first
 * line, and a name that is gone from `headers` is left out. A value that only extends
 * the lines' list (`x-forwarded-for` with the proxy's address appended) keeps the
 * lines and appends the rest to the last one. Repeated lines of a name Node keeps only the
 * first of (`Content-Type`, `Authorization`: the map holds the first) are relayed one by one
 * while the map holds that first line; `Host` and `Content-Length` are always written once.
 * Then the names `headers` has and the
 * lines lack, in map order. Names in `drop` (lower-case) are left out. Without
 * `lines` (records stored by older versions) the map is written in `names`' order.
 *
 * @example
 * requestHeaderLines({ accept: 'a, b', 'x-request-id': 'r1' }, ['Accept', 'a', 'accept', 'b'], undefined, new Set());
 * // ['Accept', 'a', 'accept', 'b', 'x-request-id', 'r1']
 */
export function requestHeaderLines(
  headers: Headers,
  lines: readonly string[] | undefined,
  names: readonly string[] | undefined,
  drop: ReadonlySet<string>,
): string[] {
  const unique = lines && lines.length <= UNIQUE_SCAN_LINES ? uniqueLines(headers, lines, drop) : null;
  if (unique) return unique;
  const out: string[] = [];
  const written = new Set<string>();
  const writeMap = (name: string, lower: string) => {
    written.add(lower);
    const v = headers[lower];
    if (v === undefined || drop.has(lower)) return;
    for (const one of Array.isArray(v) ? v : [v]) out.push(name, one);
  };
  if (!lines) {
    for (const n of names ?? []) if (!written.has(n.toLowerCase())) writeMap(n, n.toLowerCase());
  } else {
    const sent = new Map<string, SentName>();
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const lower = lines[i].toLowerCase();
      const s = sent.get(lower) ?? { values: [], last: 0 };
      s.values.push(lines[i + 1]);
      s.last = i;
      sent.set(lower, s);
    }
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const lower = lines[i].toLowerCase();
      const s = sent.get(lower)!;
      const v = headers[lower];
      // Once per name, not per line: a name on 4,000 lines joined 4,000 times held the event loop seconds.
      const { same, extended } = (s.verdict ??= compareSent(lower, s.values, v));
      // Repeated lines of a name Node keeps only the first of (Content-Type, Authorization...) are relayed
      // one by one too, as sent, while the map still holds Node's first line; but never two Host or
      // Content-Length lines (Node's parser and the ingress refuse them; a file's record could hold them).
      const lineByLine = same && (s.values.length === 1 || !ONCE.has(lower));
      if (drop.has(lower) || v === undefined) written.add(lower);
      else if (lineByLine || extended !== null) {
        written.add(lower);
        out.push(lines[i], extended !== null && i === s.last ? `${lines[i + 1]}${extended}` : lines[i + 1]);
      } else if (!written.has(lower)) writeMap(lines[i], lower);
    }
  }
  for (const lower of Object.keys(headers)) if (!written.has(lower)) writeMap(lower, lower);
  return out;
}

/** The lines of one name: their values in order, the index of the last, and how the map's value compares (set at first use). */
interface SentName {
  values: string[];
  last: number;
  verdict?: { same: boolean; extended: string | null };
}

/**
 * Whether the map's value `v` of a name is still what its lines say (`same`), or only
 * extends their list (`extended`: the text appended, as to `x-forwarded-for`).
 */
function compareSent(lower: string, values: readonly string[], v: string | string[] | undefined): NonNullable<SentName['verdict']> {
  const was = joined(lower, values);
  const same = Array.isArray(v) ? Array.isArray(was) && v.length === was.length && v.every((x, k) => x === was[k]) : v === was;
  const extended = !same && typeof v === 'string' && typeof was === 'string' && v.startsWith(`${was},`) ? v.slice(was.length) : null;
  return { same, extended };
}

/** Lines up to which a repeated name is looked for pair by pair (no Set); longer lists take the general path. */
const UNIQUE_SCAN_LINES = 64;

/**
 * `requestHeaderLines` for lines that name each header once (the usual request): the same
 * pairs, without the per-name bookkeeping the general path keeps for repeated lines; null
 * when a name occurs on two lines (in any case).
 */
function uniqueLines(headers: Headers, lines: readonly string[], drop: ReadonlySet<string>): string[] | null {
  const lowers: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const lower = lowerName(lines[i]);
    if (lowers.includes(lower)) return null;
    lowers.push(lower);
  }
  const out: string[] = [];
  for (let k = 0; k < lowers.length; k++) {
    const lower = lowers[k];
    const v = headers[lower];
    if (v === undefined || drop.has(lower)) continue;
    const name = lines[2 * k];
    const line = lines[2 * k + 1];
    // What the map holds for this one line: Node keeps set-cookie as a list, every other name as the value.
    const same = lower === 'set-cookie' ? Array.isArray(v) && v.length === 1 && v[0] === line : v === line;
    if (same) out.push(name, line);
    // A list the proxy extended (x-forwarded-for plus its address): the one line carries the whole value.
    else if (lower !== 'set-cookie' && typeof v === 'string' && v.startsWith(`${line},`)) out.push(name, v);
    else pushValues(out, name, v);
  }
  // The map's other names (`for...in` over its own names, in its order: no array of them).
  for (const lower in headers) {
    if (!Object.hasOwn(headers, lower) || lowers.includes(lower)) continue;
    const v = headers[lower];
    if (v === undefined || drop.has(lower)) continue;
    pushValues(out, lower, v);
  }
  return out;
}

/** One line per value: a list (set-cookie) line by line, a string as one line. */
function pushValues(out: string[], name: string, v: string | string[]): void {
  if (!Array.isArray(v)) out.push(name, v);
  else for (let i = 0; i < v.length; i++) out.push(name, v[i]);
}
