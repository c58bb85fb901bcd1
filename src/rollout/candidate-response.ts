import { decodeBody, type Headers, type RequestRecord, type ResponseRecord } from '../records';
import { toTranslatableRequest, translateResponseBytes, type Translator } from '../translate';
import { BUFFERED_RESPONSE_DROP, dropListed } from '../upstream';

/**
 * A response ready to be written to a client: final status, headers and bytes.
 *
 * @example
 * const r: ServableResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') };
 */
export interface ServableResponse {
  status: number;
  headers: Headers;
  /** Header names as the candidate sent them (casing and order), see `orderedHeaders`. */
  headerNames?: string[];
  body: Buffer;
}

/**
 * The candidate's response as the client gets it: through the route's response
 * translator (into the legacy contract), or, when the translator has no `response`
 * function or leaves the body alone, the candidate's own bytes; header names keep
 * the candidate's casing and order. Never
 * throws: a body over the capture cap is `too_large`, a translator that throws, runs
 * over its budget or returns a body that cannot be serialised is `translation`.
 *
 * @example
 * const out = await candidateResponse(productsV2, candidateRecord, { request, params: { id: '1' }, route: 'product' });
 * if (out.ok) write(out.response);
 */
export async function candidateResponse(
  t: Translator,
  rec: ResponseRecord,
  ctx: { request: RequestRecord; params: Record<string, string>; route: string; maxDecodedBytes?: number },
): Promise<{ ok: true; response: ServableResponse } | { ok: false; kind: 'too_large' | 'translation'; message: string }> {
  if (rec.body?.truncated)
    return { ok: false, kind: 'too_large', message: `candidate body of ${rec.body.size} bytes is over the capture cap` };
  const headerNames = rec.headerNames;
  if (typeof t.response !== 'function')
    return { ok: true, response: { status: rec.status, headers: clean(rec.headers), headerNames, body: decodeBody(rec.body) } };
  try {
    const request = toTranslatableRequest(ctx.request, ctx.params, ctx.maxDecodedBytes);
    const out = await translateResponseBytes(t, rec, { request, route: ctx.route }, { maxDecodedBytes: ctx.maxDecodedBytes });
    return { ok: true, response: { status: out.status, headers: clean(out.headers), headerNames, body: out.body } };
  } catch (e) {
    return { ok: false, kind: 'translation', message: (e as Error).message };
  }
}

function clean(h: Headers): Headers {
  const out: Headers = {};
  // The candidate's connection options (RFC 9110 section 7.6.1) stay on its hop, with the fields they name.
  const drop = dropListed(BUFFERED_RESPONSE_DROP, h);
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !drop.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}
