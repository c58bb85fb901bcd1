import { decodeBody, type Headers, type RequestRecord, type ResponseRecord } from '../records';
import { toTranslatableRequest, translateResponseBytes, type Translator } from '../translate';
import { BUFFERED_RESPONSE_DROP, dropListed, translatesElsewhere, type ResponseLines } from '../upstream';

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
  /**
   * The candidate's head as it wrote it (`lines`) and the header map read from it
   * (`headers`): the writer serves its reason phrase while the status is unchanged, and
   * its lines for every name whose value in `headers` above is unchanged (relay, don't
   * rebuild); names a translator changed are written from `headers`.
   */
  wire?: { lines: ResponseLines; headers: Headers };
  /** Serve `wire`'s trailer lines after the body (set only while the body is the candidate's own bytes). */
  trailers?: boolean;
}

/**
 * The candidate's response as the client gets it: through the route's response
 * translator (into the legacy contract), or, when the translator has no `response`
 * function or leaves the body alone, the candidate's own bytes; header names keep
 * the candidate's casing and order. Never
 * throws: a body over the capture cap is `too_large`, a translator that throws, runs
 * over its budget or returns a body that cannot be serialised is `translation` (and so
 * is `ctx.translate` rejecting, on its timeout say).
 *
 * Where it runs: a big or coded body (see `translatesElsewhere`: a small gzip may decode
 * to the whole decode cap) is given to `ctx.translate` when
 * there is one (the runtime's comparison threads, so decoding, parsing, translating and
 * serialising up to `capture.maxBodyBytes` never stalls the proxy's event loop); a smaller
 * one is translated here, where it costs less than the hop to a thread.
 *
 * @example
 * const out = await candidateResponse(productsV2, candidateRecord, { request, params: { id: '1' }, route: 'product' });
 * if (out.ok) write(out.response);
 */
export async function candidateResponse(
  t: Translator,
  rec: ResponseRecord,
  ctx: {
    request: RequestRecord;
    params: Record<string, string>;
    route: string;
    maxDecodedBytes?: number;
    /** Translates elsewhere, giving what `translateResponseBytes` gives; rejects on failure. */
    translate?: (rec: ResponseRecord) => Promise<{ status: number; headers: Headers; body: Buffer }>;
    /** The candidate's head as written (see `ServableResponse.wire`), when its upstream kept it. */
    lines?: ResponseLines;
  },
): Promise<{ ok: true; response: ServableResponse } | { ok: false; kind: 'too_large' | 'translation'; message: string }> {
  if (rec.body?.truncated)
    return { ok: false, kind: 'too_large', message: `candidate body of ${rec.body.size} bytes is over the capture cap` };
  const headerNames = rec.headerNames;
  const wire = ctx.lines ? { wire: { lines: ctx.lines, headers: rec.headers } } : {};
  if (typeof t.response !== 'function')
    return {
      ok: true,
      response: { status: rec.status, headers: clean(rec.headers), headerNames, body: decodeBody(rec.body), ...wire, trailers: true },
    };
  try {
    const out =
      ctx.translate && translatesElsewhere(rec.body?.size ?? 0, rec.headers)
        ? await ctx.translate(rec)
        : await translateResponseBytes(
            t,
            rec,
            { request: toTranslatableRequest(ctx.request, ctx.params, ctx.maxDecodedBytes), route: ctx.route },
            { maxDecodedBytes: ctx.maxDecodedBytes },
          );
    return { ok: true, response: { status: out.status, headers: clean(out.headers), headerNames, body: out.body, ...wire } };
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
