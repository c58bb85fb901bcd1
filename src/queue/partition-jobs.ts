import type { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';
import { queueJobBodiesKey } from '../store';
import { COMPARE_JOB } from './create-queue';
import { addPackedJobs, packJobs, type CompareJobData, type PackedJob } from './job-data';
import type { PartitionedQueue } from './partitions';

/** How a batch is spread over queue partitions (`queue.spread`; undefined is `route`). */
export type Spread = 'route' | 'even' | undefined;

/**
 * The runs of exchanges that are packed together: under `spread: route` one per partition
 * (each route's exchanges in the order they came), under `even` the whole batch.
 */
export function runsOf(queues: PartitionedQueue, spread: Spread, exchanges: ExchangeRecord[]): ExchangeRecord[][] {
  if (queues.partitions <= 1 || spread === 'even') return exchanges.length ? [exchanges] : [];
  const byPartition = new Map<number, ExchangeRecord[]>();
  for (const ex of exchanges) {
    const i = queues.partitionOf(ex.route);
    const list = byPartition.get(i);
    if (list) list.push(ex);
    else byPartition.set(i, [ex]);
  }
  return [...byPartition.values()];
}

/**
 * Jobs of `size` exchanges at most for one run (see `runsOf`), each with its partition's
 * queue: the route's partition, or under `even` the one its job id hashes to. Body parts go
 * to the namespace of the job's partition (its slot). Packing the same run gives the same
 * jobs in the same partitions, so a batch sent again adds nothing twice.
 */
export function jobsFor(queues: PartitionedQueue, spread: Spread, run: ExchangeRecord[], size: number): PartitionJobs[] {
  const byRoute = spread !== 'even' || queues.partitions <= 1;
  const partitionOf = (jobId: string) => (byRoute ? queues.partitionOf(run[0].route) : queues.partitionOfJob(jobId));
  const jobs = packJobs(run, size, COMPARE_JOB, (id) => queueJobBodiesKey(queues.queue(partitionOf(id)).qualifiedName, id));
  const out = new Map<number, PartitionJobs>();
  for (const job of jobs) {
    const i = partitionOf(job.opts.jobId);
    const entry = out.get(i);
    if (entry) entry.jobs.push(job);
    else out.set(i, { queue: queues.queue(i), jobs: [job] });
  }
  return [...out.values()];
}

/** Jobs bound for one queue partition. */
export interface PartitionJobs {
  queue: Queue<CompareJobData>;
  jobs: PackedJob[];
}

/** Add every partition's jobs at once (on a cluster, to different shards); rejects, once all settled, with the first failure. */
export async function addAll(redis: RedisClient, all: PartitionJobs[]): Promise<void> {
  const failed = (await Promise.allSettled(all.map((p) => addPackedJobs(p.queue, redis, p.jobs)))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
