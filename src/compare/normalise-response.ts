import { bodyBytes, decodeBody, type BodyRecord, type ResponseRecord } from '../records';
import { decompressBody } from './decompress-body';
import { headerString, mediaType } from './media-type';
import { parseComparedBody } from './parse-body';
import { declaredCharset } from './text-encoding';
import type { NormalisedBody, NormalisedResponse, RawBody } from './types';

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
 * Legacy's and the candidate's responses normalised for their comparison: each as
 * `normaliseResponse` gives it, except that a candidate answering legacy's very bytes
 * (the same content-encoding and content-type, neither status body-less) shares legacy's
 * body: one object, decoded, decompressed and parsed only on the first read of either's
 * `body` (an accessor), then kept. A comparison of the two never reads it (they have the
 * same raw body), so a byte-equal pair costs no decoding, decompression or parse; a
 * status change, a legacy repeat or a reader of the body pays once for both. Callers must
 * not change either body (a response translator may: normalise its input with
 * `normaliseResponse`).
 *
 * @example
 * const [legacy, candidate] = normalisePair(ex.legacy, ex.candidate, opts);
 * compareResponses(legacy, candidate, { rules }).class; // 'match', neither body parsed
 */
export function normalisePair(
  legacy: ResponseRecord,
  candidate: ResponseRecord,
  opts: NormaliseOptions,
): [NormalisedResponse, NormalisedResponse] {
  const encoding = headerString(legacy.headers, 'content-encoding');
  const contentType = headerString(legacy.headers, 'content-type');
  const body = legacy.body;
  if (
    !body ||
    !candidate.body ||
    isBodiless(legacy.status) ||
    isBodiless(candidate.status) ||
    opts.method?.toUpperCase() === 'HEAD' ||
    body.size === 0 ||
    // the bytes' length when the record holds them: reading `data` would decode them
    (bodyBytes(body)?.length ?? body.data.length) === 0 ||
    headerString(candidate.headers, 'content-encoding') !== encoding ||
    headerString(candidate.headers, 'content-type') !== contentType ||
    !sameBytes(candidate.body, body)
  )
    return [normaliseResponse(legacy, opts), normaliseResponse(candidate, opts)];
  const shared: SharedRead = { body, encoding, contentType, opts, read: undefined };
  const mt = mediaType(contentType);
  const charset = declaredCharset(contentType) ?? '';
  const raw = (record: BodyRecord): RawBody => ({ record, contentEncoding: encoding ?? '', mediaType: mt, charset });
  return [lazyBody(legacy, shared, raw(body)), lazyBody(candidate, shared, raw(candidate.body))];
}

/** What the two responses of `normalisePair` share: legacy's body, read once by either (`read`). */
interface SharedRead {
  body: BodyRecord;
  encoding: string | undefined;
  contentType: string | undefined;
  opts: NormaliseOptions;
  read: NormalisedBody | undefined;
}

/** Where a `lazyBody` response keeps its `SharedRead` (not enumerable: spreading it copies the read body only). */
const SHARED = Symbol('tandem.shared.body');
type LazyResponse = NormalisedResponse & { [SHARED]: SharedRead };

/**
 * `body` of a `lazyBody` response: one accessor shared by every such response (a getter
 * written in an object literal is a new function each time, and makes each response a
 * hidden class of its own).
 */
const SHARED_BODY: PropertyDescriptor & ThisType<LazyResponse> = {
  enumerable: true,
  configurable: true,
  get() {
    const s = this[SHARED];
    return (s.read ??= readBody(s.body, s.encoding, s.contentType, s.opts));
  },
};

/**
 * A normalised response whose `body` is read from `shared` on first use (an enumerable
 * accessor, so spreading or comparing the response reads it like a plain field). Its `raw` is set even
 * should the body decompress to nothing: the same raw body is then as empty, which is all
 * `raw` tells a comparison.
 */
function lazyBody(res: ResponseRecord, shared: SharedRead, raw: RawBody): NormalisedResponse {
  const out = { status: res.status, headers: res.headers } as LazyResponse;
  Object.defineProperty(out, SHARED, { value: shared });
  Object.defineProperty(out, 'body', SHARED_BODY);
  out.raw = raw;
  return out;
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
  // the bytes' length when the record holds them: reading `data` would decode them (a second text beside the parse's)
  if (body.size === 0 || (bodyBytes(body)?.length ?? body.data.length) === 0) return { kind: 'empty' };
  return readBody(body, encoding, contentType, opts);
}

/** Decode, decompress (bounded by `maxDecompressedBytes`) and parse a whole, readable, non-empty body. */
function readBody(body: BodyRecord, encoding: string | undefined, contentType: string | undefined, opts: NormaliseOptions): NormalisedBody {
  const unpacked = decompressBody(decodeBody(body), encoding, opts.maxDecompressedBytes);
  if (!unpacked.ok) {
    return unpacked.kind === 'too_large'
      ? { kind: 'too_large', size: body.size, sha256: body.sha256, reason: unpacked.reason }
      : { kind: 'unparseable', reason: unpacked.reason };
  }
  return parseComparedBody(unpacked.bytes, contentType);
}
