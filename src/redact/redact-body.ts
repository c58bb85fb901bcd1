import { isUtf8 } from 'node:buffer';
import { declaredCharset, decodeText, decompressBody, encodeText, mediaType, type PathSegment } from '../compare';
import { bodyClass, decodeBody, encodeBody, jsonTooDeep, tooDeepReason, type BodyRecord, type Headers } from '../records';
import type { Fingerprint } from './fingerprint';
import { bodyCodings, compress, header } from './content-coding';
import { redactFormText } from './redact-form';
import { MAX_JSON_DEPTH, redactJsonText } from './redact-json';
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
  /** Nested encodings still to be read in the body being redacted (set by `redactBody`; see `MAX_NESTED_READS`). */
  budget?: { left: number };
}

/**
 * Redact the decoded, parsed form of a body, whatever its encoding:
 * - `content-encoding` gzip, x-gzip, deflate or br is undone (bounded), and re-applied
 *   after redaction, so the stored body still matches its headers;
 * - JSON (`application/json`, `+json`, and JSON-looking text sent as `text/plain`, with
 *   another text type or with no content type), urlencoded forms and `multipart/*` parts
 *   (form-data, mixed, ...) are parsed and their secret fields replaced by fingerprints (see
 *   `redactJsonText`);
 * - encodings inside encodings are read too, up to `MAX_NESTED_ENCODINGS` levels: a
 *   multipart part that is itself multipart, JSON or a form inside a JSON string value or a
 *   form value, JSON inside those; their fields are named under the field holding them
 *   (`{"payload":"{\"password\":..}"}` is `payload.password`). A string value that may
 *   hold a secret and cannot be read (nested too deep, JSON-looking but not JSON) is
 *   replaced whole by its fingerprint; a multipart part nested too deep withholds the body;
 * - a body that cannot be decoded or parsed, and in whose text a secret name occurs (or
 *   that cannot be read at all), is **withheld**: stored by size and keyed fingerprint only;
 *   so is one holding more than `MAX_SECRET_VALUES` secret values.
 * Truncated bodies hold no data and are returned as they are. Never throws.
 *
 * @example
 * redactBody({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, body, o); // gzip of the redacted JSON
 */
export function redactBody(headers: Headers, body: BodyRecord | null, o: BodyRedaction): BodyRecord | null {
  if (!body || body.truncated || body.withheld) return body;
  const raw = decodeBody(body);
  if (raw.length === 0) return body;
  const coding = bodyCodings(headers);
  if (coding && coding.split(',').length > MAX_NESTED_ENCODINGS)
    return withhold(body, raw, o.fp, { kind: 'unparseable', reason: `more than ${MAX_NESTED_ENCODINGS} codings; not read` });
  const unpacked = decompressBody(raw, coding, o.maxDecodedBytes);
  if (!unpacked.ok) return withhold(body, raw, o.fp, { kind: unpacked.kind, reason: unpacked.reason });
  const contentType = header(headers, 'content-type') ?? '';
  let out: Buffer | Withheld;
  let values = MAX_SECRET_VALUES;
  const fp: Fingerprint = (v) => {
    if (--values < 0) throw OVER_VALUES;
    return o.fp(v);
  };
  try {
    out = redactDecoded(unpacked.bytes, contentType, { ...o, fp, budget: { left: MAX_NESTED_READS } }, o.names.field, 0);
  } catch (e) {
    if (e !== OVER_BUDGET && e !== OVER_VALUES) throw e;
    out = unparseable(e === OVER_BUDGET ? TOO_MANY : TOO_MANY_VALUES);
  }
  if (out === unpacked.bytes) return body;
  if (!Buffer.isBuffer(out)) return withhold(body, raw, o.fp, out.unreadable);
  const packed = coding ? compress(out, coding) : out;
  return packed ? encodeBody(packed) : withhold(body, raw, o.fp);
}

/** Why a body is withheld, when the comparison would have said why it could not read it. */
interface Withheld {
  unreadable?: BodyRecord['unreadable'];
}

type IsSecret = (path: readonly PathSegment[]) => boolean;

/**
 * Encodings read inside a body's own (a JSON string in a form value in a multipart part
 * is three). Each level reads only parts of the text above it, so redacting a body costs at
 * most this many passes over its bytes, however it is built; deeper text is not parsed.
 */
export const MAX_NESTED_ENCODINGS = 4;

