import type { PathSegment } from './path';
import { parsePathLenient, tokenisePath, type PathToken } from './path-parse';

/**
 * A compiled path pattern: true when a concrete path (as segments) matches.
 *
 * @example
 * const m: PathMatcher = compilePathPattern('meta.**');
 * m(['meta', 'trace']); // true
 */
export type PathMatcher = (segments: readonly PathSegment[]) => boolean;

function tokenMatches(t: PathToken, s: PathSegment): boolean {
  switch (t.t) {
    case 'any':
      return true;
    case 'anyIndex':
      return typeof s !== 'string';
    case 'key':
      return s === t.v;
    case 'index':
      return s === t.v;
    case 'keyed':
      return typeof s === 'object' && s.key === t.key && s.value === t.value;
    default:
      return false;
  }
}

/**
 * Compile a pattern once for repeated matching. `*` matches exactly one segment (a key,
 * an index or a keyed selector), `[*]` one array element, `**` any number of segments
 * including none. Throws an Error naming the problem when the pattern is malformed.
 *
 * @example
 * const m = compilePathPattern('items[*].updatedAt');
 * m(['items', 3, 'updatedAt']); // true
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const tokens = tokenisePath(pattern);
  const hasDeep = tokens.some((t) => t.t === 'deep');
  if (!hasDeep) {
    return (segs) => {
      if (segs.length !== tokens.length) return false;
      for (let i = 0; i < tokens.length; i++) if (!tokenMatches(tokens[i], segs[i])) return false;
      return true;
    };
  }
  return (segs) => globMatch(tokens, segs);
}

/** Glob matching with backtracking to the last `**` (linear for one `**`). */
function globMatch(tokens: readonly PathToken[], segs: readonly PathSegment[]): boolean {
  let p = 0;
  let s = 0;
  let deepAt = -1;
  let resumeAt = 0;
  while (s < segs.length) {
    if (p < tokens.length && tokens[p].t === 'deep') {
      deepAt = p++;
      resumeAt = s;
    } else if (p < tokens.length && tokenMatches(tokens[p], segs[s])) {
      p++;
      s++;
    } else if (deepAt >= 0) {
      p = deepAt + 1;
      s = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < tokens.length && tokens[p].t === 'deep') p++;
  return p === tokens.length;
}

const cache = new Map<string, PathMatcher>();
const CACHE_LIMIT = 1000;

/**
 * True when a concrete path matches a pattern (`*` one segment or index, `[*]` one array
 * element, `**` any depth including none). Used for ignore rules and redaction. A
 * malformed pattern throws; a malformed path is read leniently (see parsePathLenient).
 *
 * @example
 * matchesPathPattern('items[*].updatedAt', 'items[3].updatedAt'); // true
 * matchesPathPattern('meta.**', 'meta.trace.id'); // true
 * matchesPathPattern('**.requestId', 'requestId'); // true
 * matchesPathPattern('items[*].price', 'items[id=7].price'); // true
 * matchesPathPattern('a.*', 'a.b.c'); // false
 */
export function matchesPathPattern(pattern: string, path: string | readonly PathSegment[]): boolean {
  let m = cache.get(pattern);
  if (!m) {
    m = compilePathPattern(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, m);
  }
  return m(typeof path === 'string' ? parsePathLenient(path) : path);
}

/**
 * A matcher that is true when any of the patterns matches (false for none).
 *
 * @example
 * anyPattern(['meta.**', '**.requestId'])(['a', 'requestId']); // true
 */
export function anyPattern(patterns: readonly string[]): PathMatcher {
  const ms = patterns.map(compilePathPattern);
  if (ms.length === 0) return () => false;
  return (segs) => {
    for (const m of ms) if (m(segs)) return true;
    return false;
  };
}
