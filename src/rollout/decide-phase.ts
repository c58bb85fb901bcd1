import { inRollout } from './hash-bucket';
import type { PhaseDecision, RouteRollout } from './types';

/** The customer id of requests with none. */
export const ANONYMOUS = 'anonymous';

/**
 * The phase of one request. Precedence: the customer's own override, then a group
 * the customer is in (the first by name when several have an override), then the
 * percentage rollout (a customer whose bucket is below it gets `candidate`, when the
 * route phase is `legacy` or `shadow`), then the route phase. Anonymous requests
 * follow the route phase only.
 *
 * @example
 * decidePhase({ phase: 'shadow', percentage: 0, sampleRate: 1, customers: { acme: 'candidate' }, groups: {} }, 'acme', []);
 * // { phase: 'candidate', source: 'customer', sampleRate: 1 }
 */
export function decidePhase(route: RouteRollout, customer: string, customerGroups: readonly string[]): PhaseDecision {
  const sampleRate = route.sampleRate;
  if (customer === ANONYMOUS) return { phase: route.phase, source: 'route', sampleRate };
  const own = Object.hasOwn(route.customers, customer) ? route.customers[customer] : undefined;
  if (own) return { phase: own, source: 'customer', sampleRate };
  for (const g of customerGroups) {
    const p = Object.hasOwn(route.groups, g) ? route.groups[g] : undefined;
    if (p) return { phase: p, source: 'group', sampleRate };
  }
  if ((route.phase === 'legacy' || route.phase === 'shadow') && inRollout(customer, route.percentage)) {
    return { phase: 'candidate', source: 'percentage', sampleRate };
  }
  return { phase: route.phase, source: 'route', sampleRate };
}

/**
 * Index groups by member: customer id → its group names, sorted.
 *
 * @example
 * groupsByCustomer({ beta: ['acme'], vip: ['acme', 'globex'] }).get('acme'); // ['beta', 'vip']
 */
export function groupsByCustomer(groups: Record<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of Object.keys(groups).sort()) {
    for (const c of groups[name]) {
      const list = out.get(c);
      if (list) list.push(name);
      else out.set(c, [name]);
    }
  }
  return out;
}
