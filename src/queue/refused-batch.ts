import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';
import { isTransientRedisError } from '../store';
import { jobExchanges, packRuns } from './job-data';
import type { PartitionedQueue } from './partitions';
import { addAll, jobsFor } from './partition-jobs';
import type { ProducerOptions } from './producer-options';

/** What the producer's refused-batch handling reads from its options. */
export type RefusalOptions = Pick<ProducerOptions, 'spread' | 'isConnected' | 'onDrop'>;

/**
 * Whether Redis or BullMQ refused the command itself, so retrying cannot help. A lost
 * connection is not a refusal, even while the client still says it is connected: a
 * Cluster client stays `ready` while a master is down and its commands fail with
 * "Connection is closed" until the replica takes over. Such a batch stays buffered and
 * is sent again (job ids derive from exchange ids, so nothing is added twice).
 */
export function isRefusal(o: RefusalOptions, e: unknown): boolean {
  return o.isConnected() && !isTransientRedisError(e);
}

/**
 * Redis is up but refused the batch: add it pack by pack, and a refused pack exchange by
 * exchange, so the one exchange BullMQ or Redis will not take is dropped and counted
 * (`queue_rejected`) instead of the whole batch being retried forever. Rejects (the
 * caller retries the batch later) if the connection goes meanwhile.
 *
 * @example
 * await addAll(redis, jobs).catch((e) => (isRefusal(o, e) ? addSplit(o, queues, redis, runs, pack) : Promise.reject(e)));
 */
export async function addSplit(
  o: RefusalOptions,
  queues: PartitionedQueue,
  redis: RedisClient,
  runs: ExchangeRecord[][],
  pack: number,
): Promise<void> {
  const tryAdd = async (some: ExchangeRecord[], size: number): Promise<boolean> => {
    try {
      await addAll(redis, jobsFor(queues, o.spread, some, size));
      return true;
    } catch (e) {
      if (!isRefusal(o, e)) throw e;
      return false;
    }
  };
  // Pack by pack as the batch was packed (see `packRuns`): each chunk is one job the first attempt may have added.
  for (const exchanges of runs)
    for (const chunk of packRuns(exchanges, pack)) {
      if (await tryAdd(chunk, pack)) continue;
      const refused: ExchangeRecord[] = [];
      for (const ex of chunk) if (!(await tryAdd([ex], 1))) refused.push(ex);
      for (const ex of await notQueued(o, queues, redis, chunk, refused, pack)) o.onDrop(ex.route, 'queue_rejected');
    }
}

/**
 * Of `refused` (exchanges of `chunk` whose every add was refused), those no job already
 * carries: the chunk's pack or the exchange's own job can be in the queue although adding
 * it again was refused (it was added by this batch's first attempt, its jobs added one by
 * one, before Redis crossed its maxmemory, or by an earlier send whose reply was lost; and
 * BullMQ writes an event when it finds a job already there). Such an exchange is compared
 * and counted by the worker: counted as dropped too, it would count twice. A job is there
 * when its key is a hash (what a job is), read with TYPE. A job already compared is gone
 * (removed on complete) but its exchanges are counted: their done markers exist
 * (`queues.doneKey`, read with EXISTS). The worker sets a marker before its job is
 * removed, so an exchange queued or counted has one or the other at every moment. Both
 * are reads, which Redis answers over its maxmemory too.
 */
async function notQueued(
  o: RefusalOptions,
  queues: PartitionedQueue,
  redis: RedisClient,
  chunk: ExchangeRecord[],
  refused: ExchangeRecord[],
  pack: number,
): Promise<ExchangeRecord[]> {
  if (!refused.length) return refused;
  const carriers = [...jobsFor(queues, o.spread, chunk, pack), ...refused.flatMap((ex) => jobsFor(queues, o.spread, [ex], 1))].flatMap(
    (p) => p.jobs.map((job) => ({ job, key: p.queue.toKey(job.opts.jobId) })),
  );
  const types = await Promise.all(carriers.map((c) => redis.type(c.key)));
  const queued = new Set<string>();
  carriers.forEach((c, i) => types[i] === 'hash' && jobExchanges(c.job.data).forEach((ex) => queued.add(ex.id)));
  const rest = refused.filter((ex) => !queued.has(ex.id));
  const counted = await Promise.all(rest.map((ex) => redis.exists(queues.doneKey(ex.route, ex.id))));
  return rest.filter((_, i) => counted[i] === 0);
}
