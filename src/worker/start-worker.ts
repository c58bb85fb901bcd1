import { UnrecoverableError, DelayedError, type Job } from 'bullmq';
import { workerConcurrency, type TandemConfig } from '../config';
import { closeStep, rateLimitedErrors, type Logger } from '../log';
import type { ComparisonResult, ExchangeRecord } from '../records';
import { openRedis, pipelineByTag, RecordFailed, storeKeys, type RecordOutcome, type RedisTarget, type ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { compareLimits, failedComparison, FAILED_PREFIX, recordedExchange, type ProcessedExchange } from './process-exchange';
import { redactorFor } from '../redact';
import { RuntimeRules, rulesSource } from '../rules';
import { waitsForNoiseModel, WARMUP_RETRY_MS } from './noise-warmup';
import { inlineComparer, type Comparer } from './comparer';
import { attachBodies, expandCandidateRequest, jobExchanges, PartitionedQueue, type CompareJobData } from '../queue';
import { PartitionWorker } from './partition-worker';
import { FailedJobCounts, type FailedEntry } from './failed-job-counts';
import { storeSamplerOf, withStoreTokens, type StoreSampler } from './store-sampler';

/** Called once per job after its result was recorded (metrics, notifications); must not throw. */
export type ResultHook = (exchange: ExchangeRecord, result: ComparisonResult, outcome: RecordOutcome) => void;

export interface ComparisonWorker {
  /** Exchanges compared by this worker since start. */
  readonly processed: number;
  /** Queue partitions consumed now: `queue.partitions`, or more while partitions another process announced still hold work. */
  partitions(): number;
  running(): boolean;
  close(): Promise<void>;
}

/** How often a worker looks for queue partitions beyond its own (another process's `queue.partitions`), in ms. */
export const PARTITION_CHECK_MS = 5000;

/**
 * How long `close()` waits for a worker's lost Redis connection to come back before it
 * closes without waiting for the jobs under way, in ms. ioredis retries a lost
 * connection at least once a second (openRedis), so a Redis that is up again is back
 * within this.
 */
const RECONNECT_WAIT_MS = 2000;

/** Deadline of each of `close()`'s short steps (partition check, abandoning a close, probes, the connection), in ms. */
const CLOSE_STEP_MS = 1000;

/**
 * How long a worker's `close()` waits for the jobs under way (a graceful close), in ms: a
 * job's lock and 2 s. A job still running then is abandoned: its lock runs out and another
 * worker takes it up (stalled), so nothing is lost by not waiting longer.
 */
export function jobsWaitMs(worker: Pick<TandemConfig['worker'], 'lockDurationMs'>): number {
  return worker.lockDurationMs + 2000;
}

/**
 * How long a worker's `close()` takes at most, in ms: its steps' deadlines one after the
 * other (the partition check, the blocking connection's return, the jobs under way
 * (`jobsWaitMs`), abandoning them, the probes, the failed job counts, the connection) and a second for what runs
 * between them. Whoever closes the worker under a deadline of its own (the runtime) gives
 * it this, so the worker's own deadlines end its close first: it is never cut short while
 * a job it waits for is still recording, with the comparer and Redis connections closed under it.
 *
 * @example
 * await closeStep(log, 'worker', () => worker.close(), workerCloseMs(config.worker)); // 39_000 with the default 30 s lock
 */
export function workerCloseMs(worker: Pick<TandemConfig['worker'], 'lockDurationMs'>): number {
  return CLOSE_STEP_MS + RECONNECT_WAIT_MS + jobsWaitMs(worker) + 4 * CLOSE_STEP_MS + 1000;
}

/**
 * Start a BullMQ worker that compares queued exchanges and records the results.
 * Recording is idempotent per exchange id, so a job retried after a crash never
 * counts twice; a job whose data can never be processed fails as unrecoverable.
 *
 * It consumes every queue partition: one BullMQ worker per partition, `queue.partitions`
 * of them, plus any partition above that the deployment's mark names (a producer with
 * more partitions, or partitions left with jobs after `queue.partitions` was lowered),
 * checked at start and every `PARTITION_CHECK_MS`. All of them share `worker.concurrency`:
 * at most that many jobs are compared at once, whatever the partitions. When the
 * partitions above its own hold nothing, the worker lowers the mark (see
 * `PartitionedQueue.retireEmpty`); it keeps consuming them until it stops.
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
  let processed = 0;
  const sampler = deps.sampler !== undefined ? deps.sampler : storeSamplerOf(config.retention);
  const runtimeRules = deps.rules ?? new RuntimeRules(deps.store.redis, config.redis, config.noise);
  const rulesFor = rulesSource(config, runtimeRules);
  const redis = deps.store.redis;
  const maxDecompressedBytes = config.capture.maxDecodedBytes;
  const comparer =
    deps.comparer ??
    inlineComparer({
      translators: deps.translators,
      maxDecompressedBytes,
      redactor: redactorFor(config.redact, deps.store.redis, storeKeys(config.redis.prefix).redactKey, maxDecompressedBytes),
      limits: compareLimits(config),
    });
  /**
   * Compare a pack's exchanges, then record their results together (one script call per
   * route, see `ResultsStore.recordPack`); recording is idempotent, so a retried pack never
   * counts twice. An exchange whose comparison or record throws (while Redis is up) is
   * recorded as a classified failure instead, so it never fails its pack's neighbours (see
   * `failedComparison`). The result hook is given what Redis counted: an exchange counted
   * whose pack's later writes (report indexes, lists) failed is reported as counted, and
   * the failure logged once per pack.
   */
  const comparePack = (exchanges: ExchangeRecord[]) =>
    sampler
      ? withStoreTokens(sampler, exchanges, (sampledOut, counted) => comparePackSampled(exchanges, sampledOut, counted))
      : comparePackSampled(
          exchanges,
          exchanges.map(() => false),
          () => undefined,
        );
  const comparePackSampled = async (
    exchanges: ExchangeRecord[],
    sampledOut: boolean[],
    counted: (i: number, outcome: RecordOutcome) => void,
  ) => {
    const outs: ProcessedExchange[] = [];
    // each route's rules once per pack (most packs are of one route)
    const rules = new Map<string, ReturnType<typeof rulesFor>>();
    const rulesOf = (route: string) => rules.get(route) ?? rules.set(route, rulesFor(route)).get(route)!;
    for (const ex of exchanges) {
      try {
        outs.push(await comparer.compare(ex, await rulesOf(ex.route)));
      } catch (e) {
        if (redis.status !== 'ready') throw e;
        outs.push(failedComparison(e));
      }
    }
    const settled = await deps.store.recordPack(
      exchanges.map((ex, i) => ({
        exchange: recordedExchange(ex, outs[i]),
        result: outs[i].result,
        extra: outs[i],
        ...(sampledOut[i] ? { sampledOut: true } : {}),
      })),
    );
    const unfinished = new Set<string>();
    for (let i = 0; i < exchanges.length; i++) {
      const ex = exchanges[i];
      let out = outs[i];
      let outcome: RecordOutcome;
      const s = settled[i];
      if (s.status === 'fulfilled') {
        // Counted as `outcome` says: the hook reports that, whatever failed after the counts.
        outcome = s.value;
        if (s.unfinished) unfinished.add(s.unfinished);
      } else {
        // Only a record Redis refused is recorded as a failure; a lost connection fails the job, which comes back.
        if (!(s.reason instanceof RecordFailed) || redis.status !== 'ready' || out.result.reason?.startsWith(FAILED_PREFIX)) throw s.reason;
        out = failedComparison(s.reason);
        // the failure respects the sample too: stored exchanges stay an unbiased sample (rediff recounts them)
        outcome = await deps.store.record(ex, out.result, out, sampledOut[i] ? { sampledOut: true } : {});
      }
      counted(i, outcome);
      if (out.result.reason?.startsWith(FAILED_PREFIX))
        deps.log.warn(
          { requestId: ex.requestId, exchange: ex.id, route: ex.route, reason: out.result.reason },
          'exchange could not be compared',
        );
      processed++;
      try {
        deps.onResult?.(ex, out.result, outcome);
      } catch (e) {
        deps.log.warn({ err: (e as Error).message, requestId: ex.requestId }, 'result hook failed');
      }
    }
    for (const err of unfinished)
      deps.log.warn({ err }, 'results counted, but some of their report writes failed (a key of the wrong type?)');
  };
  /**
   * The job's exchanges as they were recorded: parts sent beside the job are read back (as
   * bytes) and attached, and a candidate request queued as the client's relayed one is given back.
   */
  const loadExchanges = async (data: CompareJobData): Promise<ExchangeRecord[]> => {
    const exchanges = jobExchanges(data);
    if (!exchanges.length || exchanges.some((ex) => !ex?.id || !ex.route || !ex.legacy))
      throw new UnrecoverableError('job data is not an exchange record');
    const key = 'bodies' in data ? data.bodies : undefined;
    if (!key) return exchanges.map(expandCandidateRequest);
    try {
      return attachBodies(exchanges, await redis.lrangeBuffer(key, 0, -1)).map(expandCandidateRequest);
    } catch (e) {
      if (redis.status !== 'ready') throw e;
      // A batch sent again after a lost reply can add a job that was already compared, and whose
      // parts the first run removed: nothing is left to do, and nothing to fail.
      if ((await recordedOf(exchanges)).size === exchanges.length) return [];
      throw new UnrecoverableError(`the job's bodies are gone (${(e as Error).message})`);
    }
  };
  /** The exchanges among `exchanges` whose result is already recorded (their done marker exists). */
  const recordedOf = async (exchanges: ExchangeRecord[]): Promise<Set<ExchangeRecord>> => {
    const withIds = exchanges.filter((ex) => typeof ex?.id === 'string');
    const done = new Set<ExchangeRecord>();
    if (!withIds.length) return done;
    const k = deps.store.keys;
    const doneKey = (ex: ExchangeRecord) => k.done(typeof ex.route === 'string' ? k.recordId(ex.route, ex.id) : ex.id);
    const found = await pipelineByTag(
      redis,
      withIds.map((ex) => ({ key: doneKey(ex), add: (p) => p.exists(doneKey(ex)) })),
    );
    withIds.forEach((ex, i) => found[i]?.[1] === 1 && done.add(ex));
    return done;
  };
  const dropParts = (data: CompareJobData | undefined) => {
    if (data && 'bodies' in data && data.bodies) redis.unlink(data.bodies).catch(() => undefined);
  };
  const processor = async (job: Job<CompareJobData>, token?: string) => {
    const exchanges = await loadExchanges(job.data);
    // Compare what can be compared now (repeats among them teach the noise model); only the
    // exchanges still waiting for the model stay in the job, which comes back later.
    const waiting: number[] = [];
    const now: ExchangeRecord[] = [];
    for (let i = 0; i < exchanges.length; i++) {
      if (token && (await waitsForNoiseModel(exchanges[i], runtimeRules, config.noise))) waiting.push(i);
      else now.push(exchanges[i]);
    }
    if (now.length) await comparePack(now);
    if (waiting.length) {
      const data = job.data;
      if (waiting.length < exchanges.length && 'exchanges' in data)
        await job.updateData({ ...data, exchanges: waiting.map((i) => data.exchanges[i]) });
      await job.moveToDelayed(Date.now() + WARMUP_RETRY_MS, token);
      throw new DelayedError();
    }
    dropParts(job.data);
    return exchanges.length;
  };
  // The caller resolves the default of where it runs (`tandem serve` passes its own); unset here is a separate worker's.
  const concurrency = workerConcurrency(config.worker, false);
  const connection = openRedis(deps.redis, 'worker');
  const slots = new Slots(concurrency);
  const limited = async (job: Job<CompareJobData>, token?: string) => {
    await slots.take();
    try {
      return await processor(job, token);
    } finally {
      slots.give();
    }
  };
  const workers = new Map<number, PartitionWorker>();
  const consume = (partition: number) => {
    if (workers.has(partition)) return;
    const worker = new PartitionWorker(config.queue.name, limited, {
      connection,
      prefix: storeKeys(config.redis.prefix).queueTag(partition),
      concurrency,
      lockDuration: config.worker.lockDurationMs,
      stalledInterval: config.worker.stalledIntervalMs,
    });
    workers.set(partition, worker);
    worker.on('failed', onFailed);
    worker.on('error', rateLimitedErrors(deps.log, 'worker error'));
    if (partition >= own)
      deps.log.info({ partition }, 'consuming a queue partition beyond queue.partitions (announced by another process)');
  };
  const own = config.queue.partitions ?? 1;
  const queues = new PartitionedQueue(redis, {
    prefix: config.redis.prefix,
    name: config.queue.name,
    partitions: own,
    spread: config.queue.spread ?? 'route',
  });
  /**
   * Failed jobs' exchanges counted as `dropped:job_failed`, each once (a result that counted
   * one already, or an earlier write of the same count, leaves it out: see `countOnce`), and
   * sent again until Redis takes them.
   */
  const failedCounts = new FailedJobCounts((entries) => deps.store.countOnce(entries, 'dropped:job_failed'), deps.log);
  const onFailed = (job: Job<CompareJobData> | undefined, err: Error) => {
    deps.log.warn({ job: job?.id, err: err.message }, 'comparison job failed');
    // A job out of attempts is never compared: count it, so nothing is lost silently.
    if (job && (err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))) {
      failedCounts.add(failedEntries(String(job.id), jobExchanges(job.data)));
      dropParts(job.data);
    }
  };
  for (let i = 0; i < own; i++) consume(i);
  let closed = false;
  /** Consume every partition the mark names; lower the mark when those above ours are empty. */
  const widen = async () => {
    const mark = await queues.retireEmpty();
    for (let i = own; i < mark && !closed; i++) consume(i);
  };
  let checking: Promise<void> = widen().catch(() => undefined);
  const checker = setInterval(() => {
    checking = checking.then(() => widen().catch(() => undefined));
  }, PARTITION_CHECK_MS);
  checker.unref();
  return {
    get processed() {
      return processed;
    },
    partitions: () => workers.size,
    running: () => [...workers.values()].every((w) => w.isRunning()),
    async close() {
      closed = true;
      clearInterval(checker);
      // Each step's deadline is counted in workerCloseMs: keep the two together.
      await closeStep(deps.log, 'partition check', () => checking, CLOSE_STEP_MS);
      // Jobs under way finish first (a graceful close), unless the blocking connection is not back within a moment:
      // BullMQ's graceful close would then never resolve (see PartitionWorker). Bounded either way: a close that does
      // not finish (Redis lost meanwhile) is abandoned, which stops its lock-renewal timer and drops its connections.
      await Promise.all(
        [...workers].map(async ([i, worker]) => {
          const name = workers.size === 1 ? 'worker' : `worker (partition ${i})`;
          const graceful = await worker.blockingConnectionUp(RECONNECT_WAIT_MS);
          if (!graceful) deps.log.warn({ partition: i }, 'worker closing without waiting for its jobs: its Redis connection is not up');
          const deadline = graceful ? jobsWaitMs(config.worker) : CLOSE_STEP_MS;
          if (!(await closeStep(deps.log, name, () => worker.close(!graceful), deadline)))
            await closeStep(deps.log, `${name} (abandoned)`, () => worker.abandon(), CLOSE_STEP_MS);
        }),
      );
      await closeStep(deps.log, 'partition probes', () => queues.close(), CLOSE_STEP_MS);
      await closeStep(deps.log, 'failed job counts', () => failedCounts.close(CLOSE_STEP_MS - 200), CLOSE_STEP_MS);
      if (!(await closeStep(deps.log, 'worker connection', () => connection.quit(), CLOSE_STEP_MS))) connection.disconnect();
    },
  };
}

/**
 * A counting semaphore: at most `n` holders at once, the others wait in order. It keeps
 * `worker.concurrency` one bound for all of a worker's partitions.
 */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(n: number) {
    this.free = n;
  }

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push(go));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * What `FailedJobCounts` counts for a failed job: each exchange by route and id (as its
 * record's done marker is keyed), and what has neither (a job whose data is not exchange
 * records) under route '' keyed by the job's id and its place in the job, so a job counts
 * the same entries however often it fails.
 *
 * @example
 * failedEntries('7', []); // [{ route: '', id: 'failed-job:7:0' }]
 */
function failedEntries(jobId: string, exchanges: ExchangeRecord[]): FailedEntry[] {
  if (!exchanges.length) return [{ route: '', id: `failed-job:${jobId}:0` }];
  return exchanges.map((ex, i) =>
    typeof ex?.route === 'string' && ex.route && typeof ex.id === 'string'
      ? { route: ex.route, id: ex.id }
      : { route: '', id: `failed-job:${jobId}:${i}` },
  );
}
