import { isUtf8 } from 'node:buffer';
import { declaredCharset, decodeText, decompressBody, encodeText, mediaType, type PathSegment } from '../compare';
import { bodyClass, decodeBody, encodeBody, jsonTooDeep, tooDeepReason, type BodyRecord, type Headers } from '../records';
import type { Fingerprint } from './fingerprint';
import { bodyCodings, compress, header } from './content-coding';
import { credentialIn, credentialOrUndefined } from './credential-form';
import { redactFormText } from './redact-form';
import { MAX_JSON_DEPTH, redactJsonText } from './redact-json';
import { multipartBoundary, redactMultipart } from './redact-multipart';
import {
  MAX_FORM_FIELDS,
  MAX_NESTED_ENCODINGS,
  MAX_NESTED_READS,
  MAX_SECRET_VALUES,
  OFF_LOOP,
  OVER_BUDGET,
  OVER_VALUES,
  spend,
  spendOnLoop,
  TOO_MANY,
  TOO_MANY_FIELDS,
  TOO_MANY_VALUES,
  TOO_NESTED,
  type BodyRedaction,
} from './redact-limits';
import { innerStrings, LOOKS_JSON, mayName, nested, redactJsonValue, type IsSecret } from './redact-nested';
import { unparseable, withhold, WITHHELD, type Withheld } from './withhold-body';

/**
 * Redact the decoded, parsed form of a body, whatever its encoding:
 * - `content-encoding` gzip, x-gzip, deflate or br is undone (bounded), and re-applied
 *   after redaction, so the stored body still matches its headers;
 * - JSON (`application/json`, `+json`, and JSON-looking text sent as `text/plain`, with
 *   another text type or with no content type), urlencoded forms and `multipart/*` parts
 *   (form-data, mixed, ...) are parsed and their secret fields replaced by fingerprints (see
 *   `redactJsonText`), and so are their values that are credentials by their form whatever
 *   their name (`{"jwt":"eyJ…"}`, `up=Bearer+…`: see `credentialForm`); a body naming no secret
 *   is read for those only when `credentialIn` finds one may be in it;
 * - encodings inside encodings are read too, up to `MAX_NESTED_ENCODINGS` levels: a
 *   multipart part that is itself multipart, JSON or a form inside a JSON string value or a
 *   form value, JSON inside those; their fields are named under the field holding them
 *   (`{"payload":"{\"password\":..}"}` is `payload.password`). A string value that may
 *   hold a secret and cannot be read (nested too deep, JSON-looking but not JSON) is
 *   replaced whole by its fingerprint; a multipart part nested too deep withholds the body;
 * - a body that cannot be decoded or parsed, and in whose text a secret name occurs (or
 *   that cannot be read at all), is **withheld**: stored by size and keyed fingerprint only;
 *   so is one holding more than `MAX_SECRET_VALUES` secret values, and a compressed one
 *   decoding to more than `maxReadBytes` in which a secret name may occur (read field by
 *   field it would cost the proxy's event loop up to 8 times what the largest plain body
 *   captured costs: a 170-byte `gzip, gzip, gzip, gzip` body decoding to 8 MB held it 0.7 s).
 * Truncated bodies hold no data and are returned as they are. Never throws, but for `OFF_LOOP`
 * when `o.loopBytes` is set and this body would take the exchange past it (the probe costs at
 * most decoding that many bytes).
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
  spendOnLoop(o, raw.length);
  // On the loop a compressed body is decoded only as far as the exchange's loop bytes go (see `ON_LOOP_BYTES`).
  const limit = coding && o.loopBytes ? Math.min(o.maxDecodedBytes, o.loopBytes.left) : o.maxDecodedBytes;
  const unpacked = decompressBody(raw, coding, limit);
  if (!unpacked.ok && unpacked.kind === 'too_large' && limit < o.maxDecodedBytes) throw OFF_LOOP;
  if (coding && unpacked.ok) spendOnLoop(o, unpacked.bytes.length);
  if (!unpacked.ok) return withhold(body, raw, o.fp, { kind: unpacked.kind, reason: unpacked.reason });
  if (coding && o.maxReadBytes !== undefined && unpacked.bytes.length > o.maxReadBytes) {
    // Scanned for names only (one pass over its bytes, as 8-bit text and without NULs for UTF-16), never parsed.
    const text = unpacked.bytes.toString('latin1');
    if (!mayName(text, o) && !wideNames(unpacked.bytes, o) && !credentialIn(text)) return body;
    return withhold(
      body,
      raw,
      o.fp,
      unparseable(
        `decompresses to more than ${o.maxReadBytes} bytes (capture.maxBodyBytes) with a secret name or credential in it; not read`,
      ).unreadable,
    );
  }
  const contentType = header(headers, 'content-type') ?? '';
  let out: Buffer | Withheld;
  let values = MAX_SECRET_VALUES;
  const fp: Fingerprint = (v) => {
    if (--values < 0) throw OVER_VALUES;
    return o.fp(v);
  };
  try {
    // Object.assign, not a spread adding fields (slow to build on Node 20: see body-memo.ts).
    const read = Object.assign({}, o, { fp, budget: { left: MAX_NESTED_READS } });
    out = redactDecoded(unpacked.bytes, contentType, read, o.names.field, 0);
  } catch (e) {
    if (e !== OVER_BUDGET && e !== OVER_VALUES) throw e;
    out = unparseable(e === OVER_BUDGET ? TOO_MANY : TOO_MANY_VALUES);
  }
  if (out === unpacked.bytes) return body;
  if (!Buffer.isBuffer(out)) return withhold(body, raw, o.fp, out.unreadable);
  const packed = coding ? compress(out, coding) : out;
  return packed ? encodeBody(packed) : withhold(body, raw, o.fp);
}

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
    const named = mayName(text, o);
    // No secret name, but maybe a credential by its form (a JWT, `Bearer …`): read when the body is a form or JSON.
    const credentials = !named && (utf8 || mt === FORM) && credentialIn(text) ? credentialsOnly(text, mt, o, field, level) : undefined;
    if (credentials !== undefined)
      return typeof credentials === 'string' ? Buffer.from(credentials, utf8 ? 'utf8' : 'latin1') : credentials;
    // A form naming no secret is not parsed, as JSON is not: nothing in it would change.
    if (mt === FORM && !named) return wideNames(bytes, o) ? unparseable(WIDE) : bytes;
    if (mt !== FORM) {
      if (!named) {
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
  if (mt !== FORM && !mayName(decoded.text, o) && !(credentialIn(decoded.text) && readAs(mt, decoded.text))) return kept();
  const out = redactText(decoded.text, mt, o, field, level);
  if (typeof out !== 'string') return out;
  if (out === decoded.text) return kept();
  return encodeText(out, decoded.encoding, { text: decoded.text, bytes }) ?? unparseable(`bytes not valid ${decoded.encoding.charset}`);
}

const FORM = 'application/x-www-form-urlencoded';

/** Whether text of this media type is read (a form, JSON by type, or JSON-looking text): credentials are looked for in it. */
const readAs = (mt: string, text: string) => mt === FORM || bodyClass(mt) === 'json' || (isTextOrNone(mt) && LOOKS_JSON.test(text));

