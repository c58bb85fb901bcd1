import { createHash, type Hash } from 'node:crypto';
import { bodyRecord, type BodyRecord } from '../records';

/**
 * Pieces kept as they came before small ones are copied together: a body arriving in a
 * few reads (the usual case) is kept without a copy.
 */
const VIEWS_KEPT = 16;
/** Pieces smaller than this (bytes) are copied into a slab once `VIEWS_KEPT` pieces are held. */
const SMALL_PIECE = 1024;
/** Size of a slab small pieces are copied into (bytes). */
const SLAB_BYTES = 16 * 1024;

/**
 * Keeps a bounded copy of a streamed body as Buffers, without touching the stream.
 * Past the cap it drops the copy and only hashes, so a huge body costs no memory.
 * A body sent in tiny pieces (1-byte chunks of a chunked body: each a `data` event of its
 * own) is held in slabs, not as a Buffer object per piece, which cost ~100 bytes each:
 * a 1 MB body of 1-byte chunks held ~100 MB until the cap (hundreds of MB per hostile
 * candidate, legacy or client).
 *
 * @example
 * const cap = new BodyCapture(1024);
 * stream.on('data', (c) => cap.push(c));
 * stream.on('end', () => save(cap.record()));
 */
export class BodyCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  private hash: Hash | null = null;
  /** The slab small pieces are copied into, its bytes used, and where its unsealed part starts. */
  private slab: Buffer | null = null;
  private used = 0;
  private start = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += buf.length;
    if (this.hash) {
      this.hash.update(buf);
      return;
    }
    if (buf.length < SMALL_PIECE && this.chunks.length >= VIEWS_KEPT) this.copy(buf);
    else {
      this.seal();
      this.chunks.push(buf);
    }
    if (this.size > this.cap) {
      this.seal();
      this.hash = createHash('sha256');
      for (const c of this.chunks) this.hash.update(c);
      this.chunks = [];
      this.slab = null;
    }
  }

  get overCap(): boolean {
    return this.size > this.cap;
  }

  get bytes(): number {
    return this.size;
  }

  /** Buffers held: at most 16 + 2 per KB of the body, however small the pieces it came in. */
  get pieces(): number {
    return this.chunks.length + (this.slab && this.used > this.start ? 1 : 0);
  }

  /** The record: whole body when within the cap, size and hash only beyond it. */
  record(): BodyRecord | null {
    if (this.size === 0) return null;
    this.seal();
    return bodyRecord(this.chunks, this.size, this.cap, this.hash?.digest('hex'));
  }

  private copy(buf: Buffer): void {
    if (!this.slab || this.used + buf.length > this.slab.length) {
      this.seal();
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.used = this.start = 0;
    }
    buf.copy(this.slab, this.used);
    this.used += buf.length;
  }

  /** The slab's bytes since the last seal become one piece, in order before whatever comes next. */
  private seal(): void {
    if (!this.slab || this.used === this.start) return;
    this.chunks.push(this.slab.subarray(this.start, this.used));
    this.start = this.used;
  }
}
