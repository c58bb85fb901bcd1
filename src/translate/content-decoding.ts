import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Headers } from '../records';
import { findHeader } from './body-codec';

/**
 * Decoded bodies larger than this are left compressed (decompression-bomb guard) when the
 * caller sets no cap; the proxy passes `capture.maxBodyBytes`.
 *
 * @example
 * MAX_DECODED_BYTES; // 33554432 (32 MiB)
 */
export const MAX_DECODED_BYTES = 32 * 1024 * 1024;

const decoders: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Undo a gzip, deflate or br `content-encoding` so translators see the real body.
 * Returns the decoded bytes and the headers without content-encoding and
 * content-length, or `undefined` when there is no encoding, an unknown one, the
 * bytes do not decode, or they decode to more than `maxBytes` (the caller then keeps
 * the raw Buffer): zlib stops at the cap, so nothing larger is ever allocated.
 *
 * @example
 * decodeContent(gzipSync('{}'), { 'content-encoding': 'gzip' }); // { bytes: <Buffer '{}'>, headers: {} }
 */
export function decodeContent(
  bytes: Buffer,
  headers: Headers,
  maxBytes = MAX_DECODED_BYTES,
): { bytes: Buffer; headers: Headers } | undefined {
  const encoding = findHeader(headers, 'content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity' || bytes.length === 0) return undefined;
  const decode = decoders[encoding];
  if (!decode) return undefined;
  try {
    const decoded = decode(bytes, { maxOutputLength: Math.max(1, Math.floor(maxBytes)) });
    const rest: Headers = {};
    for (const [k, v] of Object.entries(headers)) {
      if (!/^content-(encoding|length)$/i.test(k)) rest[k] = v;
    }
    return { bytes: decoded, headers: rest };
  } catch {
    return undefined;
  }
}
