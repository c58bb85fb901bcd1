/**
 * The composition root's factories: each builds one part of Tandem from the resolved
 * config, with the config's defaults, so `serve` (createRuntime), `worker`, `rediff`,
 * `replay` and `dry-run` build their parts the same way. Components take the options
 * they use; only these factories read the config as a whole.
 */
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import { ExchangeProducer, PartitionedQueue, type ProducerOptions } from '../queue';
import { createRedactor, type Redactor } from '../redact';
import { RuntimeRules } from '../rules';
import { ShadowDispatcher, type ShadowOptions } from '../shadow';
import { ResultsStore, type RedisClient } from '../store';
import type { TranslatorRegistry } from '../translate';
import { createUpstream, type Upstream } from '../upstream';
import { compareLimits, inlineComparer, startComparisonWorker, type Comparer, type ComparisonWorker } from '../worker';
import { compareThreads } from './compare-threads';

/**
 * The deployment's redactor under `key` (default the config's resolved `redact.key`),
 * decoding compressed bodies up to `capture.maxDecodedBytes` and reading field by field only
 * those that decode to `capture.maxBodyBytes` at most; null when there is no key
 * yet (it is then read from Redis, see createRuntime).
 *
 * @example
 * const redactor = createRedactorFor(config, randomBytes(32)); // a key for this run only
 */
export function createRedactorFor(
  config: Pick<TandemConfig, 'redact' | 'capture'>,
  key: Buffer | string | undefined = config.redact.key,
): Redactor | null {
  return key ? createRedactor(config.redact, key, config.capture.maxDecodedBytes, config.capture.maxBodyBytes) : null;
}

/**
 * The results store on `redis`, under the config's prefix, retention and readiness window.
 *
 * @example
 * const store = createStoreFor(config, openRedis(config.redis.url!, 'client'));
 */
export function createStoreFor(config: Pick<TandemConfig, 'redis' | 'retention' | 'rollout'>, redis: RedisClient): ResultsStore {
  return new ResultsStore(redis, config.redis, { ...config.retention, readinessWindow: config.rollout.window });
}

/**
 * Runtime compare rules and learned noise on `redis` (the store's connection).
 *
 * @example
 * const rules = createRulesFor(config, store.redis);
 */
export function createRulesFor(config: Pick<TandemConfig, 'redis' | 'noise'>, redis: RedisClient): RuntimeRules {
  return new RuntimeRules(redis, config.redis, config.noise);
}

/**
 * The comparison queue (`queue.name` under the config's prefix) on `redis`, split over
 * `queue.partitions` BullMQ queues (one under `{prefix}` by default) spread by `queue.spread`.
 *
 * @example
 * const queues = createQueueFor(config, openRedis(url, 'producer'), log);
 * const lag = await readQueueLag(queues, redis);
 */
export function createQueueFor(config: Pick<TandemConfig, 'redis' | 'queue'>, redis: RedisClient, log?: Logger): PartitionedQueue {
  const q = config.queue;
  return new PartitionedQueue(redis, {
    prefix: config.redis.prefix,
    name: q.name,
    partitions: q.partitions,
    spread: q.spread,
    packSize: q.packSize,
    log,
    tagging: config.redis.tagging,
  });
}

/**
 * The producer that hands exchanges to the queue, sized by `queue.*`.
 *
 * @example
 * const producer = createProducerFor(config, () => queues, { isConnected, redis: () => redis, onDrop, prepare: (ex) => redactor.exchange(ex) });
 */
export function createProducerFor(
  config: Pick<TandemConfig, 'queue'>,
  queue: () => PartitionedQueue | null,
  deps: Pick<ProducerOptions, 'isConnected' | 'redis' | 'onDrop' | 'prepare'>,
): ExchangeProducer {
  const q = config.queue;
  return new ExchangeProducer(queue, {
    bufferSize: q.bufferSize,
    maxBacklog: q.maxBacklog,
    maxBacklogExchanges: q.maxBacklogExchanges,
    packSize: q.packSize,
    lingerMs: q.lingerMs,
    spread: q.spread,
    ...deps,
  });
}

/**
 * A comparison worker on the config's queue (`worker.*` for its concurrency and locks).
 *
 * @example
 * const worker = createWorkerFor(config, { redis: redisTargetOf(config.redis)!, store, translators, log });
 */
export function createWorkerFor(config: TandemConfig, deps: Parameters<typeof startComparisonWorker>[1]): ComparisonWorker {
  return startComparisonWorker(config, deps);
}

