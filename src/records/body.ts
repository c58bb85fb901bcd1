import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { BodyRecord } from './types';

/** The bytes a body record was built from, while it still matches them. */
const BYTES = Symbol('tandem.body.bytes');
/** The text of those bytes, once something has read `data` (or what was assigned to it). */
const TEXT = Symbol('tandem.body.text');
type WithBytes = BodyRecord & { [BYTES]?: Buffer; [TEXT]?: string };

/**
 * Build a bounded body record from the chunks seen on the wire.
 *
 * @example
 * const rec = bodyRecord([Buffer.from('{"a":1}')], 7, 1024);
 * rec.encoding; // 'utf8'
 */
export function bodyRecord(chunks: Buffer[], size: number, cap: number, sha256?: string): BodyRecord {
  if (size > cap) return { encoding: 'base64', data: '', size, truncated: true, sha256 };
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  return bytesBody(buf, sha256);
}

/**
 * `data` of a record built by `bytesBody`: one accessor pair shared by every such record
 * (a pair of closures per record made each one a hidden class of its own, ~10 µs a body).
 */
const LAZY_DATA: PropertyDescriptor & ThisType<WithBytes> = {
  enumerable: true,
  configurable: true,
  get() {
    return (this[TEXT] ??= this[BYTES]!.toString(this.encoding));
  },
  set(value: string) {
    this[TEXT] = value;
    this[BYTES] = undefined;
  },
};

/**
 * A body record that keeps its bytes: the encoding is decided at once (utf8 when the
 * bytes are valid UTF-8), `data` is decoded only when something reads it. The proxy
 * never reads it: bodies go to the queue as bytes (see `bodyBytes`). Copies made by
 * spreading hold the decoded text and no bytes; assigning `data` drops the bytes.
 *
 * @example
 * const rec = bytesBody(Buffer.from('{"a":1}'));
 * bodyBytes(rec)?.length; // 7, and rec.data is still undecoded
 */
export function bytesBody(buf: Buffer, sha256?: string): BodyRecord {
  return withBytes(buf, isUtf8(buf) ? 'utf8' : 'base64', sha256);
}

/**
 * A body record of bytes whose encoding is known (a queued job's body part, read back
 * whole): as `bytesBody` gives, `data` decoded only when something reads it, so a
 * comparison that only needs the bytes (a candidate answering legacy's bytes, sampled out:
 * nothing stored) never decodes them.
 *
 * @example
 * const rec = bytesBodyAs(part, 'utf8'); // rec.data is decoded on first read
 */
export function bytesBodyAs(buf: Buffer, encoding: BodyRecord['encoding'], sha256?: string): BodyRecord {
  return withBytes(buf, encoding, sha256);
}

/**
 * `body` (a record of some bytes) for another message that came with byte-equal bytes: a
 * record of its own holding `body`'s bytes (its encoding, not worked out again), so the
 * other message's copy of the bytes can go at once. Null when `body` keeps no bytes or
 * `bytes` differ from them.
 *
 * @example
 * const legacyBody = bytesBody(Buffer.from('{"a":1}'));
 * sameBytesBody(legacyBody, Buffer.from('{"a":1}')); // a record of legacy's bytes
 */
export function sameBytesBody(body: BodyRecord | null | undefined, bytes: Buffer): BodyRecord | null {
  const mine = bodyBytes(body);
  if (!body || !mine || (mine !== bytes && !mine.equals(bytes))) return null;
  return withBytes(mine, body.encoding, body.sha256);
}

function withBytes(buf: Buffer, encoding: BodyRecord['encoding'], sha256: string | undefined): BodyRecord {
  const rec = { encoding, size: buf.length, truncated: false, sha256 } as WithBytes;
  Object.defineProperty(rec, BYTES, { value: buf, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(rec, TEXT, { value: undefined, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(rec, 'data', LAZY_DATA);
  return rec;
}

/**
 * The bytes of a body record built by `bytesBody` (undefined for any other record).
 *
 * @example
 * bodyBytes(bytesBody(Buffer.from('x')))?.toString(); // 'x'
 */
export function bodyBytes(body: BodyRecord | null | undefined): Buffer | undefined {
  return body ? (body as WithBytes)[BYTES] : undefined;
}

/**
 * Encode a whole buffer as a body record, utf8 when it round-trips.
 *
 * @example
 * encodeBody(Buffer.from('hi')).data; // 'hi'
 */
export function encodeBody(buf: Buffer, sha256?: string): BodyRecord {
  const text = buf.toString('utf8');
  const roundTrips = !text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(buf);
  return roundTrips
    ? { encoding: 'utf8', data: text, size: buf.length, truncated: false, sha256 }
    : { encoding: 'base64', data: buf.toString('base64'), size: buf.length, truncated: false, sha256 };
}

/**
 * Hex SHA-256 of a body: the recorded one, or computed from the kept bytes.
 *
 * @example
 * bodyHash(encodeBody(Buffer.from('x'))).length; // 64
 */
export function bodyHash(body: BodyRecord | null | undefined): string {
  if (!body) return createHash('sha256').digest('hex');
  return body.sha256 ?? createHash('sha256').update(decodeBody(body)).digest('hex');
}

/**
 * Bytes of a body record (empty when truncated or absent).
 *
 * @example
 * decodeBody(encodeBody(Buffer.from('x'))).toString(); // 'x'
 */
export function decodeBody(body: BodyRecord | null | undefined): Buffer {
  if (!body || body.truncated) return Buffer.alloc(0);
  return bodyBytes(body) ?? Buffer.from(body.data, body.encoding);
}

/**
 * One header value as a string (first of repeated values).
 *
 * @example
 * headerValue({ 'content-type': 'text/plain' }, 'Content-Type'); // 'text/plain'
 */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
