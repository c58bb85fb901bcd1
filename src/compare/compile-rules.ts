import type { CompareRules } from '../config';
import type { PathSegment } from './path';
import { anyPattern, compilePathPattern, type PathMatcher } from './path-pattern';
import { compileNoisePatterns } from './known-noise';

/**
 * Compare rules with their patterns compiled and defaults filled.
 *
 * @example
 * const rules: CompiledRules = compileRules({ numericTolerance: 0.01 });
 * rules.numericTolerance; // 0.01
 */
export interface CompiledRules {
  /** True when a difference at this path is ignored: the path or one of its ancestors matches an ignore pattern. */
  ignored: PathMatcher;
  /** True when a difference at this path is known noise (`noise` rules: hand-marked or learned), or below one. */
  noisy: PathMatcher;
  /** True when there are noise rules at all. */
  hasNoise: boolean;
  /** Key field for arrays matched by element key, or undefined. */
  arrayKeyAt: (segments: readonly PathSegment[]) => string | undefined;
  /** True when the array at this path is compared as a multiset. */
  unorderedAt: PathMatcher;
  /** True when there are arrayKeys or unordered rules at all (skips lookups otherwise). */
  hasArrayRules: boolean;
  numericTolerance: number;
  allowAdded: boolean;
  /** Compared header names (lower-case); may contain `*`. */
  headers: readonly string[];
}

/**
 * Headers compared when the rules name none.
 *
 * @example
 * compileRules({}).headers; // ['content-type']
 */
export const DEFAULT_COMPARED_HEADERS: readonly string[] = ['content-type'];

const cache = new WeakMap<CompareRules, CompiledRules>();

/**
 * Compile compare rules once (cached per rules object, which the config freezes).
 * Keys of `arrayKeys` and entries of `unordered` are path patterns like `items`,
 * `data.items` or `**.items`. Throws on a malformed pattern.
 *
 * @example
 * const rules = compileRules({ ignore: ['meta.**'], arrayKeys: { items: 'id' } });
 * rules.ignored(['meta', 'trace']); // true
 * rules.arrayKeyAt(['items']); // 'id'
 */
export function compileRules(rules: CompareRules = {}): CompiledRules {
  const hit = cache.get(rules);
  if (hit) return hit;
  const keyed = Object.entries(rules.arrayKeys ?? {}).map(([p, key]) => ({ match: compilePathPattern(p), key }));
  const compiled: CompiledRules = {
    ignored: selfOrAncestor(anyPattern(rules.ignore ?? []), (rules.ignore?.length ?? 0) > 0),
    noisy: compileNoisePatterns(rules.noise ?? []),
    hasNoise: (rules.noise?.length ?? 0) > 0,
    arrayKeyAt: (segs) => {
      for (const k of keyed) if (k.match(segs)) return k.key;
      return undefined;
    },
    unorderedAt: anyPattern(rules.unordered ?? []),
    hasArrayRules: keyed.length > 0 || (rules.unordered?.length ?? 0) > 0,
    numericTolerance: rules.numericTolerance ?? 0,
    allowAdded: rules.allowAdded ?? true,
    headers: (rules.headers ?? DEFAULT_COMPARED_HEADERS).map((h) => h.toLowerCase()),
  };
  cache.set(rules, compiled);
  return compiled;
}

/** Lift a matcher so that it also matches every path below a matching one. */
function selfOrAncestor(m: PathMatcher, any: boolean): PathMatcher {
  if (!any) return () => false;
  return (segs) => {
    for (let n = 1; n < segs.length; n++) if (m(segs.slice(0, n))) return true;
    return m(segs);
  };
}
