/**
 * The upstream HTTP client: how Tandem talks to a backend outside the legacy proxy
 * (candidate, shadow copies, the noise repeat, replays, legacy calls while the
 * candidate serves). One hop-by-hop list with named subsets, one network-error
 * mapping, one safe-method set (RFC 9110), one "call the candidate" function.
 *
 * @example
 * const candidate = createUpstream(config.candidate.url, { timeoutMs: 2000, maxBodyBytes: 1 << 20, maxSockets: 64, host: 'client' });
 * const r = await callCandidate(candidate, { translator, request, params, requestId, marks: { shadow: true } });
 */
export { closeUpstream, createUpstream, hostFor } from './create-upstream';
export type { Upstream } from './create-upstream';
export { sendRequest } from './send-request';
export type { ResponseLines, SendOutcome } from './send-request';
export type { RawHead } from './http1-wire';
export { MAX_INTERIM_BYTES } from './http1-wire';
export { callCandidate, SHADOW_HEADER, REPLAY_HEADER, translatesElsewhere } from './call-candidate';
export { CandidateBreaker } from './candidate-breaker';
export { BodyCapture } from './body-capture';
export {
  REQUEST_DROP,
  RESPONSE_DROP,
  BUFFERED_RESPONSE_DROP,
  KEEP_TE_TRAILER_DROP,
  LEGACY_REQUEST_DROP,
  dropListed,
  pairsOf,
} from './hop-by-hop';
export { networkError } from './error-kind';
export { isSafeMethod } from './methods';
export { keepEveryHeaderLine } from './every-header-line';
