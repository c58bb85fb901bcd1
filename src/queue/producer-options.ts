import type { RedisClient } from '../store';
import type { ExchangeRecord } from '../records';

/** Why the producer gives up on an exchange (each counted `dropped:<reason>`). */
export type DropReason = 'buffer_full' | 'closed' | 'backlog_full' | 'redact_error' | 'queue_rejected';

/** How an `ExchangeProducer` buffers, packs and bounds what it queues, and what it calls back. */
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
  onDrop(route: string, reason: DropReason): void;
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
