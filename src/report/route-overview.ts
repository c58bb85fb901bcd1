import type { ResolvedRoute } from '../config';
import type { ResultsReader } from '../store';
import { matchFigures, matchRate, routeSummaries, worstFirst, type RouteSummary } from './queries';
import { readTrends, type Trend } from './trend';

/**
 * An overview row: the summary plus the totals the page shows.
 *
 * @example
 * const row: RouteRow = await routeRow(store, config.routes, 'product', 60, Date.now());
 */
export interface RouteRow extends RouteSummary {
  seen: number;
  shadowed: number;
  /** Exchanges whose request translator failed: never sent to the candidate, compared as `translation_error`. */
  untranslated: number;
  compared: number;
  /** The `mismatch` counter, under its name (as `counters.mismatch`, the trend's and the customers' `mismatch`). */
  mismatch: number;
  /** @deprecated The same number as `mismatch`, under the name the overview used before; kept for existing readers. */
  mismatches: number;
  /** candidate_error + translation_error + unparseable + too_large. */
  errors: number;
  noise: number;
  /** Exchanges lost before comparison (sum of `dropped:*`). */
  dropped: number;
  trend?: Trend;
}

/**
 * Orders of the overview (`?sort=`); `worst` is the default.
 *
 * @example
 * const sort: RouteSort = 'mismatches';
 */
export type RouteSort = 'worst' | 'name' | 'mismatches' | 'seen' | 'errors';

/**
 * How to page the overview.
 *
 * @example
 * const q: RouteQuery = { offset: 0, limit: 50, sort: 'worst', trendMinutes: 60, now: Date.now() };
 */
export interface RouteQuery {
  offset: number;
  limit: number;
  sort: RouteSort;
  /** Substring of the route name. */
  q?: string;
  /** Minutes of per-minute trend to attach to the page's rows (0: none). */
  trendMinutes: number;
  now: number;
}

const SORTS: Record<RouteSort, (a: RouteRow, b: RouteRow) => number> = {
  worst: worstFirst,
  name: (a, b) => a.name.localeCompare(b.name),
  mismatches: (a, b) => b.mismatch - a.mismatch || a.name.localeCompare(b.name),
  seen: (a, b) => b.seen - a.seen || a.name.localeCompare(b.name),
  errors: (a, b) => b.errors - a.errors || a.name.localeCompare(b.name),
};

/**
 * One page of the overview, sorted server-side; trends are read for the page only.
 *
 * @example
 * const { total, routes } = await routePage(store, config.routes, { offset: 0, limit: 50, sort: 'worst', trendMinutes: 60, now: Date.now() });
 */
export async function routePage(
  store: ResultsReader,
  routes: readonly ResolvedRoute[],
  q: RouteQuery,
): Promise<{ total: number; routes: RouteRow[] }> {
  const needle = q.q?.toLowerCase();
  const rows = (await routeSummaries(store, routes)).filter((r) => !needle || r.name.toLowerCase().includes(needle)).map(toRow);
  rows.sort(SORTS[q.sort]);
  const page = rows.slice(q.offset, q.offset + q.limit);
  if (q.trendMinutes > 0 && page.length) {
    const trends = await readTrends(
      store,
      page.map((r) => r.name),
      q.trendMinutes,
      q.now,
    );
    page.forEach((r) => (r.trend = trends[r.name]));
  }
  return { total: rows.length, routes: page };
}

/**
 * One route's overview row (with its trend), without reading the others.
 *
 * @example
 * const row = await routeRow(store, config.routes, 'product', 60, Date.now());
 */
export async function routeRow(
  store: ResultsReader,
  routes: readonly ResolvedRoute[],
  name: string,
  trendMinutes: number,
  now: number,
): Promise<RouteRow> {
  const [counters, trends] = await Promise.all([
    store.counters([name]),
    trendMinutes > 0 ? readTrends(store, [name], trendMinutes, now) : Promise.resolve(null),
  ]);
  const c = counters[name] ?? {};
  const configured = routes.find((r) => r.name === name);
  const row = toRow({ name, match: configured?.match ?? '', phase: configured?.phase ?? 'unknown', counters: c, matchRate: matchRate(c) });
  if (trends) row.trend = trends[name];
  return row;
}

function toRow(s: RouteSummary): RouteRow {
  const c = s.counters;
  const sum = (keys: readonly string[]) => keys.reduce((n, k) => n + (c[k] ?? 0), 0);
  return {
    ...s,
    seen: c.seen ?? 0,
    shadowed: c.shadowed ?? 0,
    untranslated: c.untranslated ?? 0,
    compared: c.compared ?? 0,
    mismatch: c.mismatch ?? 0,
    mismatches: c.mismatch ?? 0,
    errors: matchFigures(c).errors,
    noise: c.noise_only ?? 0,
    dropped: sum(Object.keys(c).filter((k) => k.startsWith('dropped:'))),
  };
}
