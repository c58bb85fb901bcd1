import type { Job } from 'bullmq';
import type { TandemConfig } from '../config';
import { closeStep, rateLimitedErrors, type Logger } from '../log';
import { storeKeys, type RedisClient } from '../store';
import { PartitionedQueue, type CompareJobData } from '../queue';
import { PartitionWorker } from './partition-worker';
import { CLOSE_STEP_MS, jobsWaitMs, RECONNECT_WAIT_MS } from './close-deadlines';

/** How often a worker looks for queue partitions beyond its own (another process's `queue.partitions`), in ms. */
export const PARTITION_CHECK_MS = 5000;

/**
 * One BullMQ worker per queue partition, all running `processor` on one connection:
 * `queue.partitions` of them from the start, plus any partition above that the
 * deployment's mark names (a producer with more partitions, or partitions left with jobs
 * after `queue.partitions` was lowered), checked at start and every `PARTITION_CHECK_MS`.
 * When the partitions above its own hold nothing, it lowers the mark (see
 * `PartitionedQueue.retireEmpty`); it keeps consuming them until it stops.
 *
 * @example
 * const consumers = new PartitionConsumers(config, { redis, connection, processor, onFailed, log, concurrency: 4 });
 * await consumers.close(); // partition check, each partition's worker, the probes
 */
export class PartitionConsumers {
  private readonly workers = new Map<number, PartitionWorker>();
  private readonly own: number;
  private readonly queues: PartitionedQueue;
  private closed = false;
  private checking: Promise<void>;
  private readonly checker: NodeJS.Timeout;

  constructor(
    private readonly config: Pick<TandemConfig, 'redis' | 'queue' | 'worker'>,
    private readonly deps: {
      /** The queue's Redis (partition probes). */
      redis: RedisClient;
      /** The workers' connection (BullMQ opens its blocking connections from this one). */
      connection: RedisClient;
      processor: (job: Job<CompareJobData>, token?: string) => Promise<number>;
      onFailed: (job: Job<CompareJobData> | undefined, err: Error) => void;
      log: Logger;
      /** Each partition's BullMQ concurrency (the processor bounds them all together). */
      concurrency: number;
    },
  ) {
    this.own = config.queue.partitions ?? 1;
    this.queues = new PartitionedQueue(deps.redis, {
      prefix: config.redis.prefix,
      name: config.queue.name,
      partitions: this.own,
      spread: config.queue.spread ?? 'route',
    });
    for (let i = 0; i < this.own; i++) this.consume(i);
    this.checking = this.widen().catch(() => undefined);
    this.checker = setInterval(() => {
      this.checking = this.checking.then(() => this.widen().catch(() => undefined));
    }, PARTITION_CHECK_MS);
    this.checker.unref();
  }

  /** Partitions consumed now. */
  get size(): number {
    return this.workers.size;
  }

  /** Every partition's worker is running. */
  running(): boolean {
    return [...this.workers.values()].every((w) => w.isRunning());
  }

  /**
   * Stop looking for partitions and close each partition's worker, then the probes; each
   * step bounded (see `workerCloseMs`, which counts these deadlines). Jobs under way finish
   * first (a graceful close), unless the blocking connection is not back within
   * `RECONNECT_WAIT_MS`. Never rejects.
   */
  async close(): Promise<void> {
    const { log } = this.deps;
    this.closed = true;
    clearInterval(this.checker);
    // Each step's deadline is counted in workerCloseMs: keep the two together.
    await closeStep(log, 'partition check', () => this.checking, CLOSE_STEP_MS);
    // Jobs under way finish first (a graceful close), unless the blocking connection is not back within a moment:
    // BullMQ's graceful close would then never resolve (see PartitionWorker). Bounded either way: a close that does
    // not finish (Redis lost meanwhile) is abandoned, which stops its lock-renewal timer and drops its connections.
    await Promise.all(
      [...this.workers].map(async ([i, worker]) => {
        const name = this.workers.size === 1 ? 'worker' : `worker (partition ${i})`;
        const graceful = await worker.blockingConnectionUp(RECONNECT_WAIT_MS);
        if (!graceful) log.warn({ partition: i }, 'worker closing without waiting for its jobs: its Redis connection is not up');
        const deadline = graceful ? jobsWaitMs(this.config.worker) : CLOSE_STEP_MS;
        if (!(await closeStep(log, name, () => worker.close(!graceful), deadline)))
          await closeStep(log, `${name} (abandoned)`, () => worker.abandon(), CLOSE_STEP_MS);
      }),
    );
    await closeStep(log, 'partition probes', () => this.queues.close(), CLOSE_STEP_MS);
  }

  private consume(partition: number): void {
    if (this.workers.has(partition)) return;
    const { config, deps } = this;
    const worker = new PartitionWorker(config.queue.name, deps.processor, {
      connection: deps.connection,
      prefix: storeKeys(config.redis.prefix).queueTag(partition),
      concurrency: deps.concurrency,
      lockDuration: config.worker.lockDurationMs,
      stalledInterval: config.worker.stalledIntervalMs,
    });
    this.workers.set(partition, worker);
    worker.on('failed', deps.onFailed);
    worker.on('error', rateLimitedErrors(deps.log, 'worker error'));
    if (partition >= this.own)
      deps.log.info({ partition }, 'consuming a queue partition beyond queue.partitions (announced by another process)');
  }

  /** Consume every partition the mark names; lower the mark when those above ours are empty. */
  private async widen(): Promise<void> {
    const mark = await this.queues.retireEmpty();
    for (let i = this.own; i < mark && !this.closed; i++) this.consume(i);
  }
}
