import { editRawQuery, type ExchangeRecord, type Headers, type RequestRecord } from '../records';
import { containsFingerprint, withoutRedactedPathParams, type Redactor } from '../redact';
import { callCandidate, type Upstream } from '../upstream';
import { processExchange, type ProcessDeps, type ProcessedExchange } from '../worker';

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
 * rules. Nothing is stored: the caller shows the result (to check a fix). Headers,
 * query parameters and `;name=value` path parameters whose stored value holds a
 * fingerprint are left out.
 *
 * @example
 * const { result } = await replayExchange(stored, { candidate, translators, rulesFor, maxDecompressedBytes: 8 << 20 });
 * result.class; // 'match' once the fix is deployed
 */
export async function replayExchange(stored: ExchangeRecord, deps: ReplayDeps): Promise<ReplayedExchange> {
  const { candidate: _c, candidateRequest: _r, candidateError: _e, translationError: _t, ...base } = stored;
  const request: RequestRecord = {
    ...stored.request,
    // `/p/5;jsessionid=[REDACTED:...]` goes as `/p/5`, as a redacted query parameter is left out.
    path: withoutRedactedPathParams(stored.request.path),
    headers: withoutRedacted(stored.request.headers),
    query: withoutRedacted(stored.request.query),
  };
  // Trailer lines whose stored value holds a fingerprint are left out, as such header lines are.
  if (request.trailerLines) request.trailerLines = withoutRedactedLines(request.trailerLines);
  if (request.rawQuery) {
    const kept = request.query;
    request.rawQuery = editRawQuery(request.rawQuery, (name) => (Object.hasOwn(kept, name) ? undefined : null));
  }
  const r = await callCandidate(deps.candidate, {
    translator: deps.translators.forRoute(stored.route),
    request,
    params: withoutRedactedParams(stored.params),
    requestId: stored.requestId,
    marks: { shadow: true, replay: true },
  });
  let exchange: ExchangeRecord =
    'translationError' in r
      ? { ...base, translationError: r.translationError }
      : {
          ...base,
          candidateRequest: r.candidateRequest,
          ...('response' in r.outcome ? { candidate: r.outcome.response } : { candidateError: r.outcome.error }),
        };
  if (deps.redactor) exchange = deps.redactor.exchange(exchange);
  return { exchange, ...(await processExchange(exchange, { ...deps, redact: deps.redactor ?? deps.redact })) };
}

/** Route parameters without their redacted `;name=value` parameters (see `withoutRedactedPathParams`). */
function withoutRedactedParams(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = withoutRedactedPathParams(v, true);
  return out;
}

/** `[name, value, ...]` lines without those whose value holds a fingerprint (the real value is gone). */
function withoutRedactedLines(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) if (!containsFingerprint(lines[i + 1])) out.push(lines[i], lines[i + 1]);
  return out;
}

/** Entries whose stored value holds a fingerprint (or the old `[REDACTED]` marker) are left out: the real value is gone. */
function withoutRedacted<T extends Headers>(values: T): T {
  const out = Object.create(null) as Headers;
  for (const [k, v] of Object.entries(values)) if (!(Array.isArray(v) ? v.some(containsFingerprint) : containsFingerprint(v))) out[k] = v;
  return out as T;
}
