import type { ResolvedRoute } from '../config';
import type { MismatchRecord, ResultsStore } from '../store';

/** One row of the overview. */
export interface RouteSummary {
  name: string;
  match: string;
  phase: string;
  counters: Record<string, number>;
  /** matches / (compared - candidate_error - translation_error - too_large - unparseable); null before any. */
  matchRate: number | null;
}

/**
 * Every configured route (and any route seen in Redis) with its counters, worst first.
 *
 * @example
 * const rows = await routeSummaries(store, config.routes);
 */
export async function routeSummaries(store: ResultsStore, routes: readonly ResolvedRoute[]): Promise<RouteSummary[]> {
  const names = [...new Set([...routes.map((r) => r.name), ...(await store.routeNames())])];
  const counters = await store.counters(names);
  const byName = new Map(routes.map((r) => [r.name, r]));
  return names
    .map((name) => {
      const c = counters[name] ?? {};
      const comparable = (c.match ?? 0) + (c.mismatch ?? 0) + (c.noise_only ?? 0);
      return {
        name,
        match: byName.get(name)?.match ?? '',
        phase: byName.get(name)?.phase ?? 'unknown',
        counters: c,
        matchRate: comparable ? ((c.match ?? 0) + (c.noise_only ?? 0)) / comparable : null,
      };
    })
    .sort((a, b) => (a.matchRate ?? 2) - (b.matchRate ?? 2) || (b.counters.mismatch ?? 0) - (a.counters.mismatch ?? 0) || a.name.localeCompare(b.name));
}

/** A mismatch as listed: enough to scan, not the bodies. */
export interface MismatchSummary {
  id: string;
  at: number;
  route: string;
  customer: string;
  method: string;
  path: string;
  legacyStatus: number;
  candidateStatus: number | null;
  risk: string | undefined;
  signature: string | undefined;
  differences: number;
}

/**
 * One page of a route's mismatches, newest first.
 *
 * @example
 * const page = await mismatchPage(store, 'product', { offset: 0, limit: 50 });
 */
export async function mismatchPage(store: ResultsStore, route: string, page: { offset: number; limit: number }): Promise<{ total: number; items: MismatchSummary[] }> {
  const { ids, total } = await store.mismatchIds(route, page.offset, page.limit);
  const items = (await store.mismatches(ids)).map(summarise);
  return { total, items };
}

export function summarise(m: MismatchRecord): MismatchSummary {
  const ex = m.exchange;
  return {
    id: ex.id,
    at: ex.at,
    route: ex.route,
    customer: ex.customer,
    method: ex.request.method,
    path: ex.request.path,
    legacyStatus: ex.legacy.status,
    candidateStatus: m.translatedCandidate?.status ?? ex.candidate?.status ?? null,
    risk: m.result.risk,
    signature: m.result.signature,
    differences: m.result.differences.length,
  };
}
