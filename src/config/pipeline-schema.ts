import { z } from 'zod';

/**
 * The comparison pipeline's settings: how exchanges are queued (`queue`), compared
 * (`worker`) and kept (`retention`). Parts of `configSchema`; every field has its default
 * here, so `queueSchema.parse({})` gives the settings a config without `queue:` gets.
 *
 * @example
 * queueSchema.parse({}).packSize; // 64
 */
export const queueSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('compare'),
    /** Exchanges held in memory while Redis is unreachable; beyond it they are dropped and counted. */
    bufferSize: z.number().int().positive().default(10000),
    /** Jobs allowed to wait in the queue, all partitions together (workers dead or slow); beyond it exchanges are dropped and counted (`dropped:backlog_full`). */
    maxBacklog: z.number().int().positive().default(5000),
    /**
     * Exchanges allowed to wait in the queue, all partitions together, however they are packed;
     * beyond it they are dropped and counted (`dropped:backlog_full`). Applies with `maxBacklog`
     * (jobs): 80,000 is what 5,000 jobs of 16 held, so larger packs let no more wait.
     */
    maxBacklogExchanges: z.number().int().min(1).max(10_000_000).default(80_000),
    /**
     * Exchanges packed into one job when several wait to be queued (1 = one job per exchange),
     * and at most 1 MB of bodies (`PACK_BYTES`). Measured: per-exchange queueing cost halves
     * at 16; 64 against 16 took a quarter off the worker's and Redis's cost per exchange.
     */
    packSize: z.number().int().min(1).max(256).default(64),
    /** How long a lone exchange may wait for others to share its job (ms); a full pack goes at once. 0 sends every exchange as it comes. */
    lingerMs: z.number().int().min(0).max(1000).default(20),
    /**
     * BullMQ queues the work is split over, each under its own hash tag (so its own Redis
     * Cluster slot); 1 is the single queue under `{prefix}`. Workers consume every one.
     */
    partitions: z.number().int().min(1).max(64).default(1),
    /**
     * How producers choose a partition: `route` (a route's exchanges always go to one
     * partition, so they keep their order) or `even` (each job to the partition its id
     * hashes to, for when one route carries most of the traffic).
     */
    spread: z.enum(['route', 'even']).default('route'),
  })
  .prefault({});

/** `worker.concurrency` when unset, except in `tandem serve`'s worker on comparison threads (see `workerConcurrency`). */
export const WORKER_CONCURRENCY = 8;

/**
 * The jobs a worker takes at once: `worker.concurrency` when set; else, inside `tandem serve`
 * with comparisons on `threads` threads (unset there: 1), `threads` + 1, so each thread has
 * a pack to compare while one more is fetched or recorded. A pack is up to 1 MB of bodies
 * (`PACK_BYTES`) held as the job's JSON, its parsed exchanges and their results: at
 * saturation the default 8 of them were most of the proxy's live heap. Elsewhere (`tandem
 * worker`, `worker.threads: 0`) {@link WORKER_CONCURRENCY}: comparisons on the process's own
 * thread wait for Redis between packs.
 *
 * @example
 * workerConcurrency({}, true); // 2
 * workerConcurrency({}, false); // 8
 * workerConcurrency({ concurrency: 8 }, true); // 8
 */
export function workerConcurrency(worker: { concurrency?: number; threads?: number }, insideServe: boolean): number {
  if (worker.concurrency !== undefined) return worker.concurrency;
  const threads = worker.threads ?? (insideServe ? 1 : 0);
  return insideServe && threads > 0 ? threads + 1 : WORKER_CONCURRENCY;
}

