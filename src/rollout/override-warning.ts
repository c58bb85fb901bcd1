import type { RolloutState } from './types';

/** What a config without `customer:` is told (config check, the CLI, the API). */
export const NO_CUSTOMER_IDENTIFICATION =
  'no `customer` identification is configured, so every request is `anonymous` and customer and group overrides and percentage rollouts never apply: ' +
  'configure one, e.g. customer: { from: header, name: x-customer-id } (README "Rollout")';

/**
 * A warning when the rollout holds customer overrides, customer groups, group phases or a
 * percentage that can never apply, because no customer identification is configured (`customer`
 * undefined: every request is `anonymous`, and anonymous requests follow the route phase
 * only, see `decidePhase`); undefined otherwise.
 *
 * @example
 * overridesWarning(state, undefined); // 'route "product" has 1 customer override ... never apply: ...' when product has { acme: 'candidate' }
 */
export function overridesWarning(state: RolloutState, customer: unknown): string | undefined {
  if (customer !== undefined) return undefined;
  const parts = Object.entries(state.routes).flatMap(([name, r]) => {
    const customers = Object.keys(r.customers).length;
    const groups = Object.keys(r.groups).length;
    const what = [
      customers ? `${customers} customer override${customers === 1 ? '' : 's'}` : '',
      groups ? `${groups} group phase${groups === 1 ? '' : 's'}` : '',
      r.percentage > 0 ? `a ${r.percentage}% rollout` : '',
    ].filter(Boolean);
    return what.length ? [`route "${name}" has ${new Intl.ListFormat('en').format(what)}`] : [];
  });
  // A group is defined to be given a phase: defining one is the first step of an override that never applies.
  const groups = Object.keys(state.groups);
  if (groups.length)
    parts.push(`customer group${groups.length === 1 ? '' : 's'} ${new Intl.ListFormat('en').format(groups.map((g) => `"${g}"`))} defined`);
  return parts.length ? `${parts.join('; ')}; ${NO_CUSTOMER_IDENTIFICATION}` : undefined;
}
