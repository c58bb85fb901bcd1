export { BodyCapture } from './body-capture';
export { CandidateBreaker } from './candidate-breaker';
export type { BreakerOptions } from './candidate-breaker';
export { createUpstream, sendRequest, HOP_BY_HOP } from './send-request';
export type { Upstream, SendOutcome } from './send-request';
export { ShadowDispatcher, SHADOW_HEADER } from './shadow-dispatcher';
export type { ExchangeDraft, ShadowOptions } from './shadow-dispatcher';
