import type { IncomingMessage } from 'node:http';
import type { ResolvedRoute } from '../config';
import type { Query } from '../records';
import type { Phase, Rollout } from '../rollout';
import { splitRequestUrl } from './exchange-state';

/**
 * Who a request is from and the phase it gets.
 *
 * @example
 * const d: RequestDecision = { customer: 'acme', phase: 'candidate', sampleRate: 1, path: '/products/1', query: {}, rawQuery: '' };
 */
export interface RequestDecision {
  customer: string;
  phase: Phase;
  sampleRate: number;
  /** Path without the query, the raw query (with `?`) and the parsed query. */
  path: string;
  query: Query;
  rawQuery: string;
}

/**
 * Identify the customer of a request that matched `route` and decide its phase from
 * the rollout state in force (no Redis round trip). A customer that was presented
 * but unusable (bad token, invalid id, a throwing resolver) is counted on the route as
 * `customer:<problem>` and the request is anonymous.
 *
 * @example
 * const d = decideRequest({ rollout, counters }, req, route, { id: '1' }, '/products/1?x=2');
 */
export function decideRequest(
  rt: { rollout: Pick<Rollout, 'identify' | 'decide'>; counters: { add(route: string, field: string): void } },
  req: IncomingMessage,
  route: ResolvedRoute,
  params: Record<string, string>,
  url: string,
): RequestDecision {
  const { path, query, rawQuery } = splitRequestUrl(url);
  const who = rt.rollout.identify({ method: req.method ?? 'GET', path, headers: req.headers, query, params, raw: req });
  if (who.problem) rt.counters.add(route.name, `customer:${who.problem}`);
  const d = rt.rollout.decide(route.name, who.customer);
  return { customer: who.customer, phase: d?.phase ?? route.phase, sampleRate: d?.sampleRate ?? route.sampleRate, path, query, rawQuery };
}
