export { createRedactor } from './redact-exchange';
export type { Redactor } from './redact-exchange';
export { containsFingerprint, FINGERPRINT } from './fingerprint';
export { redactJsonText } from './redact-json';
export { resolveRedactKey, redactKeyFor, redactorFor, storedCustomerFor } from './redact-key';
export { pathForLog, withoutRedactedPathParams } from './redact-path';
export { redactOffLoop, redactThread } from './redact-off-loop';
export type { RedactThread } from './redact-off-loop';
