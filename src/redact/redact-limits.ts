import type { Fingerprint } from './fingerprint';
import type { SecretNames } from './secret-names';

// What one body redaction may cost on the proxy's event loop: the options `redactBody` is
// given, and the bounds past which it withholds the body instead of reading on.

/**
 * Options of `redactBody`.
 *
 * @example
 * const o: BodyRedaction = { names, fp, maxDecodedBytes: 8 << 20 };
 */
export interface BodyRedaction {
  names: SecretNames;
  fp: Fingerprint;
  /** Bound on a decompressed body; a larger one is withheld. */
  maxDecodedBytes: number;
  /**
   * Bound on a decompressed body read field by field (the proxy's `capture.maxBodyBytes`);
   * a larger one in which a secret name may occur is withheld, one in which none does is
   * kept as it is. Unset: `maxDecodedBytes`. See `redactBody`.
   */
  maxReadBytes?: number;
  /** Nested encodings still to be read in the body being redacted (set by `redactBody`; see `MAX_NESTED_READS`). */
  budget?: { left: number };
  /**
   * Body bytes (as sent, and decoded when compressed) the exchange being redacted may still
   * have read on the proxy's event loop (see `ON_LOOP_BYTES`); past it `redactBody` throws
   * `OFF_LOOP` and the exchange is redacted on a thread instead. Unset: no such bound.
   */
  loopBytes?: { left: number };
}

/**
 * Body bytes one exchange may have redacted on the proxy's event loop, all its distinct
 * bodies together (a compressed body counts its bytes as sent and as decoded): past it the
 * whole exchange is redacted on a thread of its own (see `redactOffLoop`). Redacting JSON
 * that names a secret costs the loop ~0.3-0.7 µs a byte on a slow machine (a 1 MiB body of
 * 41,000 small objects and one `password`: 290-670 ms); 64 KiB is 20-45 ms at worst, and
 * the benchmark's 20 KB exchanges stay on the loop, where they cost no copy to a thread.
 */
export const ON_LOOP_BYTES = 64 * 1024;

/** Thrown by `redactBody` past `loopBytes` (caught by the redactor's `exchangeOnLoop`). */
export const OFF_LOOP = new Error('body bytes past ON_LOOP_BYTES: redacted off the event loop');

/** Spend `bytes` of the exchange's `loopBytes`; throws `OFF_LOOP` past it. */
export function spendOnLoop(o: BodyRedaction, bytes: number): void {
  if (o.loopBytes && (o.loopBytes.left -= bytes) < 0) throw OFF_LOOP;
}

/**
 * Encodings read inside a body's own (a JSON string in a form value in a multipart part
 * is three). Each level reads only parts of the text above it, so redacting a body costs at
 * most this many passes over its bytes, however it is built; deeper text is not parsed.
 */
export const MAX_NESTED_ENCODINGS = 4;

/**
 * Encoded values (JSON or a form in a string or form value, a multipart part inside a part)
 * read in one body at most; past it the body is withheld, with the reason `TOO_MANY`. Each
 * read costs ~10-20 µs on the proxy's event loop (a parse, a fingerprint, an escape), so a
 * hostile 1 MB body of 36,000 `"{\"password\":..}"` strings would stall it for ~300 ms
 * instead of the ~10-20 ms this allows; a real body holding a thousand encoded values that
 * name a secret is rare, and is then compared by its fingerprint.
 */
export const MAX_NESTED_READS = 1000;

/**
 * Secret values fingerprinted in one body at most (fields, form values, strings read
 * whole); past it the body is withheld, with the reason `TOO_MANY_VALUES`. Each costs an
 * HMAC on the proxy's event loop (5-10 µs): a hostile body just under the capture cap
 * holding 45,000 `"password"` fields (or 68,000 form fields) held the loop ~0.5 s, every
 * client's answer waiting. A withheld body costs one HMAC of its bytes.
 */
export const MAX_SECRET_VALUES = 1000;

/**
 * Fields of one urlencoded form read at most when a secret name occurs in it (one with none
 * is not parsed at all); past it the body is withheld, with the reason `TOO_MANY_FIELDS`.
 * Each field costs a split, a decode and a name test (1.5-2.5 µs): a 1 MB form of 250,000
 * fields held the proxy's event loop 0.4-0.6 s. Servers read far fewer (body-parser and qs
 * stop at 1,000 parameters, PHP's `max_input_vars` is 1,000).
 */
export const MAX_FORM_FIELDS = 10_000;
export const TOO_MANY_FIELDS = `more than ${MAX_FORM_FIELDS} form fields with a secret name among them; not read`;

export const OVER_BUDGET = new Error('nested encodings past MAX_NESTED_READS');
export const OVER_VALUES = new Error('secret values past MAX_SECRET_VALUES');
export const TOO_MANY_VALUES = `more than ${MAX_SECRET_VALUES} secret values inside one body`;
export const TOO_MANY = `more than ${MAX_NESTED_READS} encoded values naming a secret inside one body`;

/** One nested read of the body being redacted; throws `OVER_BUDGET` (caught by `redactBody`) past the bound. */
export function spend(o: BodyRedaction): void {
  if (o.budget && --o.budget.left < 0) throw OVER_BUDGET;
}

/** Why a multipart part nested past `MAX_NESTED_ENCODINGS` withholds its body (the only part reason that names itself). */
export const TOO_NESTED = `encodings nested deeper than ${MAX_NESTED_ENCODINGS} levels`;
