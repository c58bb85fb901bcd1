/**
 * What one declaration of `KEY_SPECS` (key-specs.ts) is, and how the family files write it.
 */

/**
 * Scope of a key: one per deployment, one per route (its pattern holds `<route>`), or
 * one per exchange id (records of one route, addressed by Tandem's own id).
 *
 * @example
 * const s: KeyScope = KEY_SPECS.counters.scope; // 'route'
 */
export type KeyScope = 'deployment' | 'route' | 'exchange';

/**
 * One declared key: `derived` is true when rediff deletes and recomputes it, `'fields'`
 * when only some of its hash fields are derived (see `isDerivedCounter`), false for
 * user or ingress state. `expiry` says how the key is bounded in time or size.
 *
 * @example
 * const s: KeySpec = KEY_SPECS.trend; // { pattern: 'route:<route>:trend:<hour>', derived: true, expiry: '25 hours', ... }
 */
export interface KeySpec {
  pattern: string;
  scope: KeyScope;
  type: 'string' | 'hash' | 'set' | 'zset' | 'list' | 'hll';
  derived: boolean | 'fields';
  expiry: string;
  about: string;
}

/**
 * One declaration, written positionally as the family files list them.
 *
 * @example
 * spec('drops', 'deployment', 'hash', false, 'none', 'Exchanges dropped before a route was known, by reason.');
 */
export function spec(
  pattern: string,
  scope: KeyScope,
  type: KeySpec['type'],
  derived: KeySpec['derived'],
  expiry: string,
  about: string,
): KeySpec {
  return { pattern, scope, type, derived, expiry, about };
}
