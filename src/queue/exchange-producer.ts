import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';
import { isTransientRedisError } from '../store';
import { exchangeBytes } from './exchange-size';
import { BacklogGuard, fitPacks, type Backlog } from './backlog-guard';
import { jobExchanges, packRuns } from './job-data';
import type { PartitionedQueue } from './partitions';
import { addAll, jobsFor, runsOf } from './partition-jobs';
import { prepareBatch } from './prepare-batch';

/** Bodies sent per round trip at most: bounds the copies the Redis client makes while it writes. */
const BATCH_BYTES = 8 << 20;

export interface ProducerOptions {
  /** Exchanges held while Redis is unreachable; beyond it new ones are dropped and counted. */
  bufferSize: number;
  /**
   * Bytes of body data held at most (default 32 MB), however few exchanges that is:
   * 10,000 exchanges with 20 KB bodies would otherwise hold about a gigabyte.
   */
  maxBufferBytes?: number;
  /** Exchanges per batch (one round trip of commands). */
  batchSize?: number;
  /** Exchanges packed into one job when several are waiting (`queue.packSize`; the config holds the default). */
  packSize: number;
  /**
   * Milliseconds a short batch waits for more exchanges before it is sent
   * (`queue.lingerMs`; the config holds the default, 0 sends at once).
   * A full pack is sent at once; at moderate load this turns one job and one Redis write
   * per exchange into one per pack.
   */
  lingerMs: number;
  /** How a batch is spread over several queue partitions (`queue.spread`; default `route`). */
  spread?: 'route' | 'even';
  /** Called for every exchange that will never be compared, with the reason. */
  onDrop(route: string, reason: 'buffer_full' | 'closed' | 'backlog_full' | 'redact_error' | 'queue_rejected'): void;
  /**
   * Applied to every exchange just before it is written to Redis (redaction): exchanges
   * wait in memory as they came and nothing unprepared is ever sent. One that throws is
   * dropped and counted (`redact_error`), never sent as it was; so is one whose promise
   * rejects (a large exchange redacted off the event loop: its batch waits for it).
   */
  prepare?(exchange: ExchangeRecord): ExchangeRecord | Promise<ExchangeRecord>;
  /** Jobs (each up to `packSize` exchanges) allowed to wait in the queue, all partitions together; beyond it exchanges are dropped and counted. */
  maxBacklog?: number;
  /**
   * Exchanges allowed to wait in the queue, all partitions together, however they are
   * packed (see `BacklogGuard`); beyond it they are dropped and counted. Applies with `maxBacklog`.
   */
  maxBacklogExchanges?: number;
  /** Whether the queue's connection can take commands now. */
  isConnected(): boolean;
  /** The queue's connection: body bytes are written to Redis with it, beside the jobs. */
  redis(): RedisClient | null;
}

/**
 * Hands exchanges to the queue without ever blocking or failing the caller. Exchanges
 * wait in a bounded in-memory buffer (by count and by bytes) and go to BullMQ in
 * batches (one round trip), several exchanges per job when several wait. While
 * Redis is away they wait; when the buffer is full they are dropped and counted. Job ids
 * derive from exchange ids, so a batch re-sent after an unclear failure adds nothing twice.
 * A batch that Redis refuses while connected is split until the refused exchange is found;
 * it alone is dropped (`dropped:queue_rejected`), never the queue.
 *
 * With several queue partitions a batch is spread over them (`queue.spread`): under `route`
 * each route's exchanges are packed together and go to the route's partition; under `even`
 * the batch is packed as it comes and each job goes to the partition its id hashes to. The
 * partitions are written at once (on a cluster, different shards).
 *
 * @example
 * const producer = new ExchangeProducer(() => queues, { bufferSize: 10000, packSize: config.queue.packSize, lingerMs: config.queue.lingerMs, onDrop: count, isConnected: () => redis.status === 'ready', redis: () => redis });
 * producer.enqueue(exchange);
 */
export class ExchangeProducer {
  private buffer: ExchangeRecord[] = [];
  /** `exchangeBytes` of each buffered exchange, at the same index: worked out once, as it arrives. */
  private sizes: number[] = [];
  private backlog: BacklogGuard | null = null;
  private bufferBytes = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private immediate = false;
  private sending: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Buffered exchanges (as buffered) whose jobs are being added now: sent, not answered yet. */
  private adding = new Set<ExchangeRecord>();
  /** close() has counted what it could not queue: a send still under way counts nothing more of it. */
  private settled = false;
  private unconfirmed = 0;
  /**
   * The batch whose add was sent and not answered (an unclear failure: it may be in Redis),
   * as long as it stays buffered: how many exchanges it took and the room it was cut to.
   * Its retry is cut the same way, never at a new reading of the backlog, which may already
   * count its own jobs; cleared once an add is confirmed (or refused and split).
   */
  private pinned: { size: number; room: Backlog } | null = null;

