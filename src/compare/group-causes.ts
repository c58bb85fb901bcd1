import type { Difference } from '../records';
import { classifyDifferences, type DifferenceCause } from './classify-difference';

/**
 * One cause with how often it occurred and a few of its differences.
 *
 * @example
 * const g: CauseGroup = { cause, differences: 12, comparisons: 4, examples: [{ path: 'a', kind: 'changed', legacy: 1, candidate: 2 }] };
 */
export interface CauseGroup {
  cause: DifferenceCause;
  /** Differences with this cause. */
  differences: number;
  /** Comparisons (difference lists) in which the cause occurred at least once. */
  comparisons: number;
  /** Up to `maxExamples` of its differences, first seen first. */
  examples: Difference[];
}

/**
 * Group the differences of many comparisons by cause, most frequent first (ties by key).
 * Each list is classified with `classifyDifferences`, so reorders are seen within a comparison.
 *
 * @example
 * groupByCause([[{ path: 'a[0]', kind: 'removed', legacy: 1 }], [{ path: 'a[2]', kind: 'removed', legacy: 5 }]]);
 * // [{ cause: { key: 'a[*]|removed|missing_in_candidate', ... }, differences: 2, comparisons: 2, examples: [...] }]
 */
export function groupByCause(comparisons: Iterable<readonly Difference[]>, maxExamples = 3): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const ds of comparisons) {
    const seen = new Set<string>();
    classifyDifferences(ds).forEach((cause, i) => {
      let g = groups.get(cause.key);
      if (!g) groups.set(cause.key, (g = { cause, differences: 0, comparisons: 0, examples: [] }));
      g.differences++;
      if (!seen.has(cause.key)) {
        seen.add(cause.key);
        g.comparisons++;
      }
      if (g.examples.length < maxExamples) g.examples.push(ds[i]);
    });
  }
  return [...groups.values()].sort((a, b) => b.differences - a.differences || (a.cause.key < b.cause.key ? -1 : 1));
}
