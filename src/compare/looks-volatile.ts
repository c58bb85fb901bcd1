const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const UUID = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const LONG_HEX = /^(?:0x)?[0-9a-f]{16,}$/i;
const TOKEN = /^[A-Za-z0-9_-]{20,}$/;
const PREFIXED_ID = /^[a-z]{1,12}[_-]([A-Za-z0-9]{10,})$/;
const JWT = /^[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}$/;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/** Epoch seconds 2001..2286 or epoch milliseconds in the same span. */
function looksEpoch(n: number): boolean {
  return (n >= 1e9 && n < 1e10) || (n >= 1e12 && n < 1e13 && Number.isInteger(n));
}

const hasDigit = (s: string): boolean => /\d/.test(s);
const hasLetter = (s: string): boolean => /[A-Za-z]/.test(s);

/**
 * True when a value looks like it changes on every response: an ISO or HTTP timestamp,
 * an epoch time in seconds or milliseconds (number or numeric string), a UUID or ULID,
 * a long hex id, a random-looking token (20+ chars mixing upper, lower and digits), a
 * prefixed id like `req_8f3a9c2b1d`, or a JWT. Differences between two such values are
 * flagged as suspected noise, never hidden.
 *
 * @example
 * looksVolatile('2024-05-01T10:00:00.123Z'); // true
 * looksVolatile(1714557600); // true
 * looksVolatile('3f2504e0-4f89-11d3-9a0c-0305e82c3301'); // true
 * looksVolatile('hello world'); // false
 * looksVolatile(42); // false
 */
export function looksVolatile(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && looksEpoch(value);
  if (typeof value !== 'string' || value.length < 10 || value.length > 2048) return false;
  if (NUMERIC.test(value)) return looksEpoch(Number(value)) || value.length >= 16;
  if (ISO_DATETIME.test(value) || HTTP_DATE.test(value) || UUID.test(value)) return true;
  if (ULID.test(value) && hasDigit(value)) return true;
  if (LONG_HEX.test(value) && hasDigit(value)) return true;
  if (TOKEN.test(value) && hasDigit(value) && /[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  const prefixed = PREFIXED_ID.exec(value);
  if (prefixed && hasDigit(prefixed[1]) && hasLetter(prefixed[1])) return true;
  return JWT.test(value);
}
