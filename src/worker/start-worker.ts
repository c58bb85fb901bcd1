import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ExchangeRecord } from '../records';
import { openRedis, storeKeys, type ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { processExchange } from './process-exchange';

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
  config: Pick<TandemConfig, 'redis' | 'queue' | 'worker' | 'capture' | 'routes'>,
  deps: { redisUrl: string; store: ResultsStore; translators: TranslatorRegistry; log: Logger },
): ComparisonWorker {
  let processed = 0;
  const rules = new Map(config.routes.map((r) => [r.name, r.rules]));
  const processor = async (job: Job<ExchangeRecord>) => {
    const ex = job.data;
    if (!ex?.id || !ex.route || !ex.legacy) throw new UnrecoverableError('job data is not an exchange record');
    const out = await processExchange(ex, {
      translators: deps.translators,
      rulesFor: (route) => rules.get(route) ?? {},
      maxDecompressedBytes: Math.max(8 * config.capture.maxBodyBytes, 8 << 20),
    });
    await deps.store.record(ex, out.result, out);
    processed++;
    return out.result.class;
  };
  const connection = openRedis(deps.redisUrl, 'worker');
  const worker = new Worker<ExchangeRecord>(config.queue.name, processor, {
    connection,
    prefix: storeKeys(config.redis.prefix).queuePrefix,
    concurrency: config.worker.concurrency,
  });
  worker.on('failed', (job, err) => deps.log.warn({ job: job?.id, err: err.message }, 'comparison job failed'));
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
