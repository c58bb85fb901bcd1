import type { FoundDifference } from './found-difference';
import type { PathSegment } from './path';
import { compilePathPattern, type PathMatcher } from './path-pattern';

/**
 * Compile the `noise` rule patterns (hand-marked or learned noise paths) into one
 * matcher that is true for a matching path and everything below it. The pattern
 * `$body` stands for the root of the body. Throws on a malformed pattern.
 *
 * @example
 * const noisy = compileNoisePatterns(['meta.ts', 'items[*].etag']);
 * noisy(['items', 3, 'etag']); // true
 * noisy(['meta', 'ts', 'zone']); // true (below a noise path)
 * noisy(['price']); // false
 */
export function compileNoisePatterns(patterns: readonly string[]): PathMatcher {
  if (patterns.length === 0) return () => false;
  const root = patterns.includes('$body');
  const ms = patterns.filter((p) => p !== '$body').map(compilePathPattern);
  const any = (segs: readonly PathSegment[]) => ms.some((m) => m(segs));
  return (segs) => {
    if (root) return true;
    for (let n = 1; n <= segs.length; n++) if (any(segs.slice(0, n))) return true;
    return false;
  };
}

/**
 * Move the differences at known-noise paths from `counted` to `cancelled` (sorted,
 * unique concrete paths), as per-request noise subtraction does.
 *
 * @example
 * subtractKnownNoise([tsDiff, priceDiff], [], compileNoisePatterns(['ts']));
 * // { counted: [priceDiff], cancelled: ['ts'] }
 */
export function subtractKnownNoise(
  found: FoundDifference[],
  cancelledBefore: readonly string[],
  noisy: PathMatcher,
): { counted: FoundDifference[]; cancelled: string[] } {
  const counted: FoundDifference[] = [];
  const cancelled = new Set(cancelledBefore);
  for (const d of found) {
    if (d.area !== 'status' && noisy(d.segments)) cancelled.add(d.path);
    else counted.push(d);
  }
  return { counted, cancelled: [...cancelled].sort() };
}
