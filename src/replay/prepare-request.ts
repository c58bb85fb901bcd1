import { randomUUID } from 'node:crypto';
import type { ResolvedRoute } from '../config';
import { newExchangeId, type RequestRecord } from '../records';
import type { createCustomerIdentifier } from '../rollout';
import type { ExchangeDraft } from '../shadow';
import { BodyCapture, sendRequest, type Upstream } from '../upstream';
import { findRoute } from '../ingress/find-route';
import type { ReplayRequest } from './replay-request';
import { skipReason } from './route-for';

/**
 * A request read from a file, made ready to send as live traffic would be: its
 * route and path parameters, a fresh request id, its customer, and the record both
 * backends get (the recorded raw query and header lines, plus `x-request-id` and
 * the run's mark header).
 */
export interface PreparedRequest {
  route: ResolvedRoute;
  params: Record<string, string>;
  requestId: string;
  /** Epoch ms when it was prepared (the exchange's `at`). */
  at: number;
  customer: string;
  request: RequestRecord;
}

/**
 * The route of a recorded request and why it is not sent (`unmatched`, `legacy_phase`,
 * `write`; see `skipReason`), or null when it is.
 *
 * @example
 * skipOf(config.routes, { method: 'POST', path: '/products' }); // 'write'
 */
export function skipOf(routes: readonly ResolvedRoute[], req: Pick<ReplayRequest, 'method' | 'path'>): string | null {
  const found = findRoute(routes, req.method, req.path);
  return found ? skipReason(found.route, req.method) : 'unmatched';
}

/**
 * Prepare a recorded request for `tandem replay` and `tandem dry-run` alike, or say
 * why it is skipped. `mark` is the header set on both backends' copies
 * (`x-tandem-replay`, `x-tandem-dry-run`); the body is captured under `maxBodyBytes`.
 *
 * @example
 * const p = prepareRequest(item.request, { routes: config.routes, identify, maxBodyBytes: 1 << 20, mark: REPLAY_HEADER });
 * if ('skip' in p) count(p.skip);
 */
export function prepareRequest(
  req: ReplayRequest,
  o: { routes: readonly ResolvedRoute[]; identify: ReturnType<typeof createCustomerIdentifier>; maxBodyBytes: number; mark: string },
): PreparedRequest | { skip: string } {
  const found = findRoute(o.routes, req.method, req.path);
  const skip = found ? skipReason(found.route, req.method) : 'unmatched';
  if (!found || skip) return { skip: skip ?? 'unmatched' };
  const { route, params } = found;
  const requestId = randomUUID();
  const headers = { ...req.headers, 'x-request-id': requestId, [o.mark]: '1' };
  const body = new BodyCapture(o.maxBodyBytes);
  if (req.body?.length) body.push(req.body);
  const request: RequestRecord = {
    method: req.method,
    path: req.path,
    query: req.query,
    rawQuery: req.rawQuery,
    headers,
    headerLines: req.headerLines,
    body: body.record(),
    // Sent after the last chunk to legacy and the candidate, stored and redacted as a live request's trailers are.
    ...(req.trailerLines?.length ? { trailerLines: req.trailerLines } : {}),
  };
  const customer = o.identify({ method: req.method, path: req.path, headers, query: req.query, params }).customer;
  return { route, params, requestId, at: Date.now(), customer, request };
}

/**
 * Send a prepared request to legacy and make the exchange draft to dispatch to the
 * candidate, or say how legacy failed (`legacy_connect`, `legacy_timeout`...).
 *
 * @example
 * const out = await callLegacyFor(legacy, prepared, 'replay');
 * if ('draft' in out) shadow.dispatch(out.draft);
 */
export async function callLegacyFor(
  legacy: Upstream,
  p: PreparedRequest,
  source?: 'replay',
): Promise<{ draft: ExchangeDraft } | { failed: string }> {
  const out = await sendRequest(legacy, p.request);
  if (!('response' in out)) return { failed: `legacy_${out.error.kind}` };
  const { route, params, requestId, at, customer, request } = p;
  return {
    draft: {
      id: newExchangeId(at, route.name),
      route: route.name,
      customer,
      at,
      requestId,
      params,
      request,
      legacy: out.response,
      ...(source ? { source } : {}),
    },
  };
}
