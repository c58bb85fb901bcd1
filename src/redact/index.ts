export { createRedactor, REDACTED, DEFAULT_REDACTED_HEADERS } from './redact-exchange';
export type { RedactOptions } from './redact-exchange';
