import { decodeBody, encodeBody, type RequestRecord } from '../records';
import { encodeBodyValue, parseBody } from './body-codec';
import { decodeContent } from './content-decoding';
import { TranslationFailure } from './errors';
import { checkRequestOutput } from './check-output';
import { checked, invokeTranslator } from './invoke';
import type { TranslatableRequest, TranslateOptions, Translator } from './types';

/** Headers that describe the old bytes and are wrong after re-encoding; the sender recomputes them. */
const STALE_HEADERS = ['content-length', 'transfer-encoding'];

/**
 * A request record as translators see it: headers and query copied (translators
 * may mutate them), body decompressed (gzip, deflate, br) and parsed by content
 * type (see `parseBody`). A truncated body is given as `undefined`.
 *
 * @example
 * toTranslatableRequest(exchange.request, { id: '42' }).body; // { name: 'Ada' }
 */
export function toTranslatableRequest(req: RequestRecord, params: Record<string, string> = {}, maxDecodedBytes?: number): TranslatableRequest {
  let headers = copy(req.headers);
  let bytes = req.body && !req.body.truncated ? decodeBody(req.body) : Buffer.alloc(0);
  const decoded = decodeContent(bytes, headers, maxDecodedBytes);
  if (decoded) ({ bytes, headers } = decoded);
  return { method: req.method, path: req.path, query: copy(req.query), headers, body: parseBody(bytes, headers), params: { ...params } };
}

/**
 * Translate a legacy request for the candidate within the translator's budget.
 * Without a `request` function the record itself is returned (nothing parsed).
 * Otherwise the body is parsed for the translator and re-encoded from what it
 * returns (see `encodeBodyValue`); content-length and transfer-encoding are dropped
 * so the sender recomputes them. Rejects with a `TranslationFailure`
 * (stage `request`) on a throw, a timeout, invalid output or a truncated body.
 *
 * @example
 * const candidateRequest = await translateRequest(t, exchange.request, { id: '42' }, { timeoutMs: 50 });
 */
export async function translateRequest(
  t: Translator,
  req: RequestRecord,
  params: Record<string, string> = {},
  opts: TranslateOptions = {},
): Promise<RequestRecord> {
  if (typeof t.request !== 'function') return req;
  if (req.body?.truncated) {
    throw new TranslationFailure('request', t.name, 'untranslatable_input', `translator "${t.name}" cannot translate a body over the capture cap (${req.body.size} bytes)`);
  }
  const input = toTranslatableRequest(req, params, opts.maxDecodedBytes);
  const out = await invokeTranslator('request', t, () => t.request!(input), checkRequestOutput, opts);
  const { bytes, contentType } = checked('request', t, () => encodeBodyValue(out.body, out.headers));
  const headers = out.headers;
  for (const name of STALE_HEADERS) delete headers[name];
  if (contentType) headers['content-type'] = contentType;
  return { method: out.method, path: out.path, query: out.query, headers, body: bytes ? encodeBody(bytes) : null };
}

function copy<T extends Record<string, string | string[] | undefined>>(o: T): T {
  const out = {} as Record<string, string | string[] | undefined>;
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as T;
}
