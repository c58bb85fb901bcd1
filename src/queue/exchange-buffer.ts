import type { ExchangeRecord } from '../records';
import { exchangeBytes } from './exchange-size';
import type { ProducerOptions } from './producer-options';

/** Bodies sent per round trip at most: bounds the copies the Redis client makes while it writes. */
const BATCH_BYTES = 8 << 20;

/**
 * The producer's in-memory buffer: exchanges waiting to be queued, in the order they came,
 * bounded by count (`bufferSize`) and by body bytes (`maxBufferBytes`, default 32 MB).
 * Batches are taken from its head and removed once queued (or given up on).
 *
 * @example
 * const buffer = new ExchangeBuffer({ bufferSize: 10000, batchSize: 500 });
 * if (!buffer.push(exchange)) onDrop(exchange.route, 'buffer_full');
 * const batch = buffer.nextBatch(); // ...queued...
 * buffer.remove(batch.length);
 */
export class ExchangeBuffer {
  private items: ExchangeRecord[] = [];
  /** `exchangeBytes` of each buffered exchange, at the same index: worked out once, as it arrives. */
  private sizes: number[] = [];
  private bytes = 0;

  constructor(private readonly o: Pick<ProducerOptions, 'bufferSize' | 'maxBufferBytes' | 'batchSize'>) {}

  /** Exchanges waiting. */
  get length(): number {
    return this.items.length;
  }

  /** Buffers `exchange`; false (nothing buffered) when that would pass the count or byte bound. */
  push(exchange: ExchangeRecord): boolean {
    const bytes = exchangeBytes(exchange);
    if (this.items.length >= this.o.bufferSize || this.bytes + bytes > (this.o.maxBufferBytes ?? 32 << 20)) return false;
    this.items.push(exchange);
    this.sizes.push(bytes);
    this.bytes += bytes;
    return true;
  }

  /** The first `n` exchanges, still buffered. */
  head(n: number): ExchangeRecord[] {
    return this.items.slice(0, n);
  }

  /** The next exchanges to send: up to `batchSize`, and about `BATCH_BYTES` of bodies (at least one). */
  nextBatch(): ExchangeRecord[] {
    const max = this.o.batchSize ?? 500;
    let bytes = 0;
    let n = 0;
    while (n < this.items.length && n < max && (n === 0 || bytes + this.sizes[n] <= BATCH_BYTES)) bytes += this.sizes[n++];
    return this.items.slice(0, n);
  }

  /** Remove the first `n` exchanges (queued or given up on). */
  remove(n: number): void {
    this.items.splice(0, n);
    for (const bytes of this.sizes.splice(0, n)) this.bytes -= bytes;
  }

  /** Empty the buffer, returning what it held. */
  clear(): ExchangeRecord[] {
    this.sizes = [];
    this.bytes = 0;
    return this.items.splice(0);
  }
}
