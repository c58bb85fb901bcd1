import type { CandidateError, CandidateErrorKind } from '../records';

/**
 * What kind of failure a network error from `http.request` is: refused or
 * unresolvable (`connect`: nothing was sent), reset or cut (`reset`), timed out
 * (`timeout`), anything else, such as a malformed response, `protocol`. The one
 * mapping used for every upstream (candidate, legacy calls, the noise repeat).
 *
 * @example
 * errorKind({ code: 'ECONNREFUSED' }); // 'connect'
 */
export function errorKind(e: { code?: string }): CandidateErrorKind {
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'connect';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timeout';
    default:
      return 'protocol';
  }
}

/**
 * The recorded form of a network error: its kind and `CODE: message`.
 *
 * @example
 * networkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind; // 'connect'
 */
export function networkError(e: Error & { code?: string }): CandidateError {
  return { kind: errorKind(e), message: `${e.code ?? 'error'}: ${e.message}` };
}
