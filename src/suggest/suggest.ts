import type { ExchangeRecord } from '../records';
import { renderDraft } from './draft';
import { inferRequest } from './infer-request';
import { inferResponse } from './infer-response';
import { toPair, type Pair } from './pairs';
import type { Rule } from './rule';

/**
 * What `tandem suggest` found for a route.
 *
 * @example
 * const s: Suggestion = suggestTranslator(exchanges, { route: 'product' });
 * writeFileSync('product.ts', s.draft);
 */
export interface Suggestion {
  route: string;
  /** Exchanges read, and those with a candidate answer (the pairs). */
  exchanges: number;
  pairs: number;
  rules: Rule[];
  /** The draft translator module, TypeScript. */
  draft: string;
}

/**
 * Infer the mapping a route needs from its exchanges (legacy answers against the
 * candidate's raw answers, and the requests each side got) and draft a translator on the kit.
 *
 * @example
 * suggestTranslator(exchanges, { route: 'product', importFrom: 'tandem' }).rules.map((r) => r.text);
 */
export function suggestTranslator(
  exchanges: readonly ExchangeRecord[],
  o: { route: string; name?: string; importFrom?: string },
): Suggestion {
  const pairs = exchanges
    .filter((e) => e.route === o.route)
    .map(toPair)
    .filter((p): p is Pair => p !== null);
  const rules = [...inferRequest(pairs), ...inferResponse(pairs)];
  const draft = renderDraft(rules, {
    route: o.route,
    name: o.name ?? `${o.route}-suggested`,
    importFrom: o.importFrom ?? 'tandem',
    exchanges: pairs.length,
  });
  return { route: o.route, exchanges: exchanges.filter((e) => e.route === o.route).length, pairs: pairs.length, rules, draft };
}
