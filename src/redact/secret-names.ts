import { anyPattern, tokenisePath, type PathSegment } from '../compare';
import { lowerName } from '../records';
import { DEFAULT_REDACTED_HEADERS, DEFAULT_REDACTED_QUERY, NOT_SECRET_HEADERS, SECRET_HEADER_WORDS } from './secret-lists';

/** A header name (lower case) with one of `SECRET_HEADER_WORDS` as a whole word. */
const SECRET_WORD = new RegExp(`(?:^|[-_.])(?:${SECRET_HEADER_WORDS.join('|')})(?:$|[-_.])`);
const NOT_SECRET = new Set(NOT_SECRET_HEADERS);

/**
 * What counts as a secret, all names compared in lower case.
 *
 * @example
 * const s = secretNames({ headers: ['X-Api-Key'], query: [], bodyPaths: ['**.PIN'] });
 * s.header('x-api-key'); // true
 * s.field(['user', 'pin']); // true
 */
export interface SecretNames {
  /**
   * A header name (any case): the always-redacted and configured headers; else, unless it is
   * one of `NOT_SECRET_HEADERS`, a header with one of `SECRET_HEADER_WORDS` as a word
   * (`X-Auth`, `X-Session-Id`, `X-Amz-Security-Token`), or whose name or last words (split
   * at `-` or `_`) are an always-redacted or configured field name (`X-JSessionId`, a
   * `redact.query` name: see `endsInName`).
   */
  header(name: string): boolean;
  /** A query parameter name as sent (`password`, `password[]`, `user[password]`). */
  query(name: string): boolean;
  /**
   * A body field by its path (object keys and indices): configured body paths (keys matched
   * exactly, any case), or a leaf whose name (`bareName`: noise around it dropped) is an
   * always-redacted or configured name.
   */
  field(segments: readonly PathSegment[]): boolean;
  /**
   * A case-insensitive test of decoded body text: false means no configured secret can be
   * in it (every pattern ends in a literal name and no name occurs), so nothing needs parsing.
   */
  mayOccurIn(text: string): boolean;
}

export interface SecretNameOptions {
  headers: readonly string[];
  query?: readonly string[];
  bodyPaths: readonly string[];
}

/**
 * Compile the configured names once.
 *
 * @example
 * secretNames({ headers: [], bodyPaths: [] }).query('password[]'); // true
 */
