import { createHash } from 'node:crypto';
import type { Headers } from '../records';
import type { NormalisedBody, NormalisedResponse } from './types';

/**
 * A response as a translator returns it: body already parsed (or a Buffer, or absent).
 *
 * @example
 * const out: TranslatedResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 7 } };
 */
export interface TranslatedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Build a comparable response from a translator's output, keeping the body kind of
 * the normalised response it was derived from (`like`): a JSON body stays JSON
 * (even if it is now a string), a form stays a form, a text stays text when it is a
 * string. A Buffer becomes binary; `undefined` an empty body. Bodies that could not
 * be parsed or were too large are kept as they were. Header names are lower-cased.
 *
 * @example
 * const like = normaliseResponse(candidateRecord, { maxDecompressedBytes: 1 << 20 }); // body kind 'json'
 * fromTranslated({ status: 200, headers: {}, body: { id: 7 } }, like).body; // { kind: 'json', value: { id: 7 } }
 */
export function fromTranslated(res: TranslatedResponse, like: NormalisedResponse): NormalisedResponse {
  const headers: Headers = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) headers[k.toLowerCase()] = v;
  return { status: res.status, headers, body: translatedBody(res.body, like.body) };
}

function translatedBody(body: unknown, like: NormalisedBody): NormalisedBody {
  if (like.kind === 'unparseable' || like.kind === 'too_large') return like;
  if (body === undefined) return { kind: 'empty' };
  if (Buffer.isBuffer(body)) {
    return { kind: 'binary', size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  }
  // the text encoding (charset, BOM) is the candidate's own: a translator changes content, not bytes on the wire
  const encoding = like.kind === 'json' || like.kind === 'form' || like.kind === 'text' ? like.encoding : undefined;
  const enc = encoding ? { encoding } : {};
  if (like.kind === 'json') return { kind: 'json', value: body, ...enc };
  if (like.kind === 'form' && isFormValue(body)) return { kind: 'form', value: body, ...enc };
  if (typeof body === 'string') return { kind: 'text', value: body, ...enc };
  return { kind: 'json', value: body };
}

function isFormValue(v: unknown): v is Record<string, string | string[]> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((x) => typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')));
}
