import type { Headers, Query } from '../records';

/** A request as a translator sees it: body parsed (JSON value, form object, text string) or raw Buffer. */
export interface TranslatableRequest {
  method: string;
  path: string;
  query: Query;
  headers: Headers;
  body: unknown;
  /** Path parameters of the matched legacy route, e.g. `{ id: '42' }`. */
  params: Record<string, string>;
}

/** A response as a translator sees it: body parsed as for requests. */
export interface TranslatableResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What a response translator is given besides the response. */
export interface TranslationContext {
  /** The original (legacy-shaped) request from the client. */
  request: TranslatableRequest;
  /** Route name from the config. */
  route: string;
}

/**
 * Reshapes a legacy request for the candidate and the candidate's response back
 * into the legacy contract. Both functions are optional (identity) and may be async.
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
