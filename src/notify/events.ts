import { randomUUID } from 'node:crypto';
import type { ComparisonResult, ExchangeRecord } from '../records';
import type { MatchFigures } from '../store';

/** Fields every event carries. `id` is stable across retries, for the receiver's own dedupe. */
interface EventBase {
  id: string;
  /** ISO time the event was raised. */
  at: string;
  route: string;
}

/** A mismatch signature (the set of differing field paths) seen for the first time on a route. */
export interface NewSignatureEvent extends EventBase {
  type: 'new_signature';
  signature: string;
  risk: string;
  /** The first mismatch with this signature; open it at `reportPath` (with the report token). */
  mismatchId: string;
  reportPath: string;
  request: { method: string; path: string };
  /** `live` traffic or `replay` (`tandem replay`). */
  source: 'live' | 'replay';
}

/** A route's match rate in one window fell under the configured threshold. */
export interface MatchRateEvent extends EventBase {
  type: 'match_rate_below';
  matchRate: number;
  threshold: number;
  /** Every recorded result in the window so far (errors included: they count against the rate). */
  compared: number;
  matches: number;
  windowStart: string;
  windowSeconds: number;
}

export type NotificationEvent = NewSignatureEvent | MatchRateEvent;

/**
 * The event for a new mismatch signature.
 *
 * @example
 * const ev = newSignatureEvent(exchange, result, '/_tandem');
 * ev.type; // 'new_signature'
 */
export function newSignatureEvent(ex: ExchangeRecord, result: ComparisonResult, reportBase: string): NewSignatureEvent {
  return {
    id: randomUUID(),
    type: 'new_signature',
    at: new Date().toISOString(),
    route: ex.route,
    signature: result.signature ?? '',
    risk: result.risk ?? '',
    mismatchId: ex.id,
    reportPath: `${reportBase}/api/mismatches/${encodeURIComponent(ex.id)}`,
    request: { method: ex.request.method, path: ex.request.path },
    source: ex.source === 'replay' ? 'replay' : 'live',
  };
}

/**
 * The event for a window whose match rate is under the threshold.
 *
 * @example
 * matchRateEvent('product', matchFigures({ match: 3, candidate_error: 7 }), 0.9, { start: Date.now(), seconds: 300 }).matchRate; // 0.3
 */
export function matchRateEvent(
  route: string,
  w: MatchFigures,
  threshold: number,
  window: { start: number; seconds: number },
): MatchRateEvent {
  return {
    id: randomUUID(),
    type: 'match_rate_below',
    at: new Date().toISOString(),
    route,
    matchRate: w.rate ?? 0,
    threshold,
    compared: w.results,
    matches: w.matches,
    windowStart: new Date(window.start).toISOString(),
    windowSeconds: window.seconds,
  };
}
