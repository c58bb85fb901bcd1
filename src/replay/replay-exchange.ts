import type { ExchangeRecord, Headers, RequestRecord } from '../records';
import { containsFingerprint, type Redactor } from '../redact';
import { sendRequest, SHADOW_HEADER, type Upstream } from '../shadow';
import { translateRequest } from '../translate';
import { processExchange, type ProcessDeps, type ProcessedExchange } from '../worker';
import { REPLAY_HEADER } from './replay-header';

/**
 * What a replay needs: the candidate now, and what processing an exchange needs.
 *
 * @example
 * const deps: ReplayDeps = { candidate, translators, rulesFor: () => ({}), maxDecompressedBytes: 8 << 20 };
 */
export interface ReplayDeps extends ProcessDeps {
  candidate: Upstream;
  /**
   * The deployment's redactor: the live answer is redacted the same way as the stored
   * exchange before it is compared (so equal secrets compare equal) and before it is
   * returned. Stored headers and query parameters that hold a fingerprint are not sent.
   */
  redactor?: Pick<Redactor, 'exchange' | 'translated'>;
}

/**
 * A replayed exchange: the stored request and legacy response, the candidate's answer now, the new result.
 *
 * @example
 * const { exchange, result }: ReplayedExchange = await replayExchange(stored, deps);
 */
export interface ReplayedExchange extends ProcessedExchange {
  exchange: ExchangeRecord;
}

/**
 * Send a stored exchange's request through the current translator to the candidate
 * now, and compare the answer with the stored legacy response under the current
 * rules. Nothing is stored: the caller shows the result (to check a fix). Headers
 * and query parameters whose stored value holds a fingerprint are left out.
 *
 * @example
 * const { result } = await replayExchange(stored, { candidate, translators, rulesFor, maxDecompressedBytes: 8 << 20 });
 * result.class; // 'match' once the fix is deployed
 */
export async function replayExchange(stored: ExchangeRecord, deps: ReplayDeps): Promise<ReplayedExchange> {
  const { candidate: _c, candidateRequest: _r, candidateError: _e, translationError: _t, ...base } = stored;
  const request: RequestRecord = {
    ...stored.request,
    headers: withoutRedacted(stored.request.headers),
    query: withoutRedacted(stored.request.query),
  };
  let exchange: ExchangeRecord;
  try {
    const candidateRequest = await translateRequest(deps.translators.forRoute(stored.route), request, stored.params);
    candidateRequest.headers = { ...candidateRequest.headers, [SHADOW_HEADER]: '1', [REPLAY_HEADER]: '1', 'x-request-id': stored.requestId };
    const outcome = await sendRequest(deps.candidate, candidateRequest);
    exchange = { ...base, candidateRequest, ...('response' in outcome ? { candidate: outcome.response } : { candidateError: outcome.error }) };
  } catch (e) {
    exchange = { ...base, translationError: { stage: 'request', message: (e as Error).message } };
  }
  if (deps.redactor) exchange = deps.redactor.exchange(exchange);
  return { exchange, ...(await processExchange(exchange, { ...deps, redact: deps.redactor ?? deps.redact })) };
}

/** Entries whose stored value holds a fingerprint (or the old `[REDACTED]` marker) are left out: the real value is gone. */
function withoutRedacted<T extends Headers>(values: T): T {
  const out: Headers = {};
  for (const [k, v] of Object.entries(values)) if (!(Array.isArray(v) ? v.some(containsFingerprint) : containsFingerprint(v))) out[k] = v;
  return out as T;
}
