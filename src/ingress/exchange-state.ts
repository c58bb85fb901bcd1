import type { IncomingMessage } from 'node:http';
import type { ResolvedRoute } from '../config';
import { parseQuery, randomId, splitTarget, type Query } from '../records';
import { BodyCapture } from '../upstream';

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
  /** The query as the client sent it, with its `?` (`''` when none). */
  rawQuery: string;
  requestBody: BodyCapture;
  responseBody: BodyCapture;
  /** Set when the response being streamed to the client is legacy's own (not Tandem's error answer). */
  answered?: true;
  /** Set when the exchange is not shadowed after all: why (`event_stream`, `legacy_error`, `client_closed`, ...). */
  skip?: string;
  /** Set once the exchange has its one ingress outcome: a `skipped:*` counter, or handed to the shadow path (see `settle`). */
  settled?: true;
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
 * Claim the exchange's one outcome: true the first time only. Every way a shadowed
 * exchange can end on the proxy path (legacy's response streamed in full, legacy
 * failing, an event stream, the client's connection closing first) goes through it,
 * so each ends in exactly one counter whatever order the events come in.
 *
 * @example
 * if (settle(state)) counters.add(state.route.name, 'skipped:client_closed');
 */
export function settle(state: ExchangeState): boolean {
  if (state.settled) return false;
  state.settled = true;
  return true;
}

/**
 * Start tracking a request that matched a shadowed route.
 *
 * @example
 * const state = newState(route, params, 'anonymous', splitRequestUrl('/products/1?x=2'), undefined, 1 << 20);
 */
export function newState(
  route: ResolvedRoute,
  params: Record<string, string>,
  customer: string,
  url: { path: string; query: Query; rawQuery: string },
  requestId: string | undefined,
  cap: number,
): ExchangeState {
  return {
    route,
    params,
    customer,
    requestId: requestId ?? randomId(),
    at: Date.now(),
    started: performance.now(),
    path: url.path,
    query: url.query,
    rawQuery: url.rawQuery,
    requestBody: new BodyCapture(cap),
    responseBody: new BodyCapture(cap),
  };
}

/**
 * Split a request URL into its raw path, its raw query (with `?`) and the parsed
 * query view (repeated parameters as arrays, null prototype; see `parseQuery`).
 *
 * @example
 * splitRequestUrl('/p?a=1&a=2'); // { path: '/p', rawQuery: '?a=1&a=2', query: { a: ['1', '2'] } }
 */
export function splitRequestUrl(url: string): { path: string; query: Query; rawQuery: string } {
  const { path, rawQuery } = splitTarget(url);
  return { path, rawQuery, query: parseQuery(rawQuery) };
}
