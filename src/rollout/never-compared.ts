import { isSafeMethod } from '../upstream';

/**
 * Why a route can never be compared, whatever its traffic, or undefined when it can: a
 * route matching one write method (`POST /orders`) without `mirrorWrites` is never
 * mirrored to the candidate (the one rule: `isSafeMethod`), so its readiness has no
 * comparisons to count and its "volume" can never be reached. Routes matching `*` or a
 * safe method can be compared.
 *
 * @example
 * neverComparedReason({ match: 'POST /orders' }); // 'writes are not mirrored on this route (mirrorWrites is off)'
 * neverComparedReason({ match: 'POST /orders', mirrorWrites: true }); // undefined
 */
export function neverComparedReason(route: { match: string; mirrorWrites?: boolean }): string | undefined {
  const method = route.match.trim().split(/\s+/)[0];
  if (method === '*' || isSafeMethod(method) || route.mirrorWrites) return undefined;
  return 'writes are not mirrored on this route (mirrorWrites is off)';
}
