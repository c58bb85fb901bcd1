import { Gauge, type Registry } from 'prom-client';
import type { QueueLag } from './queue-lag';
import { scrapeRead, SCRAPE_READ_TIMEOUT_MS } from './scrape-read';

/** What the scrape-time gauges read (queue lag from Redis, local buffers). */
export interface QueueProbe {
  lag(): Promise<QueueLag>;
  /** Exchanges held in this process's memory, not yet queued. */
  buffered?(): number;
  /** Shadow requests in flight in this process. */
  inFlight?(): number;
}

/**
 * Register the gauges read at scrape time: `tandem_redis_up`, `tandem_queue_jobs{state}`,
 * `tandem_queue_partition_jobs{partition,state}` (with several partitions), `tandem_queue_lag_seconds`, `tandem_buffered_exchanges`, `tandem_shadow_in_flight`.
 * One Redis read per scrape serves every gauge (prom-client collects them concurrently), waited
 * for at most `timeoutMs`: when it fails or does not answer in time, `tandem_redis_up` is 0, the
 * queue's job gauges are left out and the lag is NaN (never the last figures read).
 *
 * @example
 * registerQueueGauges(registry, () => ({ lag: () => readQueueLag(queue, redis) }), 1000);
 */
export function registerQueueGauges(registry: Registry, probe: () => QueueProbe | null, timeoutMs = SCRAPE_READ_TIMEOUT_MS): void {
  const sample = scrapeRead(() => probe()?.lag() ?? null, timeoutMs);
  const registers = [registry];
  new Gauge({
    name: 'tandem_redis_up',
    help: '1 when the queue could be read from Redis at this scrape',
    registers,
    // Several processes of one `tandem serve --processes` read the same Redis: 0 if any could not.
    aggregator: 'min',
    async collect() {
      if (probe()) this.set((await sample()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tandem_queue_jobs',
    help: 'Comparison jobs in the queue, by state',
    labelNames: ['state'],
    registers,
    // Read from the shared Redis: the same figure in every process, never summed across them.
    aggregator: 'max',
    async collect() {
      this.reset();
      const l = await sample();
      if (l) for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ state }, l[state]);
    },
  });
  new Gauge({
    name: 'tandem_queue_partition_jobs',
    help: 'Comparison jobs in one queue partition, by state (only with queue.partitions > 1; tandem_queue_jobs sums them)',
    labelNames: ['partition', 'state'],
    registers,
    aggregator: 'max',
    async collect() {
      this.reset();
      const parts = (await sample())?.byPartition ?? [];
      parts.forEach((p, i) => {
        for (const state of ['waiting', 'active', 'delayed'] as const) this.set({ partition: String(i), state }, p[state]);
      });
    },
  });
  new Gauge({
    name: 'tandem_queue_lag_seconds',
    registers,
    aggregator: 'max',
    help: 'Age of the oldest waiting comparison job: how far the report is behind (0 when none wait; NaN when Redis could not be read)',
    async collect() {
      this.set((await sample())?.lagSeconds ?? NaN);
    },
  });
  new Gauge({
    name: 'tandem_buffered_exchanges',
    help: 'Exchanges held in memory, not yet queued (Redis slow or away)',
    registers,
    collect() {
      this.set(probe()?.buffered?.() ?? 0);
    },
  });
  new Gauge({
    name: 'tandem_shadow_in_flight',
    help: 'Shadow requests to the candidate in flight',
    registers,
    collect() {
      this.set(probe()?.inFlight?.() ?? 0);
    },
  });
}
