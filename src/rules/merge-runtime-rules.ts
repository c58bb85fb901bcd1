import type { CompareRules } from '../config';

/**
 * A route's runtime rules: ignore and noise paths added in the report, paths marked
 * "not noise", arrays compared unordered or matched by a key, and the learned-noise
 * paths in effect (already without "not noise").
 *
 * @example
 * const lists: RuleLists = { ignore: ['meta.**'], noise: [], notNoise: ['price'], unordered: ['tags'], arrayKeys: { items: 'id' }, learned: ['ts'] };
 */
export interface RuleLists {
  ignore: string[];
  noise: string[];
  notNoise: string[];
  /** Arrays compared as multisets (order ignored). */
  unordered: string[];
  /** Arrays whose elements are matched by a key field: `{ items: 'id' }`. */
  arrayKeys: Record<string, string>;
  learned: string[];
}

/**
 * The rules a comparison uses: the configured rules with the runtime ignore and
 * unordered paths added and array keys merged (the runtime key wins), and noise =
 * configured + marked + learned, minus paths marked "not noise".
 *
 * @example
 * mergeRuntimeRules({ ignore: ['a'] }, { ignore: ['b'], noise: ['n'], notNoise: ['ts'], unordered: [], arrayKeys: {}, learned: ['ts', 'id'] });
 * // { ignore: ['a', 'b'], noise: ['n', 'id'] }
 */
export function mergeRuntimeRules(base: CompareRules, lists: RuleLists): CompareRules {
  const notNoise = new Set(lists.notNoise);
  const noise = unique([...(base.noise ?? []), ...lists.noise, ...lists.learned]).filter((p) => !notNoise.has(p));
  const ignore = unique([...(base.ignore ?? []), ...lists.ignore]);
  const out: CompareRules = { ...base };
  if (ignore.length || base.ignore) out.ignore = ignore;
  if (noise.length || base.noise) out.noise = noise;
  const unordered = unique([...(base.unordered ?? []), ...(lists.unordered ?? [])]);
  if (unordered.length || base.unordered) out.unordered = unordered;
  if (lists.arrayKeys && Object.keys(lists.arrayKeys).length) out.arrayKeys = { ...base.arrayKeys, ...lists.arrayKeys };
  return out;
}

const unique = (xs: string[]) => [...new Set(xs)];
