import type { Headers, Query, RequestRecord } from '../records';

/**
 * A request as a translator sees it (the client's request as legacy got it). Change
 * what the candidate needs and return the object (or a copy); everything left alone
 * is relayed as the client sent it, byte for byte. Only what changed is rebuilt:
 *
 * - `method`, `path`: sent as returned (`path` without `?`; put parameters in the query).
 * - `rawQuery` / `query`: the raw query (with its `?`, `''` for none) is relayed as
 *   is; set `rawQuery` to send other bytes, or change `query` (a parsed multi-value
 *   view, null prototype) and it is serialised again (`a=1&a=2`, `%20` as `+`); the
 *   kit's `mapRequestQuery` rewrites only the parameters its steps changed.
 * - `headers`: lower-case names, one string per name (repeats joined as Node joins
 *   them). Changed or added values are sent (a changed one as one line); removed names
 *   are not. Unchanged names keep the client's lines (casing, order, repeated lines apart); new ones are appended, lower-case. `host`
 *   is the Host the candidate gets (its `candidate.host` policy); set it to change it.
 *   `content-length` is always recomputed from the bytes sent.
 * - `body`: parsed by content type (JSON value, form object, text string, else a
 *   Buffer; compressed bodies decompressed). Left alone (deep-equal to what was
 *   given), the client's original bytes are sent (and its content-encoding kept);
 *   changed, it is encoded again (see `encodeBodyValue`).
 * - `url` and `params` are read-only context.
 *
 * @example
 * const req: TranslatableRequest = { method: 'GET', url: '/api/v1/products/42?x=1', path: '/api/v1/products/42', rawQuery: '?x=1', query: { x: '1' }, headers: {}, body: undefined, params: { id: '42' } };
 */
export interface TranslatableRequest {
  method: string;
  /** The request target as the client sent it: raw path and query (read-only). */
  url: string;
  /** Raw path, without the query, e.g. `/api/v1/products/42`. */
  path: string;
  /** The raw query string with its `?` (`''` when none), exactly as sent. */
  rawQuery: string;
  /** Parsed view of the query: repeated names as arrays, bare names as `''`, null prototype. */
  query: Query;
  headers: Headers;
  body: unknown;
  /** Path parameters of the matched legacy route, e.g. `{ id: '42' }` (read-only). */
  params: Record<string, string>;
}

/**
 * A response as a translator sees it: body parsed as for requests. Left alone, the
 * candidate's own bytes are served (and its content-encoding kept); changed, the
 * body is encoded again and content-length recomputed.
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
  /** The original (legacy-shaped) request from the client, with its path parameters. */
  request: TranslatableRequest;
  /** Route name from the config. */
  route: string;
}

/**
 * Reshapes a legacy request for the candidate and the candidate's response back
 * into the legacy contract. Both functions are optional (a translator with neither
 * passes requests and responses through, e.g. to claim routes or opt out of a
 * claim) and may be async. A module lists translators as its default export
 * (`module.exports = t`, `export default t`), an array of them, or named exports.
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

/**
 * Runs a route's request translator somewhere else than the caller's thread (the runtime's
 * comparison threads, for big or coded bodies): `params` are the route's path parameters,
 * `maxDecodedBytes` bounds the body's decoding. Resolves to the translated request; rejects as
 * the translator does (`TranslationFailure`).
 */
export type RouteRequestTranslation = (
  route: string,
  request: RequestRecord,
  params: Record<string, string>,
  maxDecodedBytes?: number,
) => Promise<RequestRecord>;
