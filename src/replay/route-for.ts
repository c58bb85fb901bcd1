import type { ResolvedRoute } from '../config';
import { isSafeMethod } from '../upstream';

/**
 * Why a matched request is not replayed, following the ingress rules: routes in
 * phase `legacy` are never shadowed, and writes only where the route has `mirrorWrites`.
 * `sampleRate` does not apply: a replay sends every request of the file.
 *
 * @example
 * skipReason(route, 'POST'); // 'write' unless route.mirrorWrites
 */
export function skipReason(route: ResolvedRoute, method: string): string | null {
  if (route.phase === 'legacy') return 'legacy_phase';
  if (!isSafeMethod(method) && !route.mirrorWrites) return 'write';
  return null;
}
