import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ResolvedRoute } from '../config';
import type { Query } from '../records';
import { BodyCapture } from '../shadow';

/** What the ingress tracks for one request it will shadow. */
export interface ExchangeState {
  route: ResolvedRoute;
  params: Record<string, string>;
  customer: string;
  requestId: string;
  at: number;
  started: number;
  path: string;
  query: Query;
  requestBody: BodyCapture;
  responseBody: BodyCapture;
  /** Set when the response turned out not to be shadowable (event stream). */
  skip?: string;
}

const STATE = Symbol('tandem.exchange');

/** Attach shadow state to a request. */
export function setState(req: IncomingMessage, state: ExchangeState): void {
  (req as unknown as Record<symbol, ExchangeState>)[STATE] = state;
}

/** The shadow state of a request, if it is being shadowed. */
export function getState(req: IncomingMessage): ExchangeState | undefined {
  return (req as unknown as Record<symbol, ExchangeState | undefined>)[STATE];
}

/**
 * Start tracking a request that matched a shadowed route.
 *
 * @example
 * const state = newState(route, params, 'anonymous', '/products/1?x=2', req.headers, 1 << 20);
 */
export function newState(route: ResolvedRoute, params: Record<string, string>, customer: string, url: string, requestId: string | undefined, cap: number): ExchangeState {
  const q = url.indexOf('?');
  return {
    route,
    params,
    customer,
    requestId: requestId ?? randomUUID(),
    at: Date.now(),
    started: performance.now(),
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? {} : parseQuery(url.slice(q + 1)),
    requestBody: new BodyCapture(cap),
    responseBody: new BodyCapture(cap),
  };
}

function parseQuery(qs: string): Query {
  const out: Query = {};
  for (const [k, v] of new URLSearchParams(qs)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