/**
 * Encoded values (JSON or a form in a string or form value, a multipart part inside a part)
 * read in one body at most; past it the body is withheld, with the reason `TOO_MANY`. Each
 * read costs ~10-20 µs on the proxy's event loop (a parse, a fingerprint, an escape), so a
 * hostile 1 MB body of 36,000 `"{\"password\":..}"` strings would stall it for ~300 ms
 * instead of the ~10-20 ms this allows; a real body holding a thousand encoded values that
 * name a secret is rare, and is then compared by its fingerprint.
 */
export const MAX_NESTED_READS = 1000;

/**
 * Secret values fingerprinted in one body at most (fields, form values, strings read
 * whole); past it the body is withheld, with the reason `TOO_MANY_VALUES`. Each costs an
 * HMAC on the proxy's event loop (5-10 µs): a hostile body just under the capture cap
 * holding 45,000 `"password"` fields (or 68,000 form fields) held the loop ~0.5 s, every
 * client's answer waiting. A withheld body costs one HMAC of its bytes.
 */
export const MAX_SECRET_VALUES = 1000;

const OVER_BUDGET = new Error('nested encodings past MAX_NESTED_READS');
const OVER_VALUES = new Error('secret values past MAX_SECRET_VALUES');
const TOO_MANY_VALUES = `more than ${MAX_SECRET_VALUES} secret values inside one body`;
const TOO_MANY = `more than ${MAX_NESTED_READS} encoded values naming a secret inside one body`;

/** One nested read of the body being redacted; throws `OVER_BUDGET` (caught by `redactBody`) past the bound. */
function spend(o: BodyRedaction): void {
  if (o.budget && --o.budget.left < 0) throw OVER_BUDGET;
}

const WITHHELD: Withheld = {};
const unparseable = (why: string): Withheld => ({ unreadable: { kind: 'unparseable', reason: `${why} (withheld: it may hold a secret)` } });

/**
 * The redacted bytes, the same Buffer when nothing was secret, or why they are withheld
 * (a secret may hide in a body that cannot be read). Text is read in the charset the
 * comparison reads it in (`decodeText`: declared charset, else BOM, else UTF-8) and a
 * redacted text is encoded back into that same charset, so the stored bytes still match
 * their headers and the comparison still sees how each side was encoded.
 */
function redactDecoded(bytes: Buffer, contentType: string, o: BodyRedaction, field: IsSecret, level: number): Buffer | Withheld {
  const mt = mediaType(contentType);
  if (mt.startsWith('multipart/')) {
    const boundary = multipartBoundary(contentType);
    let why: Withheld | undefined;
    const out = boundary
      ? redactMultipart(bytes, boundary, field, o.fp, (content, type, path) => {
          const part = redactPart(content, type, path, o, field, level);
          if (Buffer.isBuffer(part)) return part;
          // Only the depth bound names itself; a part that cannot be read withholds the body as before.
          why = part.unreadable?.reason.startsWith(TOO_NESTED) ? part : WITHHELD;
          return null;
        })
      : null;
    return out ?? why ?? (o.names.mayOccurIn(bytes.toString('latin1')) ? WITHHELD : bytes);
  }
  const declared = declaredCharset(contentType);
  if (declared === undefined ? !utf16Bom(bytes) : declared === 'utf-8' || declared === 'us-ascii') {
    // The usual body: UTF-8, read without iconv.
    const utf8 = isUtf8(bytes);
    const text = utf8 ? bytes.toString('utf8') : bytes.toString('latin1');
    if (mt !== 'application/x-www-form-urlencoded') {
      if (!mayName(text, o)) {
        // UTF-16 not declared as such (no charset and no BOM, or mislabelled UTF-8) shows its names with NULs between the letters.
        if (!bytes.includes(0) || !o.names.mayOccurIn(text.replace(/\0/g, ''))) return bytes;
        const why = utf8 ? redactText(text, mt, o, field, level) : WITHHELD; // for the reason ("invalid JSON")
        return typeof why === 'string' ? WITHHELD : why;
      }
      if (!utf8) return WITHHELD;
    }
    const out = redactText(text, mt, o, field, level);
    // A form not in UTF-8 is written back as it was read (Latin-1, byte for byte): only the
    // redacted values, ASCII percent-escapes, change.
    if (typeof out !== 'string') return out;
    if (out !== text) return Buffer.from(out, utf8 ? 'utf8' : 'latin1');
    return wideNames(bytes, o) ? unparseable(WIDE) : bytes;
  }
  const decoded = decodeText(bytes, declared);
  if (!decoded) return unparseable(`unknown charset "${declared}"`);
  // Read in an 8-bit charset, or in a UTF-16/32 its BOM contradicts: a client may read it as
  // the UTF-16 its NULs suggest, so names shown with NULs between the letters count.
  // Read in UTF-16/32: a server may ignore the label (JSON parsers sniff, most form parsers
  // take UTF-8) and read ASCII bytes as ASCII, so names shown in the bytes as Latin-1 count.
  const { charset, bom } = decoded.encoding;
  const wide = WIDE_CHARSET.test(charset);
  const misread = !wide || (bom !== undefined && bom !== charset && !(charset === 'utf-16' && bom !== 'utf-8'));
  const kept = () =>
    misread && wideNames(bytes, o) ? unparseable(WIDE) : wide && mayName(bytes.toString('latin1'), o) ? unparseable(NARROW) : bytes;
  if (mt !== 'application/x-www-form-urlencoded' && !mayName(decoded.text, o)) return kept();
  const out = redactText(decoded.text, mt, o, field, level);
  if (typeof out !== 'string') return out;
  if (out === decoded.text) return kept();
  return encodeText(out, decoded.encoding, { text: decoded.text, bytes }) ?? unparseable(`bytes not valid ${decoded.encoding.charset}`);
}

