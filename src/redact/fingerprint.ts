import { createHmac } from 'node:crypto';

/**
 * What replaces a redacted value: `[REDACTED:<16 hex>]`, the first 64 bits of an
 * HMAC-SHA256 of the value under the deployment's redaction key. Equal values give equal
 * fingerprints and different values (almost surely) different ones, so a comparison still
 * sees a secret that changed or vanished, while the value itself is never stored.
 *
 * @example
 * FINGERPRINT.test('[REDACTED:0123456789abcdef]'); // true
 */
export const FINGERPRINT = /^\[REDACTED(?::[0-9a-f]{16})?\]$/;

/** Where fingerprints appear inside a longer text (a cookie header, a form body). */
export const FINGERPRINT_ANYWHERE = /\[REDACTED(?::[0-9a-f]{16})?\]/g;

/**
 * A keyed fingerprint function.
 *
 * @example
 * const fp: Fingerprint = fingerprinter(Buffer.from('k'.repeat(32)));
 * fp('hunter2'); // '[REDACTED:5f0c...]' (16 hex digits)
 */
export type Fingerprint = (value: string | Buffer) => string;

/**
 * Fingerprints under `key` (32 random bytes by default, see `resolveRedactKey`). A value
 * that already is a fingerprint is returned as it is, so redacting twice changes nothing.
 *
 * @example
 * const fp = fingerprinter(key);
 * fp('a') === fp('a'); // true
 * fp(fp('a')) === fp('a'); // true
 */
export function fingerprinter(key: Buffer | string): Fingerprint {
  return (value) => {
    if (typeof value === 'string' && FINGERPRINT.test(value)) return value;
    return `[REDACTED:${createHmac('sha256', key).update(value).digest('hex').slice(0, 16)}]`;
  };
}

/**
 * True when a value holds a fingerprint (alone or inside a longer text).
 *
 * @example
 * containsFingerprint('sid=[REDACTED:0123456789abcdef]; Path=/'); // true
 */
export function containsFingerprint(value: unknown): boolean {
  return typeof value === 'string' && value.includes('[REDACTED');
}
