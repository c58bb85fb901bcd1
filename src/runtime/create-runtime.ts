import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TandemConfig } from '../config';
import { createLogger, type Logger } from '../log';
import type { ExchangeRecord } from '../records';
import { createRedactor } from '../redact';
import { createQueue, ExchangeProducer } from '../queue';
import { createUpstream, ShadowDispatcher } from '../shadow';
import { CounterBuffer, openRedis, ResultsStore, type EmbeddedRedis } from '../store';
import { loadTranslators, type TranslatorRegistry } from '../translate';
import { startComparisonWorker, type ComparisonWorker } from '../worker';
import { resolveRedis } from './resolve-redis';

/** Everything a running Tandem process holds, wired once from the config. */
export interface Runtime {
  readonly config: TandemConfig;
  readonly log: Logger;
  readonly translators: TranslatorRegistry;
  readonly counters: CounterBuffer;
  readonly shadow: ShadowDispatcher;
  readonly producer: ExchangeProducer;
  /** Resolves once Redis is reachable and the queue (and worker) exist. */
  readonly ready: Promise<void>;
  /** Available after `ready`. */
  store(): ResultsStore;
  redisUrl(): string;
  worker(): ComparisonWorker | null;
  /** Flush and stop everything this runtime started; in-flight shadows finish first. */
  close(): Promise<void>;
}

/**
 * Build the runtime: translators are checked synchronously (a bad registry throws
 * here, before anything listens); Redis, the queue and the worker start in the
 * background behind `ready`, while the request path already works.
 *
 * @example
 * const rt = createRuntime(config, { worker: true });
 * await rt.ready;
 */
export function createRuntime(config: TandemConfig, o: { worker: boolean; log?: Logger }): Runtime {
  const log = o.log ?? createLogger(config.log.level);
  const translators = loadTranslators(config);
  let store: ResultsStore | null = null;
  let queue: Queue<ExchangeRecord> | null = null;
  let producerRedis: Redis | null = null;
  let worker: ComparisonWorker | null = null;
  let embedded: EmbeddedRedis | undefined;
  let redisUrl = '';

  const counters = new CounterBuffer(async (batch) => {
    if (!store) throw new Error('store not ready');
    await store.addCounters(batch);
  });
  const producer = new ExchangeProducer(() => queue, {
    bufferSize: config.queue.bufferSize,
    isConnected: () => producerRedis?.status === 'ready',
    onDrop: (route, reason) => counters.add(route, `dropped:${reason}`),
  });
  const redact = createRedactor(config.redact);
  const upstream = (url: string, timeoutMs: number) =>
    createUpstream(url, { timeoutMs, maxBodyBytes: config.capture.maxBodyBytes, maxSockets: config.candidate.maxInFlight });
  const shadow = new ShadowDispatcher({
    candidate: upstream(config.candidate.url, config.candidate.timeoutMs),
    legacyRepeat: config.noise.repeatRate > 0 ? upstream(config.legacy.repeatUrl ?? config.legacy.url, config.legacy.timeoutMs) : undefined,
    repeatRate: config.noise.repeatRate,
    maxInFlight: config.candidate.maxInFlight,
    translators,
    enqueue: (ex) => producer.enqueue(redact(ex)),
    count: (route, field) => counters.add(route, field),
  });

  const ready = (async () => {
    const resolved = await resolveRedis(config.redis, log);
    embedded = resolved.embedded;
    redisUrl = resolved.url;
    producerRedis = openRedis(redisUrl, 'producer');
    const storeRedis = openRedis(redisUrl, 'client');
    store = new ResultsStore(storeRedis, config.redis.prefix, config.retention);
    queue = createQueue(producerRedis, { prefix: config.redis.prefix, name: config.queue.name });
    if (o.worker) worker = startComparisonWorker(config, { redisUrl, store, translators, log });
    await storeRedis.ping().catch((e: Error) => log.warn({ err: e.message }, 'redis not reachable yet; exchanges are buffered'));
  })();
  ready.catch((e: Error) => log.error({ err: e.message }, 'tandem could not start its storage'));

  return {
    config,
    log,
    translators,
    counters,
    shadow,
    producer,
    ready,
    store: () => {
      if (!store) throw new Error('Tandem runtime is not ready yet');
      return store;
    },
    redisUrl: () => redisUrl,
    worker: () => worker,
    async close() {
      await ready.catch(() => undefined);
      await Promise.race([shadow.idle(), sleep(config.candidate.timeoutMs + 1000)]);
      shadow.close();
      const lost = await producer.close();
      if (lost) log.warn({ lost }, 'exchanges could not be queued before shutdown (counted as dropped:closed)');
      await worker?.close();
      await counters.close();
      await queue?.close();
      await Promise.allSettled([producerRedis?.quit(), store?.redis.quit()]);
      await embedded?.stop();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
