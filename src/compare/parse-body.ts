import { createHash } from 'node:crypto';
import { parseJsonExact, parseScannedJson, scanJson } from '../records';
import type { NormalisedBody } from './types';
import { bodyClass, jsonTooDeep, tooDeepReason } from '../records';
import { declaredCharset, decodeText } from './text-encoding';

/**
 * Parse decompressed bytes by content type (classified by `bodyClass`, as translators
 * and redaction classify it). Text is decoded by its declared charset
 * (else its BOM, else UTF-8; see `decodeText`), and the body carries how it was encoded
 * (`encoding`, absent for plain UTF-8), which the comparison checks on its own
 * (`$charset`, `$bom`). JSON
 * numbers are kept exact (`parseJsonExact`). Invalid JSON, JSON that is not valid
 * UTF-8 and an unknown charset on JSON are `unparseable` with the reason; text in an
 * unknown charset, or undeclared and not UTF-8, is compared as binary (size + sha256).
 * JSON nesting deeper than `MAX_JSON_DEPTH` is `unparseable` (never parsed).
 *
 * @example
 * parseComparedBody(Buffer.from('{"a":1}'), 'application/json'); // { kind: 'json', value: { a: 1 } }
 * parseComparedBody(Buffer.from([0xe9]), 'text/plain; charset=latin1'); // { kind: 'text', value: 'é', encoding: { charset: 'iso-8859-1', declared: true } }
 */
export function parseComparedBody(bytes: Buffer, contentType: string | undefined): NormalisedBody {
  if (bytes.length === 0) return { kind: 'empty' };
  const format = bodyClass(contentType);
  if (format === 'binary') return binary(bytes);
  const declared = declaredCharset(contentType);
  const decoded = decodeText(bytes, declared);
  if (format === 'json' && (!decoded || (decoded.encoding.malformed && decoded.encoding.charset === 'utf-8'))) {
    return { kind: 'unparseable', reason: `invalid JSON: ${decoded ? 'body is not valid UTF-8' : `unknown charset "${declared}"`}` };
  }
  // undeclared text that is not UTF-8: there is no telling how clients read it
  if (!decoded || (decoded.encoding.malformed && !declared)) return binary(bytes);
  const { text, encoding } = decoded;
  // plain UTF-8 (the default) is left implicit
  const enc = encoding.charset === 'utf-8' && !encoding.bom && !encoding.malformed ? {} : { encoding };
  if (format === 'text') return { kind: 'text', value: text, ...enc };
  if (format === 'form') return { kind: 'form', value: parseForm(text), ...enc };
  // Every walk over the parsed tree recurses per level: refuse what nests past the bound. UTF-8 bytes
  // (the text's structure byte for byte) are scanned once for that and for numbers a double cannot hold.
  const scan = encoding.charset === 'utf-8' || encoding.charset === 'us-ascii' ? scanJson(bytes) : undefined;
  if (scan === 'too_deep' || (scan === undefined && jsonTooDeep(bytes))) return { kind: 'unparseable', reason: tooDeepReason() };
  try {
    return { kind: 'json', value: scan === undefined ? parseJsonExact(text) : parseScannedJson(text, scan), ...enc };
  } catch (e) {
    return { kind: 'unparseable', reason: `invalid JSON: ${(e as Error).message}` };
  }
}

function binary(bytes: Buffer): NormalisedBody {
  return { kind: 'binary', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
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
