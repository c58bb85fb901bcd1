export { createLogger, wantsPretty } from './logger';
export type { Logger } from './logger';
export { requestLogger, requestIdOf } from './request-logger';
export { rateLimitedErrors } from './rate-limited';
export { closeStep } from './deadline';
