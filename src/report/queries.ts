import type { ResolvedRoute } from '../config';
import { errorReasonOf, type ExchangeRecord, type ResultClass } from '../records';
import { matchRate, type MismatchRecord, type ResultsReader } from '../store';
import { requestLine } from './request-line';

export { ERROR_CLASSES, formatRate, matchFigures, matchRate } from '../store';

/**
 * One row of the overview.
 *
 * @example
 * const [worst]: RouteSummary[] = await routeSummaries(store, config.routes);
 */
export interface RouteSummary {
  name: string;
  match: string;
  phase: string;
  counters: Record<string, number>;
  /** The match rate (store's `matchFigures`: errors count against it); null before any result. */
  matchRate: number | null;
}

/**
 * Every configured route (and any route seen in Redis) with its counters, worst first.
 *
 * @example
 * const rows = await routeSummaries(store, config.routes);
 */
export async function routeSummaries(store: ResultsReader, routes: readonly ResolvedRoute[]): Promise<RouteSummary[]> {
  const names = [...new Set([...routes.map((r) => r.name), ...(await store.routeNames())])];
  const counters = await store.counters(names);
  const byName = new Map(routes.map((r) => [r.name, r]));
  return names
    .map((name) => {
      const c = counters[name] ?? {};
      return {
        name,
        match: byName.get(name)?.match ?? '',
        phase: byName.get(name)?.phase ?? 'unknown',
        counters: c,
        matchRate: matchRate(c),
      };
    })
    .sort(worstFirst);
}

/**
 * Worst first: lowest match rate, then most mismatches, then name; routes without comparisons last.
 *
 * @example
 * rows.sort(worstFirst);
 */
export function worstFirst(a: RouteSummary, b: RouteSummary): number {
  return (a.matchRate ?? 2) - (b.matchRate ?? 2) || (b.counters.mismatch ?? 0) - (a.counters.mismatch ?? 0) || a.name.localeCompare(b.name);
}

/**
 * A stored result as listed: enough to scan, not the bodies.
 *
 * @example
 * const row: MismatchSummary = summarise(record);
 */
export interface MismatchSummary {
  id: string;
  at: number;
  route: string;
  customer: string;
  method: string;
  path: string;
  /** Method, path and query as one line: `GET /posts?page=2`. */
  requestLine: string;
  class: ResultClass;
  legacyStatus: number;
  candidateStatus: number | null;
  risk: string | undefined;
  signature: string | undefined;
  differences: number;
  /** Why, for error classes. */
  reason?: string;
  /** Identical exchange pairs counted but not stored again. */
  duplicates?: number;
}

/**
 * One page of a route's mismatches, newest first (unfiltered; see `listResults` for filters).
 *
 * @example
 * const page = await mismatchPage(store, 'product', { offset: 0, limit: 50 });
 */
export async function mismatchPage(
  store: ResultsReader,
  route: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; items: MismatchSummary[] }> {
  const { ids, total } = await store.mismatchIds(route, page.offset, page.limit);
  const items = (await store.mismatches(ids)).map(summarise);
  return { total, items };
}

/**
 * The list form of a stored mismatch.
 *
 * @example
 * summarise(record).signature; // 'price'
 */
export function summarise(m: MismatchRecord): MismatchSummary {
  return {
    ...summariseExchange(m.exchange, m.result.class),
    candidateStatus: m.translatedCandidate?.status ?? m.exchange.candidate?.status ?? null,
    risk: m.result.risk,
    signature: m.result.signature,
    differences: m.result.differences.length + (m.result.omittedDifferences ?? 0),
    reason: m.result.reason,
    ...(m.duplicates ? { duplicates: m.duplicates } : {}),
  };
}

/**
 * The list form of a stored exchange whose class is known from the index it was found in.
 *
 * @example
 * summariseExchange(exchange, 'candidate_error').reason; // 'timeout: no complete response within 2000 ms'
 */
export function summariseExchange(ex: ExchangeRecord, cls: ResultClass): MismatchSummary {
  const reason = errorReasonOf(ex, cls);
  return {
    id: ex.id,
    at: ex.at,
    route: ex.route,
    customer: ex.customer,
    method: ex.request.method,
    path: ex.request.path,
    requestLine: requestLine(ex.request),
    class: cls,
    legacyStatus: ex.legacy.status,
    candidateStatus: ex.candidate?.status ?? null,
    risk: undefined,
    signature: undefined,
    differences: 0,
    ...(reason ? { reason } : {}),
  };
}
