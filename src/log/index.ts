export { createLogger, wantsPretty } from './logger';
export type { Logger } from './logger';
export { requestLogger, requestIdOf } from './request-logger';
