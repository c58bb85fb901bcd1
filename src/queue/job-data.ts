import type { Queue } from 'bullmq';
import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';
import { detachBodies } from './body-parts';
import { compactCandidateRequest } from './relayed-request';
import { exchangeBytes } from './exchange-size';

/** Several exchanges in one BullMQ job: one JSON document and one script call for all. */
export interface ExchangePack {
  exchanges: ExchangeRecord[];
  /** Redis list holding the bytes of the bodies sent as parts (see `detachBodies`). */
  bodies?: string;
}

/** What a comparison job carries: one exchange (bodies inline) or a pack. */
export type CompareJobData = ExchangeRecord | ExchangePack;

/** A job ready for `addBulk`, with the body bytes that must be in Redis before it. */
export interface PackedJob {
  name: string;
  data: CompareJobData;
  opts: { jobId: string };
  parts: Buffer[];
}

/** How long body parts wait for their job in Redis: far longer than any backlog is kept; the worker deletes them when done. */
export const BODY_PARTS_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The exchanges a job carries, whichever form it has (bodies sent as parts are still references).
 *
 * @example
 * for (const ex of jobExchanges(job.data)) count(ex.route);
 */
export function jobExchanges(data: CompareJobData | null | undefined): ExchangeRecord[] {
  if (!data || typeof data !== 'object') return [];
  return 'exchanges' in data && Array.isArray(data.exchanges) ? data.exchanges : [data as ExchangeRecord];
}

/**
 * How many exchanges a job carries, from its id alone (see `packJobs`: a pack's id is
 * `<first exchange id>+<count>`, a lone exchange's its own id), so a queue's exchanges
 * can be counted without reading any job's data.
 *
 * @example
 * exchangesInJob('lx3k-1f2e+16'); // 16
 * exchangesInJob('lx3k-1f2e'); // 1
 */
export function exchangesInJob(jobId: string): number {
  const m = /\+(\d+)$/.exec(jobId);
  return m ? Number(m[1]) : 1;
}

/**
 * Bytes of exchanges (`exchangeBytes`: their bodies and an allowance) a pack holds at most,
 * whatever `queue.packSize` allows; a pack always holds at least one exchange. It bounds
 * what one job costs wherever it is held whole (the job's JSON and body-part list in
 * Redis, the worker's memory per job in flight, a failed job's blast radius), however large
 * `queue.packSize`: exchanges of 2 KB fill packs of 64 long before it, 20 KB ones go about
 * 24 per job, exchanges of a megabyte one per job. Measured (`npm run bench -- --worker-only
 * --sizes 20k`, one run each): against 4 MB, the worker's peak RSS at 20 KB fell from
 * 179 / 256 MB (equal / differing) to 138 / 182, its CPU per exchange did not rise.
 */
export const PACK_BYTES = 1 << 20;

/**
 * How a run of exchanges is cut into packs: in order, each pack up to `packSize`
 * exchanges and `PACK_BYTES` (at least one exchange). The same run is always cut the
 * same way, so packing it again gives the same jobs (and job ids).
 *
 * @example
 * packRuns(exchanges, 64).map((p) => p.length); // e.g. [64, 64, 12]
 */
export function packRuns(exchanges: ExchangeRecord[], packSize: number): ExchangeRecord[][] {
  const packs: ExchangeRecord[][] = [];
  let pack: ExchangeRecord[] = [];
  let bytes = 0;
  for (const ex of exchanges) {
    const size = exchangeBytes(ex);
    if (pack.length && (pack.length >= packSize || bytes + size > PACK_BYTES)) {
      packs.push(pack);
      pack = [];
      bytes = 0;
    }
    pack.push(ex);
    bytes += size;
  }
  if (pack.length) packs.push(pack);
  return packs;
}

/**
 * Jobs for a run of exchanges: packs of up to `packSize` and `PACK_BYTES` (see `packRuns`), a lone exchange without body
 * bytes as itself. A candidate request that is the client's as relayed (no translator
 * changed it) is given by the header values it set (see `compactCandidateRequest`; the
 * worker's `expandCandidateRequest` gives it back). Bodies that hold their bytes go as parts to the Redis list
 * `partsKey(jobId)`. Job ids derive from the exchange ids, so a batch re-sent after an
 * unclear failure adds nothing twice.
 *
 * @example
 * await addPackedJobs(queue, redis, packJobs(exchanges, 16, 'compare', (id) => queueJobBodiesKey(queue.qualifiedName, id)));
 */
export function packJobs(exchanges: ExchangeRecord[], packSize: number, name: string, partsKey: (jobId: string) => string): PackedJob[] {
  const jobs: PackedJob[] = [];
  for (const run of packRuns(exchanges, packSize)) {
    const { exchanges: pack, parts } = detachBodies(run.map(compactCandidateRequest));
    const jobId = pack.length === 1 ? pack[0].id : `${pack[0].id}+${pack.length}`;
    const data: CompareJobData =
      pack.length === 1 && !parts.length ? pack[0] : { exchanges: pack, ...(parts.length ? { bodies: partsKey(jobId) } : {}) };
    jobs.push({ name, data, opts: { jobId }, parts });
  }
  return jobs;
}

/**
 * Write the jobs' body parts, then add the jobs. The parts are raw bytes: nothing is
 * decoded, escaped or turned into strings on the way. The parts' commands go back to back
 * (one round trip), then, once they are stored, the jobs' (one more), as plain commands:
 * not through an ioredis `pipeline()` (nor BullMQ's `addBulk`, which builds one): a pipeline
 * copies every script BullMQ defined on the connection (about a hundred methods) when it
 * is built, which cost more than the rest of queueing a pack. The Redis client copies
 * what it writes, so callers bound a batch's bytes (the producer sends about 8 MB of
 * bodies at a time).
 *
 * Rejects, once every write has settled, with the first failure: the parts of a job are
 * in Redis before the job is added, and a job added twice (same id) is added once.
 *
 * @example
 * await addPackedJobs(queue, redis, jobs);
 */
export async function addPackedJobs(queue: Pick<Queue, 'add'>, redis: RedisClient, jobs: PackedJob[]): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (const j of jobs) {
    if (!j.parts.length) continue;
    const key = (j.data as ExchangePack).bodies!;
    writes.push(redis.rpush(key, ...j.parts), redis.expire(key, BODY_PARTS_TTL_SECONDS));
  }
  await settledAll(writes);
  await settledAll(jobs.map((j) => queue.add(j.name, j.data as never, j.opts)));
}

/** Waits for every promise, then rejects with the first failure (as a pipeline's `exec` reports). */
async function settledAll(all: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