/** Decoded text redacted as its media type says: form fields, JSON (by type, or by look for text), else withheld. */
function redactText(text: string, mt: string, o: BodyRedaction, field: IsSecret, level: number): string | Withheld {
  if (mt === 'application/x-www-form-urlencoded') {
    // A "form" whose whole text is JSON: a server that parses the body whatever its label (or reads
    // another Content-Type line) reads its fields, which a form parser sees inside one field name.
    const json =
      LOOKS_JSON.test(text) && o.names.mayOccurIn(text)
        ? redactJsonText(text, field, o.fp, MAX_JSON_DEPTH, innerStrings(o, field, level))
        : null;
    return redactFormText(json ?? text, field, o.fp, (value, path) => redactJsonValue(value, path, o, field, level)) ?? WITHHELD;
  }
  const json = bodyClass(mt) === 'json';
  if (json || (isTextOrNone(mt) && LOOKS_JSON.test(text))) {
    const out = redactJsonText(text, field, o.fp, MAX_JSON_DEPTH, innerStrings(o, field, level));
    if (out !== null) return out;
    if (jsonTooDeep(text, MAX_JSON_DEPTH)) return unparseable(tooDeepReason(MAX_JSON_DEPTH));
    if (json) return unparseable('invalid JSON');
  }
  return WITHHELD;
}

