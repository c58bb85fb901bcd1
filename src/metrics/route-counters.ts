import type { ResultsReader } from '../store';

/**
 * The per-route counters read at scrape time for `tandem_match_rate` and `tandem_results`:
 * every configured route plus every route Redis has counters for, as the report lists
 * them. One definition for `tandem serve` and `tandem worker --metrics-port`, so both
 * expose the same figures.
 *
 * @param routes the config's route names (a route with no result yet has no sample)
 * @param store the results store, or `null` while it is not ready (the read then rejects)
 * @returns counters by route name, `{ seen: 12, match: 9, ... }`
 * @example
 * metrics.watchQueue({ lag, routeCounters: routeCountersReader(config.routes.map((r) => r.name), () => store) });
 */
export function routeCountersReader(
  routes: readonly string[],
  store: () => Pick<ResultsReader, 'counters' | 'routeNames'> | null | undefined,
): () => Promise<Record<string, Record<string, number>>> {
  return async () => {
    const s = store();
    if (!s) throw new Error('the store is not ready yet');
    return s.counters([...new Set([...routes, ...(await s.routeNames())])]);
  };
}
