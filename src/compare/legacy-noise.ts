import type { CompareRules } from '../config';
import { collectDifferences } from './compare-responses';
import { compileRules } from './compile-rules';
import { formatPath } from './path';
import type { NormalisedResponse } from './types';

/**
 * The generalised paths where legacy differs from itself (legacy vs a second legacy
 * response to the same request), under the route's rules: the evidence for learned
 * noise. Undefined when the two are not comparable (status or body kind differ), so
 * a flaky legacy never teaches that a status change is noise.
 *
 * @example
 * legacyNoisePaths(json({ ts: 1, items: [{ at: 1 }] }), json({ ts: 2, items: [{ at: 2 }] }), {});
 * // ['items[*].at', 'ts']
 */
export function legacyNoisePaths(legacy: NormalisedResponse, repeat: NormalisedResponse, rules: CompareRules): string[] | undefined {
  if (repeat.status !== legacy.status || repeat.body.kind !== legacy.body.kind) return undefined;
  const { found } = collectDifferences(legacy, repeat, compileRules(rules));
  return [...new Set(found.map((d) => formatPath(d.segments, true)))].sort();
}
