import { isUtf8 } from 'node:buffer';
import { brotliCompressSync, constants as zlib, deflateSync, gzipSync } from 'node:zlib';
import { decompressBody, mediaType } from '../compare';
import { bodyClass, decodeBody, encodeBody, type BodyRecord, type Headers } from '../records';
import type { Fingerprint } from './fingerprint';
import { redactFormText } from './redact-form';
import { redactJsonText } from './redact-json';
import { multipartBoundary, redactMultipart } from './redact-multipart';
import type { SecretNames } from './secret-names';

/**
 * Options of `redactBody`.
 *
 * @example
 * const o: BodyRedaction = { names, fp, maxDecodedBytes: 8 << 20 };
 */
export interface BodyRedaction {
  names: SecretNames;
  fp: Fingerprint;
  /** Bound on a decompressed body; a larger one is withheld. */
  maxDecodedBytes: number;
}

/**
 * Redact the decoded, parsed form of a body, whatever its encoding:
 * - `content-encoding` gzip, x-gzip, deflate or br is undone (bounded), and re-applied
 *   after redaction, so the stored body still matches its headers;
 * - JSON (`application/json`, `+json`, and JSON-looking text sent as `text/plain`, with
 *   another text type or with no content type), urlencoded forms and `multipart/form-data`
 *   fields are parsed and their secret fields replaced by fingerprints (see `redactJsonText`);
 * - a body that cannot be decoded or parsed, and in whose text a secret name occurs (or
 *   that cannot be read at all), is **withheld**: stored by size and keyed fingerprint only.
 * Truncated bodies hold no data and are returned as they are. Never throws.
 *
 * @example
 * redactBody({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, body, o); // gzip of the redacted JSON
 */
export function redactBody(headers: Headers, body: BodyRecord | null, o: BodyRedaction): BodyRecord | null {
  if (!body || body.truncated || body.withheld) return body;
  const raw = decodeBody(body);
  if (raw.length === 0) return body;
  const coding = header(headers, 'content-encoding');
  const unpacked = decompressBody(raw, coding, o.maxDecodedBytes);
  if (!unpacked.ok) return withhold(body, raw, o.fp, { kind: unpacked.kind, reason: unpacked.reason });
  const contentType = header(headers, 'content-type') ?? '';
  const out = redactDecoded(unpacked.bytes, contentType, o);
  if (out === unpacked.bytes) return body;
  if (out === null)
    return withhold(
      body,
      raw,
      o.fp,
      bodyClass(contentType) === 'json' ? { kind: 'unparseable', reason: 'invalid JSON (withheld: it may hold a secret)' } : undefined,
    );
  const packed = coding ? compress(out, coding) : out;
  return packed ? encodeBody(packed) : withhold(body, raw, o.fp);
}

/** The redacted bytes, the same Buffer when nothing was secret, or null when a secret may hide in an unreadable body. */
function redactDecoded(bytes: Buffer, contentType: string, o: BodyRedaction): Buffer | null {
  const mt = mediaType(contentType);
  const utf8 = isUtf8(bytes);
  if (mt === 'multipart/form-data') {
    const boundary = multipartBoundary(contentType);
    const out = boundary ? redactMultipart(bytes, boundary, o.names.field, o.fp) : null;
    return out ?? (o.names.mayOccurIn(bytes.toString('latin1')) ? null : bytes);
  }
  const text = utf8 ? bytes.toString('utf8') : bytes.toString('latin1');
  if (mt === 'application/x-www-form-urlencoded') {
    const out = redactFormText(text, o.names.field, o.fp);
    return out === text ? bytes : Buffer.from(out, 'utf8');
  }
  if (!o.names.mayOccurIn(text)) return bytes;
  if (!utf8) return null;
  if (bodyClass(mt) === 'json' || (isTextOrNone(mt) && /^\uFEFF?[ \t\r\n]*[[{]/.test(text))) {
    const out = redactJsonText(text, o.names.field, o.fp);
    if (out !== null) return out === text ? bytes : Buffer.from(out, 'utf8');
  }
  return null;
}

const isTextOrNone = (mt: string) => mt === '' || mt.startsWith('text/') || mt === 'application/octet-stream';

/** The body by size and keyed fingerprint only (and why it could not be read, when the comparison would have said so). */
function withhold(body: BodyRecord, raw: Buffer, fp: Fingerprint, unreadable?: BodyRecord['unreadable']): BodyRecord {
  return { encoding: 'utf8', data: '', size: body.size, truncated: false, withheld: fp(raw), ...(unreadable ? { unreadable } : {}) };
}

/** Re-apply the content codings in the order they were applied; undefined for an unknown one. */
function compress(bytes: Buffer, coding: string): Buffer | undefined {
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
  for (const k of Object.keys(headers)) {
    // Only a key of the same length can match: most are never lower-cased.
    if (k.length !== name.length || k.toLowerCase() !== name) continue;
    const v = headers[k];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  return undefined;
}
