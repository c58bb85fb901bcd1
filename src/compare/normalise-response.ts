import { bodyBytes, decodeBody, type BodyRecord, type ResponseRecord } from '../records';
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

/**
 * `normaliseResponse(res, opts)` for a response whose body may be byte for byte the one
 * `like` was normalised from (a candidate answering as legacy did): then, under the same
 * content-encoding and content-type and an equally body-less status, it gets `like`'s
 * parsed body itself, the same object, parsed once. Callers must not change either body
 * afterwards (a response translator may: normalise its input with `normaliseResponse`).
 *
 * @example
 * const legacy = normaliseResponse(ex.legacy, opts);
 * const candidate = normaliseResponseLike(ex.candidate, { record: ex.legacy, normalised: legacy }, opts);
 */
export function normaliseResponseLike(
  res: ResponseRecord,
  like: { record: ResponseRecord; normalised: NormalisedResponse },
  opts: NormaliseOptions,
): NormalisedResponse {
  const other = like.record;
  if (
    !res.body ||
    !like.normalised.raw ||
    isBodiless(res.status) !== isBodiless(other.status) ||
    headerString(res.headers, 'content-encoding') !== headerString(other.headers, 'content-encoding') ||
    headerString(res.headers, 'content-type') !== headerString(other.headers, 'content-type') ||
    !sameBytes(res.body, other.body)
  )
    return normaliseResponse(res, opts);
  return { status: res.status, headers: res.headers, body: like.normalised.body, raw: { ...like.normalised.raw, record: res.body } };
}

/** True when two whole, readable body records hold the same bytes (the same buffer, equal buffers or equal text). */
function sameBytes(a: BodyRecord, b: BodyRecord | null): boolean {
  if (!b || a.truncated || b.truncated || a.withheld || b.withheld || a.size !== b.size || a.encoding !== b.encoding) return false;
  const x = bodyBytes(a);
  const y = bodyBytes(b);
  if (x && y) return x === y || x.equals(y);
  return a.data === b.data;
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
