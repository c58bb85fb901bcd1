import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';
import { BacklogGuard, fitPacks, type Backlog } from './backlog-guard';
import { ExchangeBuffer } from './exchange-buffer';
import type { PartitionedQueue } from './partitions';
import { addAll, jobsFor, runsOf } from './partition-jobs';
import { prepareBatch } from './prepare-batch';
import type { ProducerOptions } from './producer-options';
import { addSplit, isRefusal } from './refused-batch';

export type { ProducerOptions } from './producer-options';

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
  private readonly buffer: ExchangeBuffer;
  private backlog: BacklogGuard | null = null;
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
  ) {
    this.buffer = new ExchangeBuffer(o);
  }

  /** Exchanges waiting in memory. */
  get buffered(): number {
    return this.buffer.length;
  }

  enqueue(exchange: ExchangeRecord): void {
    if (this.closed) return this.o.onDrop(exchange.route, 'closed');
    if (!this.buffer.push(exchange)) return this.o.onDrop(exchange.route, 'buffer_full');
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
        const batch = pinned ? this.buffer.head(pinned.size) : this.buffer.nextBatch();
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
              await addAll(r, jobs).catch((e: Error) => (isRefusal(this.o, e) ? addSplit(this.o, q, r, groups, pack) : Promise.reject(e)));
          } finally {
            this.adding = new Set();
          }
          // close() gave up on this send and counted the rest of the batch as dropped:closed.
          if (this.settled) return;
          this.pinned = null;
          guard?.added(fit.cost);
          this.buffer.remove(batch.length);
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
    const lost = this.buffer.clear().filter((ex) => !inFlight.has(ex));
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
