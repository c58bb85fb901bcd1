/** Parsing paths and patterns written in the `a.b[3].c` / `items[id=7]` / `**.x` form. */

import { SIMPLE_KEY, type PathSegment } from './path';

/**
 * A parsed path or pattern token; patterns add `*`, `**` and `[*]`.
 *
 * @example
 * const t: PathToken[] = tokenisePath('**.id'); // [{ t: 'deep' }, { t: 'key', v: 'id' }]
 */
export type PathToken =
  | { t: 'key'; v: string }
  | { t: 'index'; v: number }
  | { t: 'keyed'; key: string; value: string }
  | { t: 'any' }
  | { t: 'deep' }
  | { t: 'anyIndex' };

/**
 * Read a path or pattern into tokens. Throws an Error naming the problem when malformed.
 *
 * @example
 * tokenisePath('items[*].price'); // [{t:'key',v:'items'}, {t:'anyIndex'}, {t:'key',v:'price'}]
 */
export function tokenisePath(src: string): PathToken[] {
  const out: PathToken[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`invalid path "${src}" at character ${i}: ${why}`);
  };
  /** A bare run up to one of `stops`, or a JSON-quoted string. */
  const atom = (stops: string): { text: string; quoted: boolean } => {
    if (src[i] === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) fail('unterminated string');
      const text = JSON.parse(src.slice(i, j + 1)) as string;
      i = j + 1;
      return { text, quoted: true };
    }
    const start = i;
    while (i < src.length && !stops.includes(src[i])) i++;
    return { text: src.slice(start, i), quoted: false };
  };
  if (src === '') fail('empty path');
  while (i < src.length) {
    if (src[i] === '[') {
      i++;
      const first = atom('=]');
      if (src[i] === '=') {
        i++;
        const value = atom(']');
        if (!first.text) fail('empty key name');
        out.push({ t: 'keyed', key: first.text, value: value.text });
      } else if (first.quoted) out.push({ t: 'key', v: first.text });
      else if (first.text === '*') out.push({ t: 'anyIndex' });
      else if (/^\d+$/.test(first.text)) out.push({ t: 'index', v: Number(first.text) });
      else fail(`"[${first.text}]" is not an index, [*], [key=value] or ["key"]`);
      if (src[i] !== ']') fail('expected "]"');
      i++;
    } else {
      if (out.length > 0) {
        if (src[i] !== '.') fail('expected "." or "["');
        i++;
      }
      const { text } = atom('.[');
      if (!text) fail('empty segment');
      out.push(text === '*' ? { t: 'any' } : text === '**' ? { t: 'deep' } : { t: 'key', v: text });
    }
  }
  return out;
}

/**
 * Parse a concrete path (no wildcards) into segments. Throws on malformed paths.
 *
 * @example
 * parsePath('items[id=7].price'); // ['items', { key: 'id', value: '7' }, 'price']
 */
export function parsePath(path: string): PathSegment[] {
  return tokenisePath(path).map((t) => {
    if (t.t === 'key' || t.t === 'index') return t.v;
    if (t.t === 'keyed') return { key: t.key, value: t.value };
    throw new Error(`invalid path "${path}": wildcards are only allowed in patterns`);
  });
}

/**
 * Parse a concrete path, never throwing: a path built by naive string joins (a key
 * holding `[`, an empty key) falls back to splitting on `.`, with trailing `[n]` as
 * indices and everything else as literal keys.
 *
 * @example
 * parsePathLenient('a.x[y.b[2]'); // ['a', 'x[y', 'b', 2]
 */
export function parsePathLenient(path: string): PathSegment[] {
  try {
    return parsePath(path);
  } catch {
    const out: PathSegment[] = [];
    for (const piece of path.split('.')) {
      const m = /^(.*?)((?:\[\d+\])*)$/.exec(piece)!;
      if (m[1] || !m[2]) out.push(m[1]);
      for (const idx of m[2].match(/\d+/g) ?? []) out.push(Number(idx));
    }
    return out;
  }
}

