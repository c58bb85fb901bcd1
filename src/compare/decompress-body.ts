import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';

/**
 * Decompressed bytes, or why the body could not be decompressed.
 *
 * @example
 * const r: DecompressResult = decompressBody(body, 'gzip', 1 << 20);
 * if (!r.ok) console.log(r.kind, r.reason);
 */
export type DecompressResult = { ok: true; bytes: Buffer } | { ok: false; kind: 'too_large' | 'unparseable'; reason: string };

type Decoder = (buf: Buffer, opts: ZlibOptions) => Buffer;

/** HTTP `deflate` should be zlib-wrapped; some servers send raw deflate, so try both. */
const inflateEither: Decoder = (buf, opts) => {
  try {
    return inflateSync(buf, opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw e;
    return inflateRawSync(buf, opts);
  }
};

const DECODERS: Record<string, Decoder> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateEither,
  br: (buf, opts) => brotliDecompressSync(buf, opts),
};

/**
 * Undo a Content-Encoding (`gzip`, `deflate`, `br`, or a list applied in order) without
 * ever producing more than `maxBytes`: zlib stops at `maxOutputLength`, so a
 * decompression bomb is refused as `too_large` instead of being expanded. Unknown
 * encodings and corrupt streams are `unparseable`. Never throws.
 *
 * @example
 * decompressBody(gzipSync('hi'), 'gzip', 1024); // { ok: true, bytes: <Buffer 68 69> }
 * decompressBody(Buffer.from('x'), 'zstd', 1024); // { ok: false, kind: 'unparseable', reason: 'unsupported content-encoding "zstd"' }
 */
export function decompressBody(bytes: Buffer, contentEncoding: string | undefined, maxBytes: number): DecompressResult {
  if (!contentEncoding) return { ok: true, bytes };
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  const limit = Math.max(1, Math.min(Math.floor(maxBytes), bufferConstants.MAX_LENGTH));
  let out = bytes;
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) return { ok: false, kind: 'unparseable', reason: `unsupported content-encoding "${coding}"` };
    try {
      out = decode(out, { maxOutputLength: limit });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        return { ok: false, kind: 'too_large', reason: `${coding} body decompresses to more than ${limit} bytes; refused` };
      }
      return { ok: false, kind: 'unparseable', reason: `${coding} body could not be decompressed: ${err.message}` };
    }
  }
  return { ok: true, bytes: out };
}
