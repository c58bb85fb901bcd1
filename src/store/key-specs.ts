import type { KeySpec } from './key-spec';
import { DEPLOYMENT_KEY_SPECS } from './key-specs-deployment';
import { DERIVED_KEY_SPECS } from './key-specs-derived';
import { RECORD_KEY_SPECS } from './key-specs-records';

/**
 * The declared keys of Tandem's one Redis schema (see the module comment of
 * `key-schema.ts`, which builds every key name from these declarations).
 */

/**
 * Every key a deployment uses, declared once: its name pattern, scope, type, whether it is
 * derived (deleted by rediff and recomputed from the stored exchanges) and how it expires.
 * `<name>` placeholders are written with `keySegment`, `<name#>` as the SHA-1 of the value.
 *
 * @example
 * KEY_SPECS.counters.pattern; // 'route:<route>:counters'
 *
 * Declared by family, one file each: deployment state (key-specs-deployment.ts), stored
 * records (key-specs-records.ts), derived route state (key-specs-derived.ts).
 */
export const KEY_SPECS = { ...DEPLOYMENT_KEY_SPECS, ...RECORD_KEY_SPECS, ...DERIVED_KEY_SPECS } as const;

/** A name declared by two families (one would silently replace the other above) fails to compile here. */
type Overlap =
  | (keyof typeof DEPLOYMENT_KEY_SPECS & keyof typeof RECORD_KEY_SPECS)
  | (keyof typeof DEPLOYMENT_KEY_SPECS & keyof typeof DERIVED_KEY_SPECS)
  | (keyof typeof RECORD_KEY_SPECS & keyof typeof DERIVED_KEY_SPECS);
const _oneFamilyEach: [Overlap] extends [never] ? true : Overlap = true;

export type { KeyScope, KeySpec } from './key-spec';

/**
 * The name of a declared key.
 *
 * @example
 * const n: KeyName = 'counters';
 */
export type KeyName = keyof typeof KEY_SPECS;

/**
 * The derived keys of a route, as rediff clears them: `fixed` names, and `families`
 * (keys with a variable last segment) to find by SCAN with `familyPattern`. Read from
 * `KEY_SPECS`, so declaring a derived key there is all it takes.
 *
 * @example
 * derivedRouteKeys().fixed.includes('signatures'); // true
 */
export function derivedRouteKeys(): { fixed: KeyName[]; families: KeyName[] } {
  const fixed: KeyName[] = [];
  const families: KeyName[] = [];
  for (const [name, s] of Object.entries(KEY_SPECS) as [KeyName, KeySpec][]) {
    if (s.derived !== true || s.scope !== 'route') continue;
    if ((s.pattern.match(/<[a-z]+#?>/g) ?? []).length > 1) families.push(name);
    else fixed.push(name);
  }
  return { fixed, families };
}
