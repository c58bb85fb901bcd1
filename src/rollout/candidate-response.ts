import { decodeBody, type Headers, type RequestRecord, type ResponseRecord } from '../records';
import { serializeResponseBody, toTranslatableRequest, toTranslatableResponse, translateResponse, type Translator } from '../translate';

/**
 * A response ready to be written to a client: final status, headers and bytes.
 *
 * @example
 * const r: ServableResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') };
 */
export interface ServableResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Headers that describe a connection or the old bytes; the writer sets content-length. */
const DROP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length'];

/**
 * The candidate's response as the client gets it: through the route's response
 * translator (into the legacy contract) and serialised, or, when the translator has
 * no `response` function, the candidate's bytes and headers as they came. Never
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
  if (rec.body?.truncated) return { ok: false, kind: 'too_large', message: `candidate body of ${rec.body.size} bytes is over the capture cap` };
  if (typeof t.response !== 'function') return { ok: true, response: { status: rec.status, headers: clean(rec.headers), body: decodeBody(rec.body) } };
  try {
    const request = toTranslatableRequest(ctx.request, ctx.params, ctx.maxDecodedBytes);
    const out = await translateResponse(t, toTranslatableResponse(rec, ctx.maxDecodedBytes), { request, route: ctx.route });
    const body = serializeResponseBody(out);
    const headers = clean(out.headers);
    if (headers['content-type'] === undefined && body.length && typeof out.body === 'object' && !Buffer.isBuffer(out.body) && !(out.body instanceof Uint8Array)) {
      headers['content-type'] = 'application/json';
    }
    return { ok: true, response: { status: out.status, headers, body } };
  } catch (e) {
    return { ok: false, kind: 'translation', message: (e as Error).message };
  }
}

function clean(h: Headers): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !DROP.includes(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}
