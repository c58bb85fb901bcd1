import { encodeBody, type ResponseRecord } from '../../src/records';

/** The redaction key these suites fingerprint with. */
export const KEY = 'test-redaction-key-0123456789';

/** Every fingerprint a redactor writes in place of a secret (global: use with replace / match). */
export const FP = /\[REDACTED:[0-9a-f]{16}\]/g;

/** A 200 response with these headers and body (bytes, or text as UTF-8), 1 ms long. */
export const response = (headers: Record<string, string>, body: Buffer | string): ResponseRecord => ({
  status: 200,
  headers,
  body: encodeBody(Buffer.isBuffer(body) ? body : Buffer.from(body)),
  durationMs: 1,
});
