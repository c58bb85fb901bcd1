import { transferCodings, type Headers } from '../records';
import { decompressBody } from '../compare';
import { MAX_DECODED_BYTES } from './content-decoding';

/**
 * At most this many transfer codings besides `chunked` are undone for a translator, as the
 * redactor reads at most `MAX_NESTED_ENCODINGS` (4) encodings inside one another; a longer
 * list is refused, never worked through.
 */
export const MAX_TRANSFER_CODINGS = 4;

/**
 * The decoded body, or why it could not be decoded (`reason`, one line, for the
 * translation error that counts the exchange).
 *
 * @example
 * const r: TransferDecoding = decodeTransfer(bytes, headers);
 * if (!r.ok) throw new Error(r.reason);
 */
export type TransferDecoding = { ok: true; bytes: Buffer; headers: Headers; decoded: boolean } | { ok: false; reason: string };

/**
 * Undo the transfer codings besides `chunked` a request body came in (`Transfer-Encoding:
 * gzip, chunked`; the held bytes are already de-chunked), so a translator sees the body
 * itself. Bounded as content decoding is: no stage yields more than `maxBytes` (zlib stops
 * there), at most `MAX_TRANSFER_CODINGS` codings. Without such codings the bytes come back
 * as they are (`decoded: false`); decoded, the headers lose `transfer-encoding`. An unknown
 * coding, a stream that does not decode, one over the cap or too many codings give
 * `ok: false` with the reason. Never throws.
 *
 * @example
 * decodeTransfer(gzipSync('{}'), { 'transfer-encoding': 'gzip, chunked' }); // { ok: true, bytes: <'{}'>, headers: {}, decoded: true }
 * decodeTransfer(Buffer.from('x'), { 'transfer-encoding': 'zstd, chunked' }); // { ok: false, reason: 'unsupported transfer-coding "zstd"' }
 */
export function decodeTransfer(bytes: Buffer, headers: Headers, maxBytes = MAX_DECODED_BYTES): TransferDecoding {
  const codings = transferCodings(headers);
  if (codings === undefined) return { ok: true, bytes, headers, decoded: false };
  if (codings.length > MAX_TRANSFER_CODINGS)
    return { ok: false, reason: `${codings.length} transfer-codings; at most ${MAX_TRANSFER_CODINGS} are decoded` };
  if (codings.includes('chunked')) return { ok: false, reason: 'transfer-coding "chunked" before the last' };
  const rest: Headers = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'transfer-encoding') rest[k] = v;
  // No bytes: nothing to decode (an empty gzip stream is not one).
  if (bytes.length === 0) return { ok: true, bytes, headers: rest, decoded: true };
  const r = decompressBody(bytes, codings.join(','), maxBytes);
  if (!r.ok) return { ok: false, reason: r.reason.replace('content-encoding', 'transfer-coding') };
  return { ok: true, bytes: r.bytes, headers: rest, decoded: true };
}
