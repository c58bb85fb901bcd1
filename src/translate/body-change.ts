import { isDeepStrictEqual } from 'node:util';
import type { Headers } from '../records';
import { findHeader, parseTranslatableBody } from './body-codec';

/**
 * Whether a translator left a body as it was given: `given` is what the translator
 * returned, `bytes`/`headers` what its input was parsed from (after content
 * decoding). The bytes are parsed again and compared deeply with what came back, so a
 * body mutated in place counts as changed, and a copy with the same content as
 * unchanged. A changed content type counts as changed. The one place that decides
 * whether a translated body is re-encoded or the original bytes are sent.
 *
 * @example
 * bodyUnchanged({ a: 1 }, Buffer.from('{ "a": 1 }'), json, json); // true: send the original bytes
 */
export function bodyUnchanged(given: unknown, bytes: Buffer, before: Headers, after: Headers): boolean {
  if ((findHeader(before, 'content-type') ?? '') !== (findHeader(after, 'content-type') ?? '')) return false;
  if (Buffer.isBuffer(given) || given instanceof Uint8Array) return Buffer.compare(given, bytes) === 0;
  return isDeepStrictEqual(given, parseTranslatableBody(bytes, before));
}