/**
 * Where a process compares exchanges: `threads` worker threads (`compareThreads`), or this
 * thread when `threads` is 0 (`inlineComparer`). Both redact the response translator's
 * output under the deployment's key (read from Redis once when not configured).
 * `startNow: false` starts the threads at their first task (see `compareThreads`).
 *
 * @example
 * const comparer = createComparerFor(config, redactKeyFor(config.redact.key, redis, keys.redactKey), translators, { threads: config.worker.threads ?? 1 });
 */
export function createComparerFor(
  config: Pick<TandemConfig, 'redact' | 'capture' | 'worker' | 'translators' | 'routes'> & Partial<Pick<TandemConfig, 'retention'>>,
  redactKey: () => Promise<Buffer>,
  translators: TranslatorRegistry,
  o: { threads: number; startNow?: boolean },
): Comparer {
  const maxDecompressedBytes = config.capture.maxDecodedBytes;
  const limits = compareLimits(config);
  if (o.threads === 0) {
    let redactor: Promise<Redactor> | null = null;
    const made = () =>
      (redactor ??= redactKey()
        .then((key) => createRedactor(config.redact, key, maxDecompressedBytes))
        .catch((e: unknown) => {
          redactor = null;
          throw e;
        }));
    return inlineComparer({ translators, maxDecompressedBytes, redactor: made, limits });
  }
  return compareThreads(config, {
    threads: o.threads,
    maxDecompressedBytes,
    limits,
    redactKey,
    maxHeapMb: config.worker.threadHeapMb,
    compareTimeoutMs: config.worker.compareTimeoutMs,
    startNow: o.startNow,
  });
}

/** The backends an upstream client can be made for. */
export type Backend = 'legacy' | 'legacyRepeat' | 'candidate';

/**
 * An upstream client of one backend with its URL, timeout and Host policy from the
 * config, bodies captured up to `capture.maxBodyBytes`, at most `maxSockets`
 * connections. The noise repeat (`legacyRepeat`) goes to `legacy.repeatUrl` (else
 * `legacy.url`) with legacy's Host policy and, under `upstream`, the primary legacy's
 * host, so both answers are comparable.
 *
 * @example
 * const legacy = createUpstreamFor(config, 'legacy', config.legacy.maxSockets);
 */
export function createUpstreamFor(
  config: Pick<TandemConfig, 'legacy' | 'candidate' | 'capture'>,
  backend: Backend,
  maxSockets: number,
): Upstream {
  const o = { maxBodyBytes: config.capture.maxBodyBytes, maxSockets };
  if (backend === 'candidate')
    return createUpstream(config.candidate.url, { ...o, timeoutMs: config.candidate.timeoutMs, host: config.candidate.host });
  if (backend === 'legacy')
    return createUpstream(config.legacy.url, { ...o, timeoutMs: config.legacy.timeoutMs, host: config.legacy.host });
  const upstreamHost = new URL(config.legacy.url).host;
  return createUpstream(config.legacy.repeatUrl ?? config.legacy.url, {
    ...o,
    timeoutMs: config.legacy.timeoutMs,
    host: config.legacy.host,
    upstreamHost,
  });
}

/**
 * The shadow dispatcher: the candidate (and, when `noise.repeatRate` > 0, the legacy
 * repeat) with `maxInFlight` shadows at once (default `candidate.maxInFlight`) and as
 * many sockets, holding at most `candidate.maxInFlightBytes` of bodies, the route's translators, and where exchanges go.
 *
 * @example
 * const shadow = createShadowFor(config, { translators, enqueue: (ex) => producer.enqueue(ex), count });
 */
export function createShadowFor(
  config: Pick<TandemConfig, 'legacy' | 'candidate' | 'capture' | 'noise'>,
  deps: Pick<ShadowOptions, 'translators' | 'translateRequest' | 'enqueue' | 'count' | 'onDropError'> & { maxInFlight?: number },
): ShadowDispatcher {
  const { maxInFlight = config.candidate.maxInFlight, ...rest } = deps;
  return new ShadowDispatcher({
    candidate: createUpstreamFor(config, 'candidate', maxInFlight),
    legacyRepeat: config.noise.repeatRate > 0 ? createUpstreamFor(config, 'legacyRepeat', maxInFlight) : undefined,
    repeatRate: config.noise.repeatRate,
    maxInFlight,
    maxInFlightBytes: config.candidate.maxInFlightBytes,
    maxBodyBytes: config.capture.maxBodyBytes,
    ...rest,
  });
}