export function secretNames(o: SecretNameOptions): SecretNames {
  const headers = lowerSet([...DEFAULT_REDACTED_HEADERS, ...o.headers]);
  const names = lowerSet([...DEFAULT_REDACTED_QUERY, ...(o.query ?? [])]);
  const patterns = o.bodyPaths.map((p) => p.toLowerCase());
  const matches = anyPattern(patterns);
  // Names are matched whole (`field` compares a whole key), so the probe counts a name only
  // when the whole run of name characters around it is a name: `token` in `access_token`,
  // not in `prompt_tokens`, `next_page_token` or `csrf_token`, which would send every such
  // body through a full parse on the proxy's main thread. The regex finds the shortest
  // names (`token` stands for `access_token`) and each hit is then widened to its run.
  // Leaves of body paths are user patterns, looked for anywhere, as before.
  const leaves: string[] = [];
  let anyLeaf = false;
  for (const p of patterns) {
    const key = [...tokenisePath(p)].reverse().find((t) => t.t === 'key');
    if (key && key.t === 'key') leaves.push(key.v.toLowerCase());
    else anyLeaf = true;
  }
  const shortest = (xs: string[]) => [...new Set(xs)].filter((l) => !xs.some((o) => o !== l && l.includes(o)));
  const anywhere = leaves.length ? new RegExp(shortest(leaves).map(escapeRegExp).join('|'), 'i') : null;
  // Names, then what may spell any name: a JSON escape, or K (U+212A KELVIN SIGN), which
  // lower-cases to `k`.
  const hits = new RegExp([...shortest([...names]).map(escapeRegExp), '\\\\u', '\\u212A'].join('|'), 'gi');
  const probe = (text: string) => {
    if (anywhere?.test(text)) return true;
    hits.lastIndex = 0;
    for (let m = hits.exec(text); m; m = hits.exec(text)) {
      if (m[0] === '\\u' || m[0] === '\u212A') return true;
      let from = m.index;
      let to = hits.lastIndex;
      while (from > 0 && isNameChar(text.charCodeAt(from - 1))) from--;
      while (to < text.length && isNameChar(text.charCodeAt(to))) to++;
      if (names.has(text.slice(from, to).toLowerCase())) return true;
      // A JSON escape's letter before the name (`"\tpassword"`: a tab, then `password`).
      if (text.charCodeAt(from - 1) === 92 && 'bfnrt'.includes(text[from]) && names.has(text.slice(from + 1, to).toLowerCase()))
        return true;
      hits.lastIndex = to; // every other hit in this run widens to the same run: linear
    }
    return false;
  };
  // The leaf is a name as a query or form name is (noise around it is not part of it: a
  // JSON key `"password "` is `password`); configured body paths name keys exactly.
  const plain = (segments: readonly PathSegment[]) => {
    const lower = segments.map((s) => (typeof s === 'string' ? s.toLowerCase() : s));
    const leaf = [...lower].reverse().find((s): s is string => typeof s === 'string');
    return (leaf !== undefined && names.has(bareName(leaf))) || matches(lower);
  };
  // A JSON key in the bracket or dot form of a form name (`user[password]`, `password[]`,
  // `user.password`) is read as that form name is (see `query`): the path it stands for, and
  // every path above it. Keys are expanded only when one holds `[` or `.`.
  const field = (segments: readonly PathSegment[]) => {
    if (plain(segments)) return true;
    if (!segments.some((s) => typeof s === 'string' && (s.includes('[') || s.includes('.')))) return false;
    const expanded = segments.flatMap((s) => (typeof s === 'string' ? bracketSegments(s) : [s]));
    return underSecret(plain, expanded);
  };
  return {
    header: (name) => {
      const n = lowerName(name);
      if (headers.has(n)) return true;
      if (NOT_SECRET.has(n)) return false;
      return SECRET_WORD.test(n) || names.has(n) || endsInName(n, names);
    },
    query: (name) => underSecret(plain, bracketSegments(name)),
    field,
    mayOccurIn: (text) => anyLeaf || probe(text),
  };
}

/**
 * The path a form or query field name (decoded) stands for in the bracket convention (PHP,
 * Rails, qs) or the dot convention (Spring's binder): `user[password]` and `user.password`
 * are `user.password`, `password[]` is `password`, `a[0][b]` and `a.0.b` are `a[0].b`. Noise around a name is not part of it: whitespace and control characters at
 * either end of the name and of each bracket (`password%20`, `%20token`, `password%09[]`,
 * `user[ password ]`; PHP and others trim or rewrite them, and a reader cannot tell which
 * server drops them), and anything up to a `;` (`amp;password`: an HTML-escaped `&amp;`
 * copied into a URL; `x;password`).
 *
 * @example
 * bracketSegments('user[card][0][number]'); // ['user', 'card', 0, 'number']
 * bracketSegments('amp;password '); // ['password']
 */
export function bracketSegments(name: string): PathSegment[] {
  const clean = bareName(name);
  const m = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(clean);
  if (!m) return [clean];
  // The head in dot form (`user.password`, as Spring and others bind it), each word trimmed as a bracket is.
  const head = m[1].includes('.')
    ? m[1]
        .split('.')
        .map(trimNoise)
        .filter((w) => w !== '')
    : m[1]
      ? [trimNoise(m[1])]
      : [];
  if (!m[2]) return head.length > 1 ? head.map((w) => (/^\d{1,9}$/.test(w) ? Number(w) : w)) : [clean];
  const out: PathSegment[] = head.map((w) => (/^\d{1,9}$/.test(w) ? Number(w) : w));
  for (const [, raw] of m[2].matchAll(/\[([^\]]*)\]/g)) {
    const inner = trimNoise(raw);
    if (inner !== '') out.push(/^\d{1,9}$/.test(inner) ? Number(inner) : inner);
  }
  return out;
}