  /** `queues` returns null until the queue exists (e.g. while an embedded Redis starts). */
  constructor(
    private readonly queues: () => PartitionedQueue | null,
    private readonly o: ProducerOptions,
  ) {}

  /** Exchanges waiting in memory. */
  get buffered(): number {
    return this.buffer.length;
  }

  enqueue(exchange: ExchangeRecord): void {
    if (this.closed) return this.o.onDrop(exchange.route, 'closed');
    const bytes = exchangeBytes(exchange);
    if (this.buffer.length >= this.o.bufferSize || this.bufferBytes + bytes > (this.o.maxBufferBytes ?? 32 << 20)) {
      return this.o.onDrop(exchange.route, 'buffer_full');
    }
    this.buffer.push(exchange);
    this.sizes.push(bytes);
    this.bufferBytes += bytes;
    // While a send runs it picks up what arrives; otherwise send soon, or when the pack is full.
    if (this.sending || this.immediate) return;
    const linger = this.o.lingerMs;
    if (linger === 0 || this.buffer.length >= this.o.packSize) {
      this.clearLinger();
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        void this.send();
      });
    } else {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = null;
        void this.send();
      }, linger);
    }
  }

  private clearLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  /** Send everything buffered; resolves when the buffer is empty or Redis is away. */
  private send(): Promise<void> {
    if (this.sending) return this.sending;
    this.sending = (async () => {
      let queues: PartitionedQueue | null;
      let redis: RedisClient | null;
      while (this.buffer.length && (queues = this.queues()) && (redis = this.o.redis()) && this.o.isConnected()) {
        const pinned = this.pinned;
        const batch = pinned ? this.buffer.slice(0, pinned.size) : this.nextBatch();
        try {
          const pack = this.o.packSize;
          await queues.announce();
          const bounded = this.o.maxBacklog || this.o.maxBacklogExchanges;
          const guard = bounded
            ? (this.backlog ??= new BacklogGuard(
                { jobs: this.o.maxBacklog || Infinity, exchanges: this.o.maxBacklogExchanges || Infinity },
                pack,
              ))
            : null;
          // A batch sent again after an unclear failure is cut as it was the first time (see `pinned`).
          const room = pinned?.room ?? (guard ? await guard.room(queues) : { jobs: Infinity, exchanges: Infinity });
          // The batch is packed whole and cut between its packs (see `fitPacks`): cut before packing, its last pack would
          // be a shorter one under a new job id. With no room at all nothing is prepared.
          const keep = room.jobs > 0 && room.exchanges > 0 ? batch : [];
          const prepared = prepareBatch(keep, this.o.prepare);
          const { ready, from, failed } = prepared instanceof Promise ? await prepared : prepared;
          const q = queues;
          const r = redis;
          // Whole packs, while the backlog has room (see `fitPacks`); the rest is dropped below.
          const fit = guard
            ? fitPacks(runsOf(q, this.o.spread, ready), pack, room)
            : { runs: runsOf(q, this.o.spread, ready), cost: room, over: [] };
          const groups = fit.runs;
          const jobs = groups.flatMap((g) => jobsFor(q, this.o.spread, g, pack));
          const left = new Set(fit.over);
          this.adding = new Set(from.filter((_, i) => !left.has(ready[i])));
          this.pinned = { size: batch.length, room };
          try {
            if (jobs.length)
              await addAll(r, jobs).catch((e: Error) => (this.refused(e) ? this.addSplit(q, r, groups, pack) : Promise.reject(e)));
          } finally {
            this.adding = new Set();
          }
          // close() gave up on this send and counted the rest of the batch as dropped:closed.
          if (this.settled) return;
          this.pinned = null;
          guard?.added(fit.cost);
          this.buffer.splice(0, batch.length);
          for (const bytes of this.sizes.splice(0, batch.length)) this.bufferBytes -= bytes;
          for (const over of [...fit.over, ...batch.slice(keep.length)]) this.o.onDrop(over.route, 'backlog_full');
          for (const bad of failed) this.o.onDrop(bad.route, 'redact_error');
        } catch {
          break;
        }
      }
    })().finally(() => {
      this.sending = null;
      if (this.buffer.length) this.retryLater();
    });
    return this.sending;
  }

  /**
   * Redis is up but refused the batch: add it pack by pack, and a refused pack exchange by
   * exchange, so the one exchange BullMQ or Redis will not take is dropped and counted
   * (`queue_rejected`) instead of the whole batch being retried forever. Rejects (the
   * caller retries the batch later) if the connection goes meanwhile.
   */
  private async addSplit(queues: PartitionedQueue, redis: RedisClient, runs: ExchangeRecord[][], pack: number): Promise<void> {
    const tryAdd = async (some: ExchangeRecord[], size: number): Promise<boolean> => {
      try {
        await addAll(redis, jobsFor(queues, this.o.spread, some, size));
        return true;
      } catch (e) {
        if (!this.refused(e)) throw e;
        return false;
      }
    };
    // Pack by pack as the batch was packed (see `packRuns`): each chunk is one job the first attempt may have added.
    for (const exchanges of runs)
      for (const chunk of packRuns(exchanges, pack)) {
        if (await tryAdd(chunk, pack)) continue;
        const refused: ExchangeRecord[] = [];
        for (const ex of chunk) if (!(await tryAdd([ex], 1))) refused.push(ex);
        for (const ex of await this.notQueued(queues, redis, chunk, refused, pack)) this.o.onDrop(ex.route, 'queue_rejected');
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
  private async notQueued(
    queues: PartitionedQueue,
    redis: RedisClient,
    chunk: ExchangeRecord[],
    refused: ExchangeRecord[],
    pack: number,
  ): Promise<ExchangeRecord[]> {
    if (!refused.length) return refused;
    const carriers = [
      ...jobsFor(queues, this.o.spread, chunk, pack),
      ...refused.flatMap((ex) => jobsFor(queues, this.o.spread, [ex], 1)),
    ].flatMap((p) => p.jobs.map((job) => ({ job, key: p.queue.toKey(job.opts.jobId) })));
    const types = await Promise.all(carriers.map((c) => redis.type(c.key)));
    const queued = new Set<string>();
    carriers.forEach((c, i) => types[i] === 'hash' && jobExchanges(c.job.data).forEach((ex) => queued.add(ex.id)));
    const rest = refused.filter((ex) => !queued.has(ex.id));
    const counted = await Promise.all(rest.map((ex) => redis.exists(queues.doneKey(ex.route, ex.id))));
    return rest.filter((_, i) => counted[i] === 0);
  }

  /**
   * Whether Redis or BullMQ refused the command itself, so retrying cannot help. A lost
   * connection is not a refusal, even while the client still says it is connected: a
   * Cluster client stays `ready` while a master is down and its commands fail with
   * "Connection is closed" until the replica takes over. Such a batch stays buffered and
   * is sent again (job ids derive from exchange ids, so nothing is added twice).
   */
  private refused(e: unknown): boolean {
    return this.o.isConnected() && !isTransientRedisError(e);
  }

  /** The next exchanges to send: up to `batchSize`, and about `BATCH_BYTES` of bodies (at least one). */
  private nextBatch(): ExchangeRecord[] {
    const max = this.o.batchSize ?? 500;
    let bytes = 0;
    let n = 0;
    while (n < this.buffer.length && n < max && (n === 0 || bytes + this.sizes[n] <= BATCH_BYTES)) bytes += this.sizes[n++];
    return this.buffer.slice(0, n);
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.send();
    }, 250);
    this.retryTimer.unref();
  }

  /**
   * Stop taking exchanges and flush what is buffered, returning by `timeoutMs` (ms) whatever
   * Redis does, a Redis that does not answer (frozen, partitioned) included. Returns how
   * many exchanges could not be queued: each counted `dropped:closed`. Exchanges whose add
   * was sent and not answered by then are not among them: the add may still land (and the
   * worker count them), so counting them dropped could count them twice; how many they are
   * is `inFlightAtClose` (at most one batch), which the caller logs as "in flight at exit,
   * may or may not be counted". A send that ends after the deadline counts nothing more of
   * what close() counted.
   *
   * @example
   * const lost = await producer.close(5000); // counted dropped:closed
   * if (producer.inFlightAtClose) log.warn({ inFlight: producer.inFlightAtClose }, 'in flight at exit');
   */
  async close(timeoutMs = 5000): Promise<number> {
    this.closed = true;
    this.clearLinger();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)).unref());
    try {
      while (this.buffer.length && Date.now() < deadline) {
        if ((await Promise.race([this.send(), late])) === 'late') break;
        if (this.buffer.length) await Promise.race([new Promise((r) => setTimeout(r, 100)), late]);
      }
    } finally {
      clearTimeout(timer);
    }
    this.settled = true;
    const inFlight = this.adding;
    this.unconfirmed = inFlight.size;
    const lost = this.buffer.splice(0).filter((ex) => !inFlight.has(ex));
    this.sizes = [];
    this.bufferBytes = 0;
    for (const e of lost) this.o.onDrop(e.route, 'closed');
    return lost.length;
  }

  /**
   * After `close()`: exchanges whose add to the queue was sent and not answered by its
   * deadline. Not counted by the producer: each may have been queued (then the worker
   * counts it) or not (then it ends in no counter); 0 when close() confirmed every add.
   */
  get inFlightAtClose(): number {
    return this.unconfirmed;
  }
}
