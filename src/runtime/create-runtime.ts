import type { Router } from 'express';
import { workerConcurrency, type TandemConfig } from '../config';
import { closeStep, createLogger, type Logger } from '../log';
import { redactKeyFor, redactOffLoop, redactThread, resolveRedactKey, storedCustomerFor, type Redactor } from '../redact';
import type { PartitionedQueue } from '../queue';
import {
  checkRedisVersion,
  CounterBuffer,
  openRedis,
  storeKeys,
  type EmbeddedRedis,
  type RedisClient,
  type RedisTarget,
  type ResultsStore,
} from '../store';
import { identityTranslator } from '../translate';
import type { Comparer, ComparisonWorker } from '../worker';
import {
  createComparerFor,
  createProducerFor,
  createQueueFor,
  createRedactorFor,
  createRulesFor,
  createShadowFor,
  createStoreFor,
  createWorkerFor,
} from './factories';
import { closeDeadlines, PRODUCER_STEP_MARGIN_MS } from './close-deadlines';
import { resolveRedis } from './resolve-redis';
import type { Runtime } from './runtime';
import { createTranslatorsFor } from './translators-for';
import { readQueueLag, resultHook, routeCountersReader, TandemMetrics, type ResultHook } from '../metrics';
import { tandemReadiness } from '../ops';
import { Notifier } from '../notify';
import { createRollout } from '../rollout';
import type { RuntimeRules } from '../rules';
import type { createReportRouter } from '../report/http';

/**
 * The report's routes (express and the report's pages and API), loaded when a server asks
 * for them as it is built: the runtime's other users (`tandem worker`, rediff, replay) never hold them.
 */
function reportRoutes(): { createReportRouter: typeof createReportRouter } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../report/http') as ReturnType<typeof reportRoutes>;
}

/**
 * Build the runtime of `tandem serve` (and of the `tandem()` middleware and a replay
 * session) from the factories every command uses (see ./factories): translators are checked synchronously (a bad registry throws
 * here, before anything listens); Redis, the queue and the worker start in the
 * background behind `ready`, while the request path already works.
 *
 * @example
 * const rt = createRuntime(config, { worker: true });
 * await rt.ready;
 */
