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
 * const state = newState(route, params, 'anonymous', { path: '/products/1', query: { x: '2' } }, undefined, 1 << 20);
 */
export function newState(
  route: ResolvedRoute,
  params: Record<string, string>,
  customer: string,
  url: { path: string; query: Query },
  requestId: string | undefined,
  cap: number,
): ExchangeState {
  return {
    route,
    params,
    customer,
    requestId: requestId ?? randomUUID(),
    at: Date.now(),
    started: performance.now(),
    path: url.path,
    query: url.query,
    requestBody: new BodyCapture(cap),
    responseBody: new BodyCapture(cap),
  };
}

/**
 * Split a request URL into its path and parsed query (repeated parameters as arrays).
 *
 * @example
 * splitUrl('/p?a=1&a=2'); // { path: '/p', query: { a: ['1', '2'] } }
 */
export function splitUrl(url: string): { path: string; query: Query } {
  const q = url.indexOf('?');
  if (q === -1) return { path: url, query: {} };
  const query: Query = {};
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { path: url.slice(0, q), query };
}
