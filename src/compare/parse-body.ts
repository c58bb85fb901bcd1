import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { parseJsonExact } from '../records';
import type { NormalisedBody } from './types';
import { mediaType } from './media-type';
import { jsonTooDeep, tooDeepReason } from '../records';

/**
 * Which parser a content type gets.
 *
 * @example
 * const f: BodyFormat = bodyFormat('text/csv'); // 'text'
 */
export type BodyFormat = 'json' | 'form' | 'text' | 'binary';

/**
 * Classify a content type: JSON (`application/json`, `+json`), form
 * (`application/x-www-form-urlencoded`), text (`text/*`, xml, javascript) or binary.
 *
 * @example
 * bodyFormat('application/problem+json; charset=utf-8'); // 'json'
 * bodyFormat('image/png'); // 'binary'
 */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const mt = mediaType(contentType);
  if (mt === 'application/json' || mt.endsWith('+json')) return 'json';
  if (mt === 'application/x-www-form-urlencoded') return 'form';
  if (mt.startsWith('text/') || mt.endsWith('/xml') || mt.endsWith('+xml') || mt.includes('javascript') || mt === 'application/ecmascript') {
    return 'text';
  }
  return 'binary';
}

/**
 * Parse decompressed bytes by content type (JSON numbers kept exact: see
 * `parseJsonExact`). Invalid JSON is `unparseable` with the parser's message; text that
 * is not valid UTF-8 is compared as binary (size + sha256); JSON nesting deeper than
 * `MAX_JSON_DEPTH` is `unparseable` (never parsed).
 *
 * @example
 * parseBody(Buffer.from('{"a":1}'), 'application/json'); // { kind: 'json', value: { a: 1 } }
 * parseBody(Buffer.from('a=1&a=2'), 'application/x-www-form-urlencoded'); // { kind: 'form', value: { a: ['1', '2'] } }
 */
export function parseBody(bytes: Buffer, contentType: string | undefined): NormalisedBody {
  if (bytes.length === 0) return { kind: 'empty' };
  const format = bodyFormat(contentType);
  if (format === 'binary' || !isUtf8(bytes)) {
    if (format === 'json') return { kind: 'unparseable', reason: 'invalid JSON: body is not valid UTF-8' };
    return { kind: 'binary', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const text = bytes.toString('utf8');
  if (format === 'text') return { kind: 'text', value: text };
  if (format === 'form') return { kind: 'form', value: parseForm(text) };
  // Every walk over the parsed tree recurses per level: refuse what nests past the bound.
  if (jsonTooDeep(bytes)) return { kind: 'unparseable', reason: tooDeepReason() };
  try {
    return { kind: 'json', value: parseJsonExact(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    return { kind: 'unparseable', reason: `invalid JSON: ${(e as Error).message}` };
  }
}

/**
 * Parse an urlencoded form into key → value, repeated keys as arrays (a prototype-free
 * object, so a `__proto__` field is just a field).
 *
 * @example
 * parseForm('q=a+b&tag=1&tag=2'); // { q: 'a b', tag: ['1', '2'] }
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}
