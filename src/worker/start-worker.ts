import { workerConcurrency, type TandemConfig } from '../config';
import { closeStep, type Logger } from '../log';
import { openRedis, storeKeys, type RedisTarget, type ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { redactorFor } from '../redact';
import { RuntimeRules, rulesSource } from '../rules';
import { compareLimits } from './process-exchange';
import { inlineComparer, type Comparer } from './comparer';
import { FailedJobCounts } from './failed-job-counts';
import { onFailedJob } from './failed-jobs';
import { jobProcessor } from './job-processor';
import { PackComparer, type ResultHook } from './pack-comparer';
import { PartitionConsumers } from './partition-consumers';
import { Slots } from './slots';
import { storeSamplerOf, type StoreSampler } from './store-sampler';
import { CLOSE_STEP_MS } from './close-deadlines';

export interface ComparisonWorker {
  /** Exchanges compared by this worker since start. */
  readonly processed: number;
  /** Queue partitions consumed now: `queue.partitions`, or more while partitions another process announced still hold work. */
  partitions(): number;
  running(): boolean;
  close(): Promise<void>;
}

/**
 * Start a BullMQ worker that compares queued exchanges and records the results.
 * Recording is idempotent per exchange id, so a job retried after a crash never
 * counts twice; a job whose data can never be processed fails as unrecoverable.
 *
 * It consumes every queue partition: one BullMQ worker per partition, `queue.partitions`
 * of them, plus any partition above that the deployment's mark names (see
 * `PartitionConsumers`). All of them share `worker.concurrency`: at most that many jobs
 * are compared at once, whatever the partitions. Its parts: `jobProcessor` (a job's
 * exchanges, the noise warm-up), `PackComparer` (comparing and recording a pack),
 * `onFailedJob` and `FailedJobCounts` (jobs that will not come back, counted), and the
 * close deadlines (`workerCloseMs`).
 *
 * @example
 * const worker = startComparisonWorker(config, { redis: 'redis://127.0.0.1:6379', store, translators, log });
 */
export function startComparisonWorker(
  config: Pick<TandemConfig, 'redis' | 'queue' | 'worker' | 'capture' | 'routes' | 'compare' | 'noise' | 'redact'> &
    Partial<Pick<TandemConfig, 'retention'>>,
  deps: {
    /** The Redis of the queue (BullMQ opens its blocking connections from this one). */
    redis: RedisTarget;
    store: ResultsStore;
    translators: TranslatorRegistry;
    log: Logger;
    onResult?: ResultHook;
    rules?: RuntimeRules;
    /** Where comparisons run (default: on this thread). A comparer passed in is not closed by the worker. */
    comparer?: Comparer;
    /**
     * Which exchanges get their exchange record stored (default: `storeSamplerOf(config.retention)`; tests pass
     * one with their own clock).
     */
    sampler?: StoreSampler | null;
  },
): ComparisonWorker {
  const { store, log } = deps;
  const runtimeRules = deps.rules ?? new RuntimeRules(store.redis, config.redis, config.noise);
  const maxDecompressedBytes = config.capture.maxDecodedBytes;
  const comparer =
    deps.comparer ??
    inlineComparer({
      translators: deps.translators,
      maxDecompressedBytes,
      redactor: redactorFor(config.redact, store.redis, storeKeys(config.redis.prefix).redactKey, maxDecompressedBytes),
      limits: compareLimits(config),
    });
  const packs = new PackComparer({
    comparer,
    store,
    rulesFor: rulesSource(config, runtimeRules),
    sampler: deps.sampler !== undefined ? deps.sampler : storeSamplerOf(config.retention),
    log,
    onResult: deps.onResult,
  });
  // The caller resolves the default of where it runs (`tandem serve` passes its own); unset here is a separate worker's.
  const concurrency = workerConcurrency(config.worker, false);
  const connection = openRedis(deps.redis, 'worker');
  const processor = jobProcessor({ store, packs, runtimeRules, noise: config.noise, slots: new Slots(concurrency) });
  /**
   * Failed jobs' exchanges counted as `dropped:job_failed`, each once (a result that counted
   * one already, or an earlier write of the same count, leaves it out: see `countOnce`), and
   * sent again until Redis takes them.
   */
  const failedCounts = new FailedJobCounts((entries) => store.countOnce(entries, 'dropped:job_failed'), log);
  const consumers = new PartitionConsumers(config, {
    redis: store.redis,
    connection,
    processor,
    onFailed: onFailedJob(failedCounts, store, log),
    log,
    concurrency,
  });
  return {
    get processed() {
      return packs.processed;
    },
    partitions: () => consumers.size,
    running: () => consumers.running(),
    async close() {
      // Each step's deadline is counted in workerCloseMs: keep the two together.
      await consumers.close();
      await closeStep(log, 'failed job counts', () => failedCounts.close(CLOSE_STEP_MS - 200), CLOSE_STEP_MS);
      if (!(await closeStep(log, 'worker connection', () => connection.quit(), CLOSE_STEP_MS))) connection.disconnect();
    },
  };
}
