import type { Difference } from '../records';
import type { PathSegment } from './path';

/**
 * Which part of the response a difference is in; noise only cancels within one area.
 *
 * @example
 * const area: DifferenceArea = 'header'; // for `$headers.*` paths
 */
export type DifferenceArea = 'status' | 'header' | 'body';

/**
 * A difference as the differs find it, before it is reported.
 *
 * @example
 * const d: FoundDifference = { area: 'body', segments: ['items', 3, 'price'], path: 'items[3].price', kind: 'changed', legacy: 1, candidate: 2 };
 */
export interface FoundDifference extends Difference {
  area: DifferenceArea;
  /** The path as segments, for signatures and ancestor checks without re-parsing. */
  segments: readonly PathSegment[];
  /** True when a whole array element (not an object field) was added or removed. */
  element?: boolean;
}

/**
 * Strip the internal fields of a found difference for the result.
 *
 * @example
 * toDifference({ area: 'status', segments: ['$status'], path: '$status', kind: 'changed', legacy: 200, candidate: 404 });
 * // { path: '$status', kind: 'changed', legacy: 200, candidate: 404 }
 */
export function toDifference(d: FoundDifference): Difference {
  const out: Difference = { path: d.path, kind: d.kind };
  if ('legacy' in d) out.legacy = d.legacy;
  if ('candidate' in d) out.candidate = d.candidate;
  if (d.digits) out.digits = d.digits;
  return out;
}
