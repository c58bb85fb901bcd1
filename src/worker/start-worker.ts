import { Worker, UnrecoverableError, DelayedError, type Job } from 'bullmq';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ComparisonResult, ExchangeRecord } from '../records';
import { openRedis, storeKeys, type ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { processExchange } from './process-exchange';
import { RuntimeRules } from '../rules';
import { rulesSource } from './rules-source';
import { waitsForNoiseModel, WARMUP_RETRY_MS } from './noise-warmup';
import { jobExchanges, type CompareJobData } from '../queue';

/** Called once per job after its result was recorded (metrics, notifications); must not throw. */
export type ResultHook = (exchange: ExchangeRecord, result: ComparisonResult, outcome: 'duplicate' | 'recorded' | 'new-signature') => void;

export interface ComparisonWorker {
  /** Exchanges compared by this worker since start. */
  readonly processed: number;
  running(): boolean;
  close(): Promise<void>;
}

/**
 * Start a BullMQ worker that compares queued exchanges and records the results.
 * Recording is idempotent per exchange id, so a job retried after a crash never
 * counts twice; a job whose data can never be processed fails as unrecoverable.
 *
 * @example
 * const worker = startComparisonWorker(config, { redisUrl, store, translators, log });
 */
export function startComparisonWorker(
  config: Pick<TandemConfig, 'redis' | 'queue' | 'worker' | 'capture' | 'routes' | 'compare' | 'noise'>,
  deps: { redisUrl: string; store: ResultsStore; translators: TranslatorRegistry; log: Logger; onResult?: ResultHook; rules?: RuntimeRules },
): ComparisonWorker {
  let processed = 0;
  const runtimeRules = deps.rules ?? new RuntimeRules(deps.store.redis, config.redis.prefix, config.noise);
  const rulesFor = rulesSource(config, runtimeRules);
  /** Compare and record one exchange; recording is idempotent, so a retried pack never counts twice. */
  const compareOne = async (ex: ExchangeRecord) => {
    const out = await processExchange(ex, {
      translators: deps.translators,
      rulesFor,
      maxDecompressedBytes: Math.max(8 * config.capture.maxBodyBytes, 8 << 20),
    });
    const outcome = await deps.store.record(ex, out.result, out);
    processed++;
    try {
      deps.onResult?.(ex, out.result, outcome);
    } catch (e) {
      deps.log.warn({ err: (e as Error).message, requestId: ex.requestId }, 'result hook failed');
    }
  };
  const processor = async (job: Job<CompareJobData>, token?: string) => {
    const exchanges = jobExchanges(job.data);
    if (!exchanges.length || exchanges.some((ex) => !ex?.id || !ex.route || !ex.legacy)) throw new UnrecoverableError('job data is not an exchange record');
    for (const ex of exchanges) {
      if (token && (await waitsForNoiseModel(ex, runtimeRules, config.noise))) {
        await job.moveToDelayed(Date.now() + WARMUP_RETRY_MS, token);
        throw new DelayedError();
      }
    }
    for (const ex of exchanges) await compareOne(ex);
    return exchanges.length;
  };
  const connection = openRedis(deps.redisUrl, 'worker');
  const worker = new Worker<CompareJobData>(config.queue.name, processor, {
    connection,
    prefix: storeKeys(config.redis.prefix).queuePrefix,
    concurrency: config.worker.concurrency,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
  });
  worker.on('failed', (job, err) => {
    deps.log.warn({ job: job?.id, err: err.message }, 'comparison job failed');
    // A job out of attempts is never compared: count it, so nothing is lost silently.
    if (job && (err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))) {
      const byRoute = new Map<string, Map<string, number>>();
      const exchanges = jobExchanges(job.data);
      for (const ex of exchanges.length ? exchanges : [{ route: '' } as ExchangeRecord]) {
        const route = typeof ex?.route === 'string' ? ex.route : '';
        const fields = byRoute.get(route) ?? byRoute.set(route, new Map()).get(route)!;
        fields.set('dropped:job_failed', (fields.get('dropped:job_failed') ?? 0) + 1);
      }
      deps.store.addCounters(byRoute).catch(() => undefined);
    }
  });
  worker.on('error', (err) => deps.log.debug({ err: err.message }, 'worker connection error'));
  return {
    get processed() {
      return processed;
    },
    running: () => worker.isRunning(),
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
