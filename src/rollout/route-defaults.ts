import type { ResolvedRoute } from '../config';
import { neverComparedReason } from './never-compared';
import type { RouteDefaults } from './state-codec';

/**
 * The rollout's defaults per configured route (phase, sample rate, and why it is never
 * compared, if so): what the served rollout and `tandem rollout` both start from.
 *
 * @example
 * routeDefaults([{ name: 'orders', match: 'POST /orders', phase: 'shadow', sampleRate: 1, mirrorWrites: false }])[0].notCompared;
 * // 'writes are not mirrored on this route (mirrorWrites is off)'
 */
export function routeDefaults(
  routes: readonly Pick<ResolvedRoute, 'name' | 'match' | 'phase' | 'sampleRate' | 'mirrorWrites'>[],
): RouteDefaults[] {
  return routes.map((r) => ({ name: r.name, phase: r.phase, sampleRate: r.sampleRate, notCompared: neverComparedReason(r) }));
}
