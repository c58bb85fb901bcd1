import { decodeBody, type ResponseRecord } from '../records';
import { decompressBody } from './decompress-body';
import { headerString, mediaType } from './media-type';
import { parseComparedBody } from './parse-body';
import { declaredCharset } from './text-encoding';
import type { NormalisedBody, NormalisedResponse } from './types';

/**
 * Options of normaliseResponse.
 *
 * @example
 * normaliseResponse(record, { maxDecompressedBytes: 8 << 20, method: 'HEAD' });
 */
export interface NormaliseOptions {
  /** Cap on the decompressed size; a body that would expand beyond it is refused as too_large. */
  maxDecompressedBytes: number;
  /** Request method; a HEAD response has no body whatever its headers say. */
  method?: string;
}

/** Statuses that never carry a body. */
const isBodiless = (status: number): boolean => status === 204 || status === 304 || (status >= 100 && status < 200);

/**
 * Decompress and parse a recorded response so it can be compared. Never throws:
 * truncated bodies and decompression bombs become `too_large`, unknown encodings,
 * corrupt streams and invalid JSON `unparseable`, each with a reason.
 *
 * @example
 * const rec = { status: 200, headers: { 'content-type': 'application/json' }, body: encodeBody(Buffer.from('{"a":1}')), durationMs: 3 };
 * normaliseResponse(rec, { maxDecompressedBytes: 1 << 20 }).body; // { kind: 'json', value: { a: 1 } }
 */
export function normaliseResponse(res: ResponseRecord, opts: NormaliseOptions): NormalisedResponse {
  const encoding = headerString(res.headers, 'content-encoding');
  const contentType = headerString(res.headers, 'content-type');
  const out: NormalisedResponse = { status: res.status, headers: res.headers, body: normaliseBody(res, encoding, contentType, opts) };
  if (res.body && out.body.kind !== 'empty')
    out.raw = {
      record: res.body,
      contentEncoding: encoding ?? '',
      mediaType: mediaType(contentType),
      charset: declaredCharset(contentType) ?? '',
    };
  return out;
}

function normaliseBody(
  res: ResponseRecord,
  encoding: string | undefined,
  contentType: string | undefined,
  opts: NormaliseOptions,
): NormalisedBody {
  const body = res.body;
  if (!body || isBodiless(res.status) || opts.method?.toUpperCase() === 'HEAD') return { kind: 'empty' };
  if (body.truncated) {
    return {
      kind: 'too_large',
      size: body.size,
      sha256: body.sha256,
      reason: `body of ${body.size} bytes is larger than the capture limit`,
    };
  }
  // Withheld by redaction (a secret may be in it and it could not be parsed): compared by size and keyed fingerprint.
  if (body.withheld) {
    const u = body.unreadable;
    if (u?.kind === 'too_large') return { kind: 'too_large', size: body.size, reason: u.reason };
    if (u?.kind === 'unparseable') return { kind: 'unparseable', reason: u.reason };
    return { kind: 'binary', size: body.size, sha256: body.withheld };
  }
  if (body.size === 0 || body.data.length === 0) return { kind: 'empty' };
  const unpacked = decompressBody(decodeBody(body), encoding, opts.maxDecompressedBytes);
  if (!unpacked.ok) {
    return unpacked.kind === 'too_large'
      ? { kind: 'too_large', size: body.size, sha256: body.sha256, reason: unpacked.reason }
      : { kind: 'unparseable', reason: unpacked.reason };
  }
  return parseComparedBody(unpacked.bytes, contentType);
}
