import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { CandidateError, Headers, RequestRecord, ResponseRecord, TranslationError } from '../records';
import { candidateResponse, type ServableResponse } from '../rollout';
import type { Translator } from '../translate';
import { callCandidate, type RawHead, type ResponseLines, type Upstream } from '../upstream';

/**
 * What asking the candidate gave: the response to serve, or why there is none
 * (`reason`: `translation_error`, `timeout`, `candidate_error`, `candidate_5xx`,
 * `too_large`), with what the exchange record keeps of it.
 *
 * @example
 * const a: CandidateAttempt = { served: undefined, failure: { reason: 'timeout' } };
 */
export interface CandidateAttempt {
  served?: ServableResponse;
  failure?: { reason: string; candidateError?: CandidateError; translationError?: TranslationError };
  candidateRequest?: RequestRecord;
  /** The candidate's raw response, when it answered. */
  candidate?: ResponseRecord;
  /** The candidate's head as written, when it answered and its upstream kept it (never stored). */
  lines?: ResponseLines;
}

/**
 * Translate the request, send it to the candidate and translate its response into
 * the legacy contract. With `serve5xx` false a 5xx answer is a failure (so the
 * caller can fall back). Never throws.
 *
 * @example
 * const a = await attemptCandidate(translator, upstream, request, { params, route: 'product', requestId: 'r1', serve5xx: false });
 */
export async function attemptCandidate(
  translator: Translator,
  upstream: Upstream,
  request: RequestRecord,
  o: {
    params: Record<string, string>;
    route: string;
    requestId: string;
    serve5xx: boolean;
    maxDecodedBytes?: number;
    /** Runs the request translator off the proxy's thread for big bodies (see `CandidateCall.translate`). */
    translate?: (request: RequestRecord) => Promise<RequestRecord>;
    /** Runs the response translator off the proxy's thread for big answers (see `candidateResponse`). */
    translateResponse?: (response: ResponseRecord) => Promise<{ status: number; headers: Headers; body: Buffer }>;
    /** Gets each interim (1xx) head the candidate sends before its final one (see `CandidateCall.interim`). */
    interim?: (h: RawHead) => void;
  },
): Promise<CandidateAttempt> {
  // Served to the client: no shadow marker, the candidate must act on it.
  const r = await callCandidate(upstream, {
    translator,
    request,
    params: o.params,
    requestId: o.requestId,
    maxDecodedBytes: o.maxDecodedBytes,
    translate: o.translate,
    interim: o.interim,
  });
  if ('translationError' in r) return { failure: { reason: 'translation_error', translationError: r.translationError } };
  const { candidateRequest, outcome } = r;
  if ('error' in outcome)
    return {
      candidateRequest,
      failure: { reason: outcome.error.kind === 'timeout' ? 'timeout' : 'candidate_error', candidateError: outcome.error },
    };
  const candidate = outcome.response;
  const lines = outcome.lines;
  if (candidate.status >= 500 && !o.serve5xx) return { candidateRequest, candidate, lines, failure: { reason: 'candidate_5xx' } };
  const c = await candidateResponse(translator, candidate, {
    request,
    params: o.params,
    route: o.route,
    maxDecodedBytes: o.maxDecodedBytes,
    translate: o.translateResponse,
    lines,
  });
  if (c.ok) {
    const why = unservable(c.response);
    if (why === null) return { candidateRequest, candidate, served: c.response };
    return {
      candidateRequest,
      candidate,
      lines,
      failure: { reason: 'candidate_error', candidateError: { kind: 'protocol', message: why } },
    };
  }
  if (c.kind === 'too_large')
    return {
      candidateRequest,
      candidate,
      lines,
      failure: { reason: 'too_large', candidateError: { kind: 'too_large', message: c.message } },
    };
  return {
    candidateRequest,
    candidate,
    lines,
    failure: { reason: 'translation_error', translationError: { stage: 'response', message: c.message } },
  };
}

/**
 * Why Node could not write `r` to a client, or null when it can: a final status is a whole
 * number from 200 to 999 (RFC 9110 section 15: 1xx are interim; Node's `writeHead` throws below
 * 100), header names are tokens and values hold no control characters (`validateHeaderName`,
 * `validateHeaderValue`). A candidate's `099` (Node's client reads it as 99) or a response
 * translator's bad value would otherwise throw while the client waits, answered by Tandem's
 * own 502 instead of legacy's fallback.
 *
 * @example
 * unservable({ status: 99, headers: {}, body }); // 'status 99 is not a final status (RFC 9110 section 15)'
 */
export function unservable(r: Pick<ServableResponse, 'status' | 'headers'>): string | null {
  if (!Number.isInteger(r.status) || r.status < 200 || r.status > 999)
    return `status ${r.status} is not a final status (RFC 9110 section 15)`;
  for (const [name, value] of Object.entries(r.headers)) {
    if (value === undefined) continue;
    try {
      validateHeaderName(name);
      for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v);
    } catch (e) {
      return `header ${JSON.stringify(name)} cannot be written: ${(e as Error).message}`;
    }
  }
  return null;
}
