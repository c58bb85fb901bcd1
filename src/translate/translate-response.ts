import { decodeBody, type BodyRecord, type Headers } from '../records';
import { parseBody } from './body-codec';
import { checkResponseOutput } from './check-output';
import { decodeContent } from './content-decoding';
import { invokeTranslator } from './invoke';
import type { TranslatableResponse, TranslateOptions, TranslationContext, Translator } from './types';

/**
 * A recorded response as translators see it: headers copied, body decompressed
 * (gzip, deflate, br) and parsed by content type (see `parseBody`). A truncated
 * body is given as `undefined`: classify those as too large instead of translating.
 *
 * @example
 * const res = toTranslatableResponse(exchange.candidate!);
 */
export function toTranslatableResponse(rec: { status: number; headers: Headers; body: BodyRecord | null }, maxDecodedBytes?: number): TranslatableResponse {
  let headers: Headers = { ...rec.headers };
  let bytes = rec.body && !rec.body.truncated ? decodeBody(rec.body) : Buffer.alloc(0);
  const decoded = decodeContent(bytes, headers, maxDecodedBytes);
  if (decoded) ({ bytes, headers } = decoded);
  return { status: rec.status, headers, body: parseBody(bytes, headers) };
}

/**
 * Translate a candidate response back into the legacy shape within the
 * translator's budget. Without a `response` function `res` itself is returned.
 * Otherwise the translator gets a copy of the headers (the body is handed over: it
 * may be mutated), and its output is checked (status an integer 100–599, headers
 * strings); content-length is dropped since the body changed. Rejects with a
 * `TranslationFailure` (stage `response`) on a throw, a timeout or invalid output.
 *
 * @example
 * const legacyShaped = await translateResponse(t, toTranslatableResponse(exchange.candidate!), { request, route: 'orders' });
 */
export async function translateResponse(
  t: Translator,
  res: TranslatableResponse,
  ctx: TranslationContext,
  opts: TranslateOptions = {},
): Promise<TranslatableResponse> {
  if (typeof t.response !== 'function') return res;
  const input: TranslatableResponse = { status: res.status, headers: { ...res.headers }, body: res.body };
  const out = await invokeTranslator('response', t, () => t.response!(input, ctx), checkResponseOutput, opts);
  delete out.headers['content-length'];
  return out;
}