const LOOKS_JSON = /^\uFEFF?[ \t\r\n]*[[{]/;

/**
 * Whether a secret name may occur in text, also once its percent-escapes are undone (a
 * form inside a JSON string spells `%22token%22`). Names are ASCII: a lenient byte-wise
 * unescape is enough for the probe.
 */
const mayName = (text: string, o: BodyRedaction) =>
  o.names.mayOccurIn(text) ||
  (text.includes('%') && o.names.mayOccurIn(text.replace(PERCENT, (m) => String.fromCharCode(parseInt(m.slice(1), 16)))));
const PERCENT = /%[0-9a-fA-F]{2}/g;

/**
 * A form field's value that is JSON, redacted as a JSON body nested under the field's
 * name (`data={"password":..}` is `data.password`); any other value as it is. Null when
 * it looks like JSON, may hold a secret and cannot be read, or is nested deeper than
 * `MAX_NESTED_ENCODINGS` (the form is then withheld).
 */
function redactJsonValue(value: string, path: readonly PathSegment[], o: BodyRedaction, field: IsSecret, level: number): string | null {
  if (!LOOKS_JSON.test(value) || !o.names.mayOccurIn(value)) return value;
  if (level >= MAX_NESTED_ENCODINGS) return null;
  spend(o);
  const inner = nested(field, path);
  return redactJsonText(value, inner, o.fp, MAX_JSON_DEPTH, innerStrings(o, inner, level + 1));
}

/** What `redactJsonText` does with a string value that is not itself secret: see `redactString`. */
const innerStrings =
  (o: BodyRedaction, field: IsSecret, level: number) =>
  (raw: string, path: readonly PathSegment[]): string | undefined => {
    if (raw.length < 5 || !mayName(raw, o)) return undefined; // the usual string: no secret name in it
    const out = redactString(raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1), path, o, field, level);
    return out === undefined ? undefined : JSON.stringify(out);
  };

/**
 * A string value (not itself at a secret path) whose text may name a secret and looks like
 * JSON or a form (`{`, `[`, or a `=`): read as one, nested under the value's `path`, its
 * secret fields fingerprinted. Such text that cannot be read, or that lies `level` >=
 * `MAX_NESTED_ENCODINGS` encodings deep, is fingerprinted whole. Undefined keeps the value.
 *
 * @example
 * redactString('{"password":"x"}', ['payload'], o, o.names.field, 1); // '{"password":"[REDACTED:...]"}'
 */
export function redactString(
  value: string,
  path: readonly PathSegment[],
  o: BodyRedaction,
  field: IsSecret,
  level: number,
): string | undefined {
  const json = LOOKS_JSON.test(value);
  if ((!json && !value.includes('=')) || !mayName(value, o)) return undefined;
  let out: string | null = null;
  if (level < MAX_NESTED_ENCODINGS) {
    spend(o);
    const inner = nested(field, [...path]);
    out = json
      ? redactJsonText(value, inner, o.fp, MAX_JSON_DEPTH, innerStrings(o, inner, level + 1))
      : redactFormText(value, inner, o.fp, (v, p) => redactJsonValue(v, p, o, inner, level + 1));
  }
  return out === value ? undefined : (out ?? o.fp(value));
}

/**
 * A multipart part that is not itself a secret field: JSON (`application/json`, `+json`),
 * a form, or JSON-looking text (untyped or `text/*`) is redacted as a body of its type
 * and charset, nested under the part's name; anything else (files) is kept as it is.
 * Null when it may hold a secret and cannot be read.
 */
function redactPart(
  content: Buffer,
  type: string | undefined,
  path: readonly PathSegment[],
  o: BodyRedaction,
  field: IsSecret,
  level: number,
): Buffer | Withheld {
  const multipart = type !== undefined && mediaType(type).startsWith('multipart/');
  const cls = type === undefined ? 'text' : bodyClass(type);
  if (cls === 'binary' && !multipart) return content;
  // Text only when it looks like JSON (in an 8- or 16-bit charset, after any BOM).
  if (cls === 'text' && !PART_LOOKS_JSON.test(content.subarray(0, 64).toString('latin1'))) return content;
  if (level >= MAX_NESTED_ENCODINGS) return o.names.mayOccurIn(content.toString('latin1')) ? unparseable(TOO_NESTED) : content;
  spend(o);
  return redactDecoded(content, type ?? 'text/plain', o, nested(field, path), level + 1);
}

const TOO_NESTED = `encodings nested deeper than ${MAX_NESTED_ENCODINGS} levels`;

const PART_LOOKS_JSON = /^(?:\xEF\xBB\xBF|\xFE\xFF|\xFF\xFE)?[ \t\r\n\0]*[[{]/;

/** A secret test for a value nested under `prefix` (a form field or multipart part by its name). */
const nested =
  (field: IsSecret, prefix: readonly PathSegment[]): IsSecret =>
  (p) =>
    field([...prefix, ...p]);

/**
 * A body with NUL bytes in which a secret name shows once they are dropped: the ASCII
 * letters of UTF-16 (LE or BE, at any offset, after any BOM) read as an 8-bit charset.
 */
const wideNames = (bytes: Buffer, o: BodyRedaction) => bytes.includes(0) && o.names.mayOccurIn(bytes.toString('latin1').replace(/\0/g, ''));
const WIDE = 'NUL bytes between the letters of a secret name, as UTF-16 not read as declared';
const NARROW = 'a secret name in its bytes read as ASCII, as 8-bit text labelled UTF-16 or UTF-32';
const WIDE_CHARSET = /^(?:utf-?(?:16|32)|ucs-?[24])/;

/** Starts with a UTF-16 byte-order mark (a body the comparison reads as UTF-16 without a charset). */
const utf16Bom = (b: Buffer) => b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));

const isTextOrNone = (mt: string) => mt === '' || mt.startsWith('text/') || mt === 'application/octet-stream';

/**
 * A body by size and keyed fingerprint only, `reason` saying why it was not read (stored as
 * its `unreadable`, withheld as `redactBody` withholds); a missing, truncated or already
 * withheld body comes back as it is. One HMAC of its bytes.
 */
export function withholdBody(body: BodyRecord | null, fp: Fingerprint, reason: string): BodyRecord | null {
  if (!body || body.truncated || body.withheld) return body;
  return withhold(body, decodeBody(body), fp, unparseable(reason).unreadable);
}

/** The body by size and keyed fingerprint only (and why it could not be read, when the comparison would have said so). */
function withhold(body: BodyRecord, raw: Buffer, fp: Fingerprint, unreadable?: BodyRecord['unreadable']): BodyRecord {
  return { encoding: 'utf8', data: '', size: body.size, truncated: false, withheld: fp(raw), ...(unreadable ? { unreadable } : {}) };
}
