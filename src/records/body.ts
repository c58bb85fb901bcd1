import { createHash } from 'node:crypto';
import type { BodyRecord } from './types';

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
  return encodeBody(buf, sha256);
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
  return Buffer.from(body.data, body.encoding);
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
