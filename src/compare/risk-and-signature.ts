import type { Risk } from '../records';
import type { FoundDifference } from './found-difference';
import { formatPath } from './path';

/**
 * Risk of a set of counted differences: high when the status changed, something was
 * removed or changed type; medium when a value changed or an array gained an element;
 * low when fields were only added.
 *
 * @example
 * riskOf([{ area: 'body', segments: ['a'], path: 'a', kind: 'changed', legacy: 1, candidate: 2 }]); // 'medium'
 */
export function riskOf(differences: readonly FoundDifference[]): Risk {
  let risk: Risk = 'low';
  for (const d of differences) {
    if (d.area === 'status' || d.kind === 'removed' || d.kind === 'type_changed') return 'high';
    if (d.kind === 'changed' || d.element) risk = 'medium';
  }
  return risk;
}

/**
 * The signature of a mismatch: sorted unique generalised paths (indices and keyed
 * selectors as `[*]`) joined with `|`, so the same kind of mismatch groups together.
 *
 * @example
 * signatureOf([diffAt('items[3].price'), diffAt('items[5].price'), diffAt('$status')]); // '$status|items[*].price'
 */
export function signatureOf(differences: readonly FoundDifference[]): string {
  const paths = new Set<string>();
  for (const d of differences) paths.add(formatPath(d.segments, true));
  return [...paths].sort().join('|');
}
