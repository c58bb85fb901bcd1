import type { BodyRecord, ExchangeRecord, ResultClass } from './types';

/**
 * Why an exchange of class `too_large` because of a body over the capture cap ended so:
 * which body and its size, e.g. `request body of 1,992,294 bytes over the capture cap`.
 * `undefined` when no request or legacy body was cut (the worker then compares).
 *
 * @example
 * capturedTooLargeReason(exchange); // 'legacy body of 2,000,000 bytes over the capture cap'
 */
export function capturedTooLargeReason(ex: Pick<ExchangeRecord, 'request' | 'legacy'>): string | undefined {
  if (ex.request.body?.truncated) return overCap('request', ex.request.body);
  if (ex.legacy.body?.truncated) return overCap('legacy', ex.legacy.body);
  return undefined;
}

/**
 * The reason shown for a stored exchange of an error class (candidate_error,
 * translation_error, too_large, unparseable), read from the exchange alone: the list of
 * errors stores the exchange, not the comparison result. Never empty for an error
 * class; `undefined` for other classes with nothing to say.
 *
 * @example
 * errorReasonOf(exchange, 'too_large'); // 'request body of 1,992,294 bytes over the capture cap'
 * errorReasonOf(exchange, 'candidate_error'); // 'timeout: no complete response within 2000 ms'
 */
export function errorReasonOf(ex: ExchangeRecord, cls: ResultClass): string | undefined {
  if (ex.candidateError) return `${ex.candidateError.kind}: ${ex.candidateError.message}`;
  if (ex.translationError) return `${ex.translationError.stage} translator: ${ex.translationError.message}`;
  if (ex.candidate && ex.candidate.status >= 500 && ex.legacy.status < 500) return `candidate answered ${ex.candidate.status}`;
  if (cls === 'too_large') {
    const cut = capturedTooLargeReason(ex);
    if (cut) return cut;
    if (ex.candidate?.body?.truncated) return overCap('candidate', ex.candidate.body);
    return 'bodies too large to compare within the diff budget';
  }
  if (cls === 'unparseable') {
    const unreadable = [ex.legacy.body, ex.candidate?.body].find((b) => b?.unreadable)?.unreadable;
    return unreadable?.reason ?? 'a body could not be read as its content-type says';
  }
  if (cls === 'candidate_error') return 'no candidate response';
  if (cls === 'translation_error') return 'translator failed';
  return undefined;
}

function overCap(side: string, body: BodyRecord): string {
  return `${side} body of ${body.size.toLocaleString('en-US')} bytes over the capture cap`;
}
