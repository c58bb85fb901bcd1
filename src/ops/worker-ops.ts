import type { TandemConfig } from '../config';
import { tandemReadiness } from './tandem-readiness';
import type { Logger } from '../log';
import { readQueueLag, resultHook, routeCountersReader, TandemMetrics, type ResultHook } from '../metrics';
import { startOpsServer, type OpsServer } from './ops-server';
import { Notifier } from '../notify';
import { PartitionedQueue } from '../queue';
import { openRedis, type RedisClient, type RedisTarget, type ResultsReader } from '../store';

/** Metrics, notifications and (optionally) an HTTP port for them, in a `tandem worker` process. */
export interface WorkerOps {
  readonly metrics: TandemMetrics;
  /** Pass to `startComparisonWorker` as `onResult`. */
  readonly onResult: ResultHook;
  /** Serve `metrics.path` and the health paths on `host`:`port`; returns the server's URL and the address it really listens on. */
  serve(port: number, host: string, worker: () => { running(): boolean } | null): Promise<{ url: string; listening: string }>;
  close(): Promise<void>;
}

/**
 * The operations side of a standalone worker: the same metrics and notifications as
 * `tandem serve` with an in-process worker, queue depth and lag on scrape (every
 * partition summed, `readQueueLag`) and the per-route `tandem_match_rate` and
 * `tandem_results` read from `store` (`routeCountersReader`, as serve reads them).
 *
 * @example
 * const ops = createWorkerOps(config, { target, redis: storeRedis, store, log });
 * const w = startComparisonWorker(config, { redis: target, store, translators, log, onResult: ops.onResult });
 * const { url, listening } = await ops.serve(9465, '127.0.0.1', () => w);
 */
export function createWorkerOps(
  config: TandemConfig,
  o: { target: RedisTarget; redis: RedisClient; store: ResultsReader; log: Logger },
): WorkerOps {
  const metrics = new TandemMetrics({ defaultMetrics: config.metrics.enabled, readTimeoutMs: config.health.timeoutMs });
  const notifier = new Notifier({
    redis: o.redis,
    prefix: config.redis,
    notify: config.notify,
    reportPath: config.report.path,
    dedupeTtlSeconds: config.retention.ttlSeconds,
    log: o.log,
    metrics,
  });
  let server: OpsServer | null = null;
  let probe: RedisClient | null = null;
  let queue: PartitionedQueue | null = null;
  return {
    metrics,
    onResult: resultHook(metrics, () => notifier),
    async serve(port, host, worker) {
      probe = openRedis(o.target, 'producer');
      const { name, partitions, spread } = config.queue;
      const q = (queue = new PartitionedQueue(probe, { prefix: config.redis.prefix, name, partitions, spread }));
      const redis = probe;
      // The same per-route gauges as `tandem serve` (tandem_match_rate, tandem_results), read the same way.
      const routeCounters = routeCountersReader(
        config.routes.map((r) => r.name),
        () => o.store,
      );
      metrics.watchQueue({ lag: () => readQueueLag(q, redis), routeCounters });
      server = await startOpsServer(port, host, {
        health: config.health.enabled ? config.health : undefined,
        readiness: tandemReadiness({ redis: () => redis, worker, timeoutMs: config.health.timeoutMs }),
        metrics: config.metrics.enabled
          ? { path: config.metrics.path, token: config.metrics.token, text: () => metrics.text(), contentType: metrics.contentType }
          : undefined,
      });
      return { url: server.url, listening: server.listening };
    },
    async close() {
      await server?.close();
      await notifier.close();
      await queue?.close();
      await probe?.quit().catch(() => probe?.disconnect());
    },
  };
}