/**
 * Paths a `memoisedByPath` function remembers at most (it forgets them all when full) and
 * the longest it remembers (longer ones are worked out each time): at most about 2 MB of
 * keys, however hostile the paths (they come from bodies).
 */
export const PATH_MEMO = { entries: 4096, chars: 256 } as const;

/**
 * The signature form of a path: array indices and keyed selectors become `[*]`.
 * Already generalised paths and patterns are returned unchanged; never throws.
 * Remembered per path (see `memoisedByPath`): a mismatch's paths are generalised three
 * times in the worker (its field paths, its causes, their cause keys) and recur from one
 * exchange to the next.
 *
 * @example
 * generalisePath('items[3].price'); // 'items[*].price'
 * generalisePath('items[id=7].tags[0]'); // 'items[*].tags[*]'
 */
export const generalisePath: (path: string) => string = memoisedByPath(generalised);

/**
 * `fn` remembering its result per path (`PATH_MEMO` bounds; `maxChars`: a smaller bound on
 * the length of the paths remembered, for a result that grows faster than its path). For pure
 * functions whose results nobody changes: a remembered result is given to every caller of that path.
 *
 * @example
 * const cheap = memoisedByPath((p) => p.toUpperCase());
 * const prefixes = memoisedByPath((p) => pathPrefixes(p).map((x) => x.prefix), 64); // quadratic in the path: shorter ones only
 */
export function memoisedByPath<T>(fn: (path: string) => T, maxChars: number = PATH_MEMO.chars): (path: string) => T {
  const memo = new Map<string, T>();
  const chars = Math.min(maxChars, PATH_MEMO.chars);
  return (path) => {
    if (path.length > chars) return fn(path);
    let v = memo.get(path);
    if (v === undefined && !memo.has(path)) {
      if (memo.size >= PATH_MEMO.entries) memo.clear();
      memo.set(path, (v = fn(path)));
    }
    return v as T;
  };
}

function generalised(path: string): string {
  let tokens: PathToken[];
  try {
    tokens = tokenisePath(path);
  } catch {
    return path.replace(/\[(?:\d+|\*|[^\]"]*=[^\]]*)\]/g, '[*]');
  }
  let out = '';
  for (const t of tokens) {
    if (t.t === 'key') out += SIMPLE_KEY.test(t.v) ? (out ? '.' : '') + t.v : `[${JSON.stringify(t.v)}]`;
    else if (t.t === 'any' || t.t === 'deep') out += (out ? '.' : '') + (t.t === 'any' ? '*' : '**');
    else out += '[*]';
  }
  return out;
}

/**
 * Every prefix of a path, one per segment, with the segment's own label: the nodes of
 * the report's field tree from the root down to the path. The last prefix is the path
 * as the tree writes it; an unreadable path is one segment. Never throws.
 *
 * @example
 * pathPrefixes('items[*].price');
 * // [{ prefix: 'items', label: 'items' }, { prefix: 'items[*]', label: '[*]' }, { prefix: 'items[*].price', label: 'price' }]
 */
export function pathPrefixes(path: string): { prefix: string; label: string }[] {
  let tokens: PathToken[];
  try {
    tokens = tokenisePath(path);
  } catch {
    return [{ prefix: path, label: path }];
  }
  const out: { prefix: string; label: string }[] = [];
  let prefix = '';
  for (const t of tokens) {
    const label =
      t.t === 'key'
        ? SIMPLE_KEY.test(t.v)
          ? t.v
          : `[${JSON.stringify(t.v)}]`
        : t.t === 'index'
          ? `[${t.v}]`
          : t.t === 'any'
            ? '*'
            : t.t === 'deep'
              ? '**'
              : t.t === 'keyed'
                ? `[${t.key}=${t.value}]`
                : '[*]';
    prefix += label.startsWith('[') || !prefix ? label : `.${label}`;
    out.push({ prefix, label });
  }
  return out;
}
