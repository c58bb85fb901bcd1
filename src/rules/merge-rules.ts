import type { CompareRules } from '../config';

/**
 * A route's configured compare rules over the `compare` defaults: fields override one by
 * one; `ignore`, `unordered` and `noise` lists are concatenated; `arrayKeys` merge.
 *
 * @example
 * mergeRules({ ignore: ['ts'] }, { ignore: ['meta.**'], numericTolerance: 0.01 });
 * // { ignore: ['ts', 'meta.**'], unordered: [], noise: [], arrayKeys: {}, numericTolerance: 0.01 }
 */
export function mergeRules(defaults: CompareRules, route: CompareRules | undefined): CompareRules {
  if (!route) return defaults;
  return {
    ...defaults,
    ...route,
    ignore: [...(defaults.ignore ?? []), ...(route.ignore ?? [])],
    unordered: [...(defaults.unordered ?? []), ...(route.unordered ?? [])],
    noise: [...(defaults.noise ?? []), ...(route.noise ?? [])],
    arrayKeys: { ...defaults.arrayKeys, ...route.arrayKeys },
  };
}
