import type { Headers, Query } from '../records';

/**
 * A request as a translator sees it: body parsed (JSON value, form object, text string) or raw Buffer.
 *
 * @example
 * const req: TranslatableRequest = { method: 'GET', path: '/api/v1/products/42', query: {}, headers: {}, body: undefined, params: { id: '42' } };
 */
export interface TranslatableRequest {
  method: string;
  path: string;
  query: Query;
  headers: Headers;
  body: unknown;
  /** Path parameters of the matched legacy route, e.g. `{ id: '42' }`. */
  params: Record<string, string>;
}

/**
 * A response as a translator sees it: body parsed as for requests.
 *
 * @example
 * const res: TranslatableResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: { title: 'Mug' } };
 */
export interface TranslatableResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * What a response translator is given besides the response.
 *
 * @example
 * response: (res, ctx) => (ctx.request.method === 'HEAD' ? res : { ...res, body: reshape(res.body) })
 */
export interface TranslationContext {
  /** The original (legacy-shaped) request from the client. */
  request: TranslatableRequest;
  /** Route name from the config. */
  route: string;
}

/**
 * Reshapes a legacy request for the candidate and the candidate's response back
 * into the legacy contract. Both functions are optional (identity) and may be async.
 *
 * @example
 * const t: Translator = { name: 'v2', request: (req) => ({ ...req, path: `/v2${req.path}` }) };
 */
export interface Translator {
  /** Unique name; routes refer to it with `translator: <name>`. */
  name: string;
  /** Route names this translator claims when a route names no translator. */
  routes?: string[];
  /** Time budget per call in ms (default 50). */
  timeoutMs?: number;
  request?(req: TranslatableRequest): TranslatableRequest | Promise<TranslatableRequest>;
  response?(res: TranslatableResponse, ctx: TranslationContext): TranslatableResponse | Promise<TranslatableResponse>;
}

/**
 * Per-call options of `translateRequest` / `translateResponse`.
 *
 * @example
 * await translateRequest(t, req, params, { timeoutMs: 200 });
 */
export interface TranslateOptions {
  /**
   * Time budget in ms. Precedence: this option, then the translator's own
   * `timeoutMs`, then 50 ms.
   */
  timeoutMs?: number;
  /**
   * Cap on a body's decompressed size (bytes) before it is parsed for the translator;
   * beyond it the translator gets the compressed bytes. The proxy passes
   * `capture.maxBodyBytes`, so no decode in the proxy process grows past it.
   */
  maxDecodedBytes?: number;
}
