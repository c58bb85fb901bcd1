import { Gauge, type Registry } from 'prom-client';
import { matchFigures } from '../store';
import { scrapeRead, SCRAPE_READ_TIMEOUT_MS } from './scrape-read';

/** Where the scrape-time match-rate gauge reads the routes' result counters from. */
export interface CountersProbe {
  /** Counters by route (the results store's `counters`), as the report reads them. */
  routeCounters?(): Promise<Record<string, Record<string, number>>>;
}

/**
 * Register `tandem_match_rate{route}` (0..1) and `tandem_results{route,verdict}`, read
 * from Redis at scrape time with the store's one `matchFigures`, so the metric states
 * the same rate as the report, the API and the CLI (errors count against it). A route
 * with no result yet has no sample, nor has any route when Redis fails or does not answer
 * within `timeoutMs` (ms).
 *
 * @example
 * registerMatchRateGauge(registry, () => ({ routeCounters: async () => store.counters(await store.routeNames()) }), 1000);
 */
export function registerMatchRateGauge(registry: Registry, probe: () => CountersProbe | null, timeoutMs = SCRAPE_READ_TIMEOUT_MS): void {
  const read = scrapeRead(() => probe()?.routeCounters?.() ?? null, timeoutMs);
  new Gauge({
    name: 'tandem_match_rate',
    help: 'Match rate by route: (match + noise_only) / every recorded result, errors counting against it (same as the report)',
    labelNames: ['route'],
    registers: [registry],
    // Read from the shared Redis: the same figure in every process of `tandem serve --processes`, never summed.
    aggregator: 'max',
    async collect() {
      this.reset();
      for (const [route, c] of Object.entries((await read()) ?? {})) {
        const rate = matchFigures(c).rate;
        if (rate !== null) this.set({ route }, rate);
      }
    },
  });
  new Gauge({
    name: 'tandem_results',
    help: "Recorded results by route and verdict (matches, mismatches, errors): the match rate's figures",
    labelNames: ['route', 'verdict'],
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.reset();
      for (const [route, c] of Object.entries((await read()) ?? {})) {
        const f = matchFigures(c);
        for (const verdict of ['matches', 'mismatches', 'errors'] as const) this.set({ route, verdict }, f[verdict]);
      }
    },
  });
}