export function createRuntime(config: TandemConfig, o: { worker: boolean; log?: Logger; onResult?: ResultHook }): Runtime {
  const log = o.log ?? createLogger(config.log.level);
  const translators = createTranslatorsFor(config);
  let store: ResultsStore | null = null;
  let queue: PartitionedQueue | null = null;
  let producerRedis: RedisClient | null = null;
  let worker: ComparisonWorker | null = null;
  let embedded: EmbeddedRedis | undefined;
  let redisTarget: RedisTarget | undefined;
  let rules: RuntimeRules | null = null;
  let closing = false;
  let redactor: Redactor | null = createRedactorFor(config);
  const redactionThread = redactThread();

  let notifier: Notifier | null = null;
  const metrics = new TandemMetrics({ defaultMetrics: config.metrics.enabled, readTimeoutMs: config.health.timeoutMs });
  const counters = new CounterBuffer(
    async (batch) => {
      if (!store) throw new Error('store not ready');
      await store.addCounters(batch);
    },
    1000,
    (route, field, n) => metrics.count(route, field, n),
  );
  const producer = createProducerFor(config, () => queue, {
    isConnected: () => producerRedis?.status === 'ready' && redactor !== null,
    redis: () => producerRedis,
    onDrop: (route, reason) => counters.add(route, `dropped:${reason}`),
    // Redaction happens here, before anything reaches Redis (job data and body parts alike);
    // an exchange whose bodies are too large to redact on the event loop goes to a thread.
    prepare: (ex) => redactOffLoop(redactor!, redactionThread, ex),
  });
  const rollout = createRollout(config, {
    log,
    // Per-customer counters and readiness key on the customer id as records store it (redacted).
    storedCustomer: storedCustomerFor(async () => {
      if (redactor) return redactor;
      if (!redactKey) throw new Error('Redis is not reached yet');
      return createRedactorFor(config, await redactKey())!;
    }),
  });
  // Comparisons (the in-process worker, a rediff from the report) and the shadow copy's request
  // translation, and a big served answer's response translation, run on these threads, never on the
  // proxy's event loop (unless worker.threads is 0).
  let redactKey: (() => Promise<Buffer>) | null = null;
  const comparer: Comparer = createComparerFor(
    config,
    () => (redactKey ? redactKey() : Promise.reject(new Error('Redis is not reached yet'))),
    translators,
    // Threads are started now only where they will work: the in-process worker, or a route whose
    // requests a translator may rewrite. Otherwise (serve --no-worker, no translator) on the first
    // rediff asked for in the report: a thread's heap is about 33 MB of RSS.
    {
      threads: config.worker.threads ?? 1,
      startNow: o.worker || config.routes.some((r) => translators.forRoute(r.name) !== identityTranslator),
    },
  );
  const shadow = createShadowFor(config, {
    translators,
    translateRequest: comparer.translateRequest,
    enqueue: (ex) => {
      if (ex.candidate) metrics.candidateLatency(ex.route, ex.candidate.durationMs);
      producer.enqueue(ex);
    },
    count: (route, field) => counters.add(route, field),
  });

  const ready = (async () => {
    const resolved = await resolveRedis(config.redis, log);
    embedded = resolved.embedded;
    redisTarget = resolved.target;
    producerRedis = openRedis(redisTarget, 'producer');
    const storeRedis = openRedis(redisTarget, 'client');
    if (!redactor)
      void keyFromRedis(storeRedis, storeKeys(config.redis.prefix).redactKey, () => closing).then(
        (key) => (redactor ??= key && createRedactorFor(config, key)),
      );
    store = createStoreFor(config, storeRedis);
    queue = createQueueFor(config, producerRedis, log);
    notifier = new Notifier({
      redis: storeRedis,
      prefix: config.redis,
      notify: config.notify,
      reportPath: config.report.path,
      dedupeTtlSeconds: config.retention.ttlSeconds,
      log,
      metrics,
    });
    rules = createRulesFor(config, storeRedis);
    redactKey = redactKeyFor(config.redact.key, storeRedis, storeKeys(config.redis.prefix).redactKey);
    if (o.worker)
      // Unset worker.concurrency: threads + 1 packs at once here (see `workerConcurrency`), not a separate worker's 8.
      worker = createWorkerFor(
        { ...config, worker: { ...config.worker, concurrency: workerConcurrency(config.worker, true) } },
        {
          redis: redisTarget,
          store,
          translators,
          log,
          onResult: resultHook(metrics, () => notifier, o.onResult),
          rules,
          comparer,
        },
      );
    await storeRedis.ping().catch((e: Error) => log.warn({ err: e.message }, 'redis not reachable yet; exchanges are buffered'));
    void checkRedisVersion(storeRedis, log);
    await Promise.race([rollout.start(storeRedis), sleep(2000)]);
  })();
  ready.catch((e: Error) => log.error({ err: e.message }, 'tandem could not start its storage'));
  const queueLag = () =>
    queue && producerRedis ? readQueueLag(queue, producerRedis) : Promise.reject(new Error('the queue is not ready yet'));
  const routeCounters = routeCountersReader(
    config.routes.map((r) => r.name),
    () => store,
  );
  metrics.watchQueue({ lag: queueLag, buffered: () => producer.buffered, inFlight: () => shadow.active, routeCounters });
  const readiness = tandemReadiness({
    redis: () => producerRedis,
    worker: o.worker ? () => worker : undefined,
    legacyUrl: config.legacy.url,
    timeoutMs: config.health.timeoutMs,
  });

  let reportRouter: Router | null = null;
  const runtime: Runtime = {
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
    redisTarget: () => redisTarget,
    rules: () => {
      if (!rules) throw new Error('Tandem runtime is not ready yet');
      return rules;
    },
    worker: () => worker,
    comparer: () => comparer,
    redactor: () => {
      if (!redactor) throw new Error('the redaction key is not known yet');
      return redactor;
    },
    metrics,
    queueLag,
    readiness,
    rollout,
    reportRouter: () => (reportRouter ??= reportRoutes().createReportRouter(runtime)),
    async close() {
      // Every step has a deadline (an unreachable Redis must not keep the process alive); what is lost is counted and logged.
      const ms = closeDeadlines(config);
      const step = (name: string, fn: () => unknown, deadline: number) => closeStep(log, name, fn, deadline);
      await step('start-up', () => ready.catch(() => undefined), ms.startUp);
      closing = true;
      await step('shadow requests', () => shadow.idle(), ms.shadowRequests);
      shadow.close();
      // close() returns by its own deadline (a Redis that does not answer included); the step's is a backstop.
      let lost = 0;
      await step('producer', async () => (lost = await producer.close(ms.producer - PRODUCER_STEP_MARGIN_MS)), ms.producer);
      if (lost) log.warn({ lost }, 'exchanges could not be queued before shutdown (counted as dropped:closed)');
      if (producer.inFlightAtClose)
        log.warn(
          { inFlight: producer.inFlightAtClose },
          'exchanges in flight to the queue at exit: their add was sent and not answered, so they may or may not be counted',
        );
      // The worker's own deadlines end its close first (ms.worker): the comparer and connections are closed after it.
      await step('worker', () => worker?.close(), ms.worker);
      await step('comparison threads', () => comparer.close(), ms.comparisonThreads);
      await step('redaction thread', () => redactionThread.close(), ms.comparisonThreads);
      await step('notifier', () => notifier?.close(), ms.notifier);
      await step('rollout', () => rollout.close(), ms.rollout);
      await step('counters', () => counters.close(), ms.counters);
      if (counters.unflushed) log.warn({ unflushed: counters.unflushed }, 'counts could not be written to Redis before shutdown (lost)');
      await step('queue', () => queue?.close(), ms.queue);
      const redis = [producerRedis, store?.redis];
      if (!(await step('redis connections', () => Promise.all(redis.map((r) => r?.quit())), ms.redisConnections)))
        redis.forEach((r) => r?.disconnect());
      await step('embedded redis', () => embedded?.stop(), ms.embeddedRedis);
      // A start-up still under way past its deadline: its embedded Redis (and data-folder lock) is given back once it is up.
      if (!embedded)
        void ready.then(
          () => embedded?.stop(),
          () => undefined,
        );
    },
  };
  return runtime;
}

/** The redaction key kept in Redis, waiting for Redis as long as it takes (exchanges wait in the producer's buffer meanwhile). */
async function keyFromRedis(redis: RedisClient, name: string, closing: () => boolean): Promise<Buffer | null> {
  while (!closing()) {
    try {
      return await resolveRedactKey(undefined, redis, name);
    } catch {
      await sleep(250);
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
