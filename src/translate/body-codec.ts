import { bodyClass, jsonTooDeep, parseJsonExact, stringifyExact, type BodyClass, type Headers } from '../records';
import type { TranslatableResponse } from './types';

/**
 * How a body is handed to translators, by content type.
 *
 * @example
 * const kind: BodyKind = bodyKind('application/json'); // 'json'
 */
export type BodyKind = BodyClass;

/**
 * Case-insensitive header lookup (first value of repeated headers).
 *
 * @example
 * findHeader({ 'Content-Type': 'text/plain' }, 'content-type'); // 'text/plain'
 */
export function findHeader(headers: Headers, name: string): string | undefined {
  const exact = headers[name];
  const v = exact !== undefined ? exact : Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The kind of a body from its content type, as translators get it: Tandem's one
 * classification (`bodyClass`: JSON, form, text, binary), except that text in a charset
 * other than UTF-8 or ASCII is handed over as binary (a translator gets a string only
 * when the bytes read as UTF-8).
 *
 * @example
 * bodyKind('application/problem+json; charset=utf-8'); // 'json'
 * bodyKind('text/plain; charset=latin1'); // 'binary'
 */
export function bodyKind(contentType: string | undefined): BodyKind {
  const kind = bodyClass(contentType);
  if (kind !== 'text') return kind;
  const params = (contentType ?? '')
    .toLowerCase()
    .split(';')
    .slice(1)
    .map((s) => s.trim());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  return !charset || /^(utf-?8|us-ascii|ascii)$/.test(charset) ? 'text' : 'binary';
}

/**
 * Parse bytes for a translator: JSON value, form object (repeated keys as arrays),
 * text string, else the Buffer itself. Empty bytes give `undefined`; JSON that does
 * not parse, or nests deeper than `MAX_JSON_DEPTH`, stays a Buffer, so a translator passing it on forwards it untouched.
 * JSON numbers stay exact (`parseJsonExact`): one a double cannot hold, such as an id
 * past 2^53, arrives as a lossless-json `LosslessNumber` (`String(n)` gives its digits)
 * and is written back as it came.
 *
 * @example
 * parseTranslatableBody(Buffer.from('{"a":1}'), { 'content-type': 'application/json' }); // { a: 1 }
 * parseTranslatableBody(Buffer.from('a=1&a=2'), { 'content-type': 'application/x-www-form-urlencoded' }); // { a: ['1', '2'] }
 */
export function parseTranslatableBody(bytes: Buffer, headers: Headers): unknown {
  if (bytes.length === 0) return undefined;
  switch (bodyKind(findHeader(headers, 'content-type'))) {
    case 'json':
      if (jsonTooDeep(bytes)) return bytes;
      try {
        return parseJsonExact(stripBom(bytes.toString('utf8')));
      } catch {
        return bytes;
      }
    case 'form': {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(bytes.toString('utf8'))) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      return out;
    }
    case 'text':
      return bytes.toString('utf8');
    default:
      return bytes;
  }
}

/**
 * `parseTranslatableBody` for callers holding a content type rather than headers.
 *
 * @example
 * parseBodyForTranslation('application/json', Buffer.from('[1]')); // [1]
 */
export function parseBodyForTranslation(contentType: string | undefined, bytes: Buffer): unknown {
  return parseTranslatableBody(bytes, contentType === undefined ? {} : { 'content-type': contentType });
}

/**
 * Bytes for a translated body, the inverse of `parseTranslatableBody`. `undefined` gives no
 * body; a Buffer (or Uint8Array) is sent as is. Under a JSON content type every
 * other value is serialised as JSON (a string too, so a JSON string round-trips:
 * return a Buffer to send pre-serialised JSON). Under a form type a flat object is
 * form-encoded. Otherwise a string is UTF-8 and `null` is no body. An object or
 * array with no content type is JSON and `contentType` says so. JSON keeps exact
 * numbers: a `LosslessNumber` is written as its digits, a `bigint` as an integer.
 * Anything else
 * throws a TypeError saying why.
 *
 * @example
 * encodeBodyValue({ a: 1 }, {}); // { bytes: <Buffer '{"a":1}'>, contentType: 'application/json' }
 */
export function encodeBodyValue(value: unknown, headers: Headers): { bytes: Buffer | undefined; contentType?: string } {
  if (value === undefined) return { bytes: undefined };
  if (Buffer.isBuffer(value)) return { bytes: value };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
  const contentType = findHeader(headers, 'content-type');
  const kind = bodyKind(contentType);
  if (kind === 'json') return { bytes: Buffer.from(toJson(value), 'utf8') };
  if (typeof value === 'string') return { bytes: Buffer.from(value, 'utf8') };
  if (value === null) return { bytes: undefined };
  if (kind === 'form' && isPlainObject(value)) return { bytes: Buffer.from(toForm(value), 'utf8') };
  if (!contentType && typeof value === 'object') return { bytes: Buffer.from(toJson(value), 'utf8'), contentType: 'application/json' };
  throw new TypeError(
    `body is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`} but content-type is ${contentType ? `"${contentType}"` : 'not set'}; ` +
      'set a JSON content type, or return a string or Buffer',
  );
}

/**
 * Bytes to serve for a (translated) response, per `encodeBodyValue`; empty when
 * there is no body. The caller sets content-type (JSON when absent and the body is
 * an object) and content-length.
 *
 * @example
 * serializeResponseBody({ status: 200, headers: { 'content-type': 'application/json' }, body: [1] }).toString(); // '[1]'
 */
export function serializeResponseBody(res: TranslatableResponse): Buffer {
  return encodeBodyValue(res.body, res.headers).bytes ?? Buffer.alloc(0);
}

function toJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = stringifyExact(value);
  } catch (e) {
    throw new TypeError(`body cannot be serialised as JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`body cannot be serialised as JSON: got ${typeof value}`);
  return text;
}

function toForm(value: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === undefined || item === null) continue;
      if (!['string', 'number', 'boolean'].includes(typeof item))
        throw new TypeError(`form field "${k}" must be a string, number or boolean`);
      form.append(k, String(item));
    }
  }
  return form.toString();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A UTF-8 byte-order mark is not part of the JSON text (RFC 8259 §8.1 lets parsers ignore it). */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
