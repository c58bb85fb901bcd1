import { decodeBody, type BodyRecord, type Headers } from '../records';
import { parseTranslatableBody, serializeResponseBody } from './body-codec';
import { bodyUnchanged } from './body-change';
import { checkResponseOutput } from './check-output';
import { decodeContent } from './content-decoding';
import { invokeTranslator } from './invoke';
import type { TranslatableResponse, TranslateOptions, TranslationContext, Translator } from './types';

/**
 * A recorded response as translators see it: headers copied, body decompressed
 * (gzip, deflate, br) and parsed by content type (see `parseTranslatableBody`). A truncated
 * body is given as `undefined`: classify those as too large instead of translating.
 *
 * @example
 * const res = toTranslatableResponse(exchange.candidate!);
 */
export function toTranslatableResponse(
  rec: { status: number; headers: Headers; body: BodyRecord | null },
  maxDecodedBytes?: number,
): TranslatableResponse {
  const { bytes, headers } = decodedResponse(rec, maxDecodedBytes);
  return { status: rec.status, headers, body: parseTranslatableBody(bytes, headers) };
}

function decodedResponse(
  rec: { headers: Headers; body: BodyRecord | null },
  maxDecodedBytes?: number,
): { raw: Buffer; bytes: Buffer; headers: Headers; decoded: boolean } {
  const raw = rec.body && !rec.body.truncated ? decodeBody(rec.body) : Buffer.alloc(0);
  const d = decodeContent(raw, { ...rec.headers }, maxDecodedBytes);
  return d ? { raw, ...d, decoded: true } : { raw, bytes: raw, headers: { ...rec.headers }, decoded: false };
}

/**
 * A recorded response through a response translator, as bytes to serve: when the
 * translator left the body alone (see `bodyUnchanged`) the response's own bytes (and
 * its content-encoding), otherwise the translated body encoded (JSON content type
 * added for an object without one). Headers as the translator returned them, without
 * content-length (the writer sets it). Rejects like `translateResponse`, or with a
 * TypeError when the body cannot be encoded.
 *
 * @example
 * const served = await translateResponseBytes(t, exchange.candidate!, { request, route: 'orders' });
 * res.end(served.body);
 */
export async function translateResponseBytes(
  t: Translator,
  rec: { status: number; headers: Headers; body: BodyRecord | null },
  ctx: TranslationContext,
  opts: TranslateOptions = {},
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const d = decodedResponse(rec, opts.maxDecodedBytes);
  const given = { ...d.headers };
  const out = await translateResponse(
    t,
    { status: rec.status, headers: d.headers, body: parseTranslatableBody(d.bytes, d.headers) },
    ctx,
    opts,
  );
  const headers = out.headers;
  if (bodyUnchanged(out.body, d.bytes, given, headers)) {
    if (d.decoded && rec.headers['content-encoding'] !== undefined) headers['content-encoding'] = rec.headers['content-encoding'];
    return { status: out.status, headers, body: d.raw };
  }
  const body = serializeResponseBody(out);
  if (
    headers['content-type'] === undefined &&
    body.length &&
    typeof out.body === 'object' &&
    !Buffer.isBuffer(out.body) &&
    !(out.body instanceof Uint8Array)
  ) {
    headers['content-type'] = 'application/json';
  }
  return { status: out.status, headers, body };
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
