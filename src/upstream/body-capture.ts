import { createHash, type Hash } from 'node:crypto';
import { bodyRecord, type BodyRecord } from '../records';

/**
 * Keeps a bounded copy of a streamed body as Buffers, without touching the stream.
 * Past the cap it drops the copy and only hashes, so a huge body costs no memory.
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

  constructor(private readonly cap: number) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += buf.length;
    if (this.hash) {
      this.hash.update(buf);
      return;
    }
    this.chunks.push(buf);
    if (this.size > this.cap) {
      this.hash = createHash('sha256');
      for (const c of this.chunks) this.hash.update(c);
      this.chunks = [];
    }
  }

  get overCap(): boolean {
    return this.size > this.cap;
  }

  get bytes(): number {
    return this.size;
  }

  /** The record: whole body when within the cap, size and hash only beyond it. */
  record(): BodyRecord | null {
    if (this.size === 0) return null;
    return bodyRecord(this.chunks, this.size, this.cap, this.hash?.digest('hex'));
  }
}