/** Where and how comparisons run: in `tandem serve` or `tandem worker`, on how many threads, within what bounds. */
export const workerSchema = z
  .strictObject({
    /** Run the comparison worker inside `tandem serve`. */
    inProcess: z.boolean().default(true),
    /**
     * Jobs (packs) compared at once per process, over all queue partitions. Unset: `threads` + 1
     * for the worker inside `tandem serve` that compares on threads (a thread compares one pack
     * at a time, so more only waits in memory), else {@link WORKER_CONCURRENCY}. See `workerConcurrency`.
     */
    concurrency: z.number().int().positive().optional(),
    /** A job's lock; a worker that dies holding it loses the job to another worker after this (plus the stalled check). */
    lockDurationMs: z.number().int().min(1000).default(30000),
    /** How often workers look for jobs whose worker died (stalled jobs) and hand them to another worker. */
    stalledIntervalMs: z.number().int().min(500).default(15000),
    /**
     * Worker threads that run comparisons (translators, diffs). Unset: 1 in a process that
     * also proxies (`tandem serve`, the middleware), so no comparison stalls the proxy's
     * event loop; none in `tandem worker`, which compares on its own thread. 0 compares
     * on the process's own thread.
     */
    threads: z.number().int().min(0).max(64).optional(),
    /** Heap cap of one comparison thread (MiB): a comparison that needs more fails alone, counted as a failed comparison. */
    threadHeapMb: z.number().int().min(64).default(512),
    /**
     * Milliseconds one comparison on a comparison thread may take, waiting for the thread
     * included: past it the thread is stopped and replaced, and the exchange counted once as
     * `unparseable` ("comparison failed: Error: comparison took over N ms"). A response
     * translator that never returns cannot hold a thread for ever. Not enforced with `threads: 0`.
     */
    compareTimeoutMs: z.number().int().min(100).default(30_000),
    /** Operations one body diff may spend (values visited, differences, pairings tried); beyond it the exchange is `too_large` with a reason saying so. */
    maxDiffOperations: z.number().int().min(1000).default(1_000_000),
  })
  .prefault({});

/** What is stored of results, for how long and how much at most (Redis memory is bounded by it). */
export const retentionSchema = z
  .strictObject({
    /** Stored mismatches kept per route (newest win). */
    mismatchesPerRoute: z.number().int().positive().default(1000),
    /** Stored raw exchanges kept per route, for rediff. */
    exchangesPerRoute: z.number().int().positive().default(1000),
    /**
     * Raw exchange records stored per route and second under sustained load, per worker process: a token
     * bucket of `exchangesPerRoute` tokens refilled at this rate, so a burst of up to `exchangesPerRoute`
     * is stored in full. Exchanges beyond it are counted in full but their exchange record is not stored
     * (`not_stored:sampled`). Above 0 (a fraction is fine); a very large number (1e9) stores every one.
     */
    exchangesPerSecond: z.number().positive().default(50),
    /** Seconds stored exchanges and mismatches live. */
    ttlSeconds: z
      .number()
      .int()
      .positive()
      .default(7 * 24 * 3600),
    /** Seconds a "this exchange is recorded" marker lives (guards retries and re-sent batches against double counting). */
    dedupeSeconds: z.number().int().positive().default(3600),
    /** Redis memory budget (used_memory, MB): from 80% of it results are still counted but no longer stored in full. */
    maxMemoryMb: z.number().positive().default(512),
    /**
     * Distinct customers per route with per-customer state of their own (counters, report
     * indexes, readiness window); results of further customers are counted under the
     * customer `(other)` and in the counter `customer_overflow`. Customer ids are chosen by
     * clients: this bounds what they can make Tandem keep.
     */
    customersPerRoute: z.number().int().positive().default(1000),
    /** Differences kept per result; the rest are counted (`omittedDifferences`, "and N more" in the report). */
    maxDifferences: z.number().int().min(1).default(1000),
    /** Bytes of one stored record (exchange or mismatch) at most: over it, its largest bodies are left out (size and SHA-256 kept). */
    maxRecordBytes: z
      .number()
      .int()
      .min(16 * 1024)
      .default(2 * 1024 * 1024),
  })
  .prefault({});
