import type { FoundDifference } from './found-difference';
import { looksVolatile } from './looks-volatile';
import { differenceSide } from './difference-side';
import type { PathSegment } from './path';

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  if (a === b) return true;
  return typeof a === 'object' && typeof b === 'object' && a.key === b.key && a.value === b.value;
}

/**
 * True when `prefix` is the same path as `path` or one of its ancestors.
 *
 * @example
 * isSameOrAncestor(['meta'], ['meta', 'ts']); // true
 * isSameOrAncestor(['meta', 'ts'], ['meta']); // false
 */
export function isSameOrAncestor(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!sameSegment(prefix[i], path[i])) return false;
  return true;
}

/**
 * Remove the differences that legacy also shows against itself. A difference is noise
 * when a legacy-vs-legacyRepeat difference in the same area (status, header, body) is
 * at the same path or an ancestor of it. Returns what still counts and the sorted,
 * unique paths of the cancelled differences.
 *
 * @example
 * subtractNoise([tsDiff, priceDiff], [tsNoise]); // { counted: [priceDiff], cancelled: ['meta.ts'] }
 */
export function subtractNoise(
  found: FoundDifference[],
  noisy: readonly FoundDifference[],
): { counted: FoundDifference[]; cancelled: string[] } {
  if (noisy.length === 0 || found.length === 0) return { counted: found, cancelled: [] };
  const counted: FoundDifference[] = [];
  const cancelled = new Set<string>();
  for (const d of found) {
    if (noisy.some((n) => n.area === d.area && isSameOrAncestor(n.segments, d.segments))) cancelled.add(d.path);
    else counted.push(d);
  }
  return { counted, cancelled: [...cancelled].sort() };
}

/**
 * Paths of changed values where both sides look volatile (timestamps, uuids, random
 * ids): flagged for the reader, still counted.
 *
 * @example
 * suspectedNoisePaths([{ path: 'at', kind: 'changed', legacy: '2024-01-01T00:00:00Z', candidate: '2024-01-01T00:00:01Z', ... }]); // ['at']
 */
export function suspectedNoisePaths(differences: readonly FoundDifference[]): string[] {
  const out = new Set<string>();
  for (const d of differences) {
    const changed = d.kind === 'changed' || d.kind === 'type_changed';
    // a number stored as its digits is read as the number: 20 digits of a string look like an id, of a number not
    if (changed && looksVolatile(differenceSide(d, 'legacy')) && looksVolatile(differenceSide(d, 'candidate'))) out.add(d.path);
  }
  return [...out];
}
