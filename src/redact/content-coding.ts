import { brotliCompressSync, constants as zlib, deflateSync, gzipSync } from 'node:zlib';
import { transferCodings, type Headers } from '../records';

/** Re-apply the content codings in the order they were applied; undefined for an unknown one. */
export function compress(bytes: Buffer, coding: string): Buffer | undefined {
  let out = bytes;
  for (const c of coding
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== 'identity')) {
    if (c === 'gzip' || c === 'x-gzip') out = gzipSync(out);
    else if (c === 'deflate') out = deflateSync(out);
    else if (c === 'br') out = brotliCompressSync(out, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } });
    else return undefined;
  }
  return out;
}

/** A header's value by name in any case, repeated values joined. */
export function header(headers: Headers, name: string): string | undefined {
  // `for...in` over the own names, in `Object.keys` order, without its array (several calls per body, per request).
  for (const k in headers) {
    // Only a key of the same length can match: most are never lower-cased.
    if (k.length !== name.length || !Object.hasOwn(headers, k) || k.toLowerCase() !== name) continue;
    const v = headers[k];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  return undefined;
}

/**
 * The codings a held body's bytes are in, in the order they were applied: its content
 * codings, then the transfer codings besides the final `chunked` (RFC 9112 section 6.1:
 * transfer codings are applied over the content; Node undoes only `chunked`, so a body sent
 * `Transfer-Encoding: gzip, chunked` is held gzipped). Undefined when there are none.
 *
 * @example
 * bodyCodings({ 'content-encoding': 'gzip', 'transfer-encoding': 'br, chunked' }); // 'gzip, br'
 */
export function bodyCodings(headers: Headers): string | undefined {
  const content = header(headers, 'content-encoding');
  const transfer = transferCodings(headers);
  if (transfer === undefined) return content;
  return [content, ...transfer].filter((c) => c).join(', ') || undefined;
}