/**
 * A name (a query or form name, a JSON key, decoded) without what precedes its last `;`
 * and without noise at its ends: the one reading of a name that `field` tests, so
 * `password `, `\tpassword` and `amp;password` are `password`; `my password` and
 * `password_` stay other names. The same string when clean (the usual name).
 *
 * @example
 * bareName(' amp;Token\u0000'); // 'Token'
 */
export function bareName(name: string): string {
  const semi = name.lastIndexOf(';');
  const n = semi < 0 ? name : name.slice(semi + 1);
  return n.length && isNameChar(n.charCodeAt(0)) && isNameChar(n.charCodeAt(n.length - 1)) ? n : trimNoise(n);
}

/** Whitespace (any Unicode space) and control characters off both ends. */
// eslint-disable-next-line no-control-regex
const trimNoise = (s: string) => s.replace(/^[\s\u0000-\u001f\u007f]+|[\s\u0000-\u001f\u007f]+$/g, '');

/**
 * True when a bracket-form name's path or any path above it is secret: `password[new]` is
 * secret as `{"password":{"new":...}}` is in JSON (the whole value under a secret name is
 * hidden), and so is `user[password][0]`.
 *
 * @example
 * underSecret(secretNames({ headers: [], bodyPaths: [] }).field, ['password', 'new']); // true
 */
export function underSecret(isSecret: (path: readonly PathSegment[]) => boolean, path: readonly PathSegment[]): boolean {
  if (isSecret(path)) return true;
  for (let k = 1; k < path.length; k++) if (isSecret(path.slice(0, k))) return true;
  return false;
}

/**
 * True when the last words of a lower-case header name, after a `-` or `_`, are one of
 * `names`: `x-amz-security-token` ends in `token`, `x-goog-api-key` in `api-key`. A
 * header's credential is named by its last word (`...-Token`, `...-Secret`, `...-Api-Key`),
 * whatever the vendor prefix; words that only begin a name (`X-Token-Count`) or a key that
 * is no secret name (`Sec-WebSocket-Key`, `Idempotency-Key`) do not count. A harmless
 * header so named (`X-Next-Page-Token`) is shown as a fingerprint, still compared by it.
 *
 * @example
 * endsInName('private-token', new Set(['token'])); // true
 * endsInName('x-token-count', new Set(['token'])); // false
 *
 * `names` is read once per set (its names by length are kept beside it): a set changed
 * after its first use is not seen changed.
 */
export function endsInName(name: string, names: ReadonlySet<string>): boolean {
  let byLength = suffixes.get(names);
  if (!byLength) suffixes.set(names, (byLength = lengthsOf(names)));
  // `names.has(name.slice(i + 1))` without the slice (a new string per word, per header, per record):
  // the names as long as the last words, compared in place.
  for (let i = name.length - 2; i > 0; i--) {
    const c = name.charCodeAt(i);
    if (c !== 45 && c !== 95) continue;
    const same = byLength.get(name.length - i - 1);
    if (same) for (let k = 0; k < same.length; k++) if (name.endsWith(same[k])) return true;
  }
  return false;
}

/** Each name set's names by their length, worked out once per set (see `endsInName`). */
const suffixes = new WeakMap<ReadonlySet<string>, Map<number, string[]>>();
function lengthsOf(names: ReadonlySet<string>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const n of names) {
    const list = out.get(n.length);
    if (list) list.push(n);
    else out.set(n.length, [n]);
  }
  return out;
}

/** A character that continues a name (`A-Za-z0-9_-`): a name next to one is part of a longer name. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

const lowerSet = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
