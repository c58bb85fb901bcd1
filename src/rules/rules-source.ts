import type { CompareRules, TandemConfig } from '../config';
import type { RuntimeRules } from './runtime-rules';

/**
 * The `rulesFor` of processExchange: the route's configured rules (the `compare`
 * defaults for a route the config does not name) with its runtime rules and learned
 * noise merged in (cached, re-read at least every second).
 *
 * @example
 * const rulesFor = rulesSource(config, runtimeRules);
 * await rulesFor('product'); // { ignore: [...config, ...added in the report], noise: [...learned] }
 */
export function rulesSource(
  config: Pick<TandemConfig, 'routes' | 'compare'>,
  rules: RuntimeRules,
): (route: string) => Promise<CompareRules> {
  const configured = new Map(config.routes.map((r) => [r.name, r.rules]));
  return (route) => rules.rulesFor(route, configured.get(route) ?? config.compare);
}