/**
 * A body naming no secret but in which a credential by its form may be (see `credentialIn`):
 * redacted when it is a form or JSON (its credential values fingerprinted, see `credentialForm`),
 * withheld when it is one but cannot be read; undefined when nothing changed or it is of a
 * kind not read (HTML, XML: withheld by secret names only, as before).
 */
function credentialsOnly(text: string, mt: string, o: BodyRedaction, field: IsSecret, level: number): string | Withheld | undefined {
  if (!readAs(mt, text)) return undefined;
  const out = redactText(text, mt, o, field, level);
  return out === text ? undefined : out;
}

/** Decoded text redacted as its media type says: form fields, JSON (by type, or by look for text), else withheld. */
function redactText(text: string, mt: string, o: BodyRedaction, field: IsSecret, level: number): string | Withheld {
  if (mt === 'application/x-www-form-urlencoded') {
    if (moreFieldsThan(text, MAX_FORM_FIELDS)) return unparseable(TOO_MANY_FIELDS);
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
  // A field's value (untyped or text) that is a credential by its form, whatever the field's name.
  if (cls === 'text' && !multipart && content.length >= 12 && ((content[0] | 0x20) === 0x62 || content.includes('eyJ'))) {
    const credential = credentialOrUndefined(content.toString('utf8'), o.fp);
    if (credential !== undefined) return Buffer.from(credential);
  }
  // Text only when it looks like JSON (in an 8- or 16-bit charset, after any BOM).
  if (cls === 'text' && !PART_LOOKS_JSON.test(content.subarray(0, 64).toString('latin1'))) return content;
  if (level >= MAX_NESTED_ENCODINGS) return o.names.mayOccurIn(content.toString('latin1')) ? unparseable(TOO_NESTED) : content;
  spend(o);
  return redactDecoded(content, type ?? 'text/plain', o, nested(field, path), level + 1);
}

const PART_LOOKS_JSON = /^(?:\xEF\xBB\xBF|\xFE\xFF|\xFF\xFE)?[ \t\r\n\0]*[[{]/;

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

/** Whether a form's text has more than `max` fields (`&`-separated pairs), counted without splitting it. */
function moreFieldsThan(text: string, max: number): boolean {
  let at = -1;
  for (let n = 0; n < max; n++) if ((at = text.indexOf('&', at + 1)) < 0) return false;
  return true;
}
