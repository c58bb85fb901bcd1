import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, splitNumber, stringify } from 'lossless-json';

/**
 * JSON that keeps every number exact. `JSON.parse` reads numbers into doubles, so
 * `9007199254740993` becomes `9007199254740992` and `12345678901234567891` loses its
 * last digits. Here a number a double holds exactly (its shortest form has the same
 * significant digits) is a plain `number`; any other is a `LosslessNumber` (from
 * lossless-json) holding the digits as sent. `stringifyExact` writes both back, and a
 * `bigint` as an integer.
 */

export { isLosslessNumber, LosslessNumber };

/**
 * Text that may hold a number a double cannot represent: 16 or more digits (and dots)
 * in a row, or an exponent of 3 digits. Anything else parses exactly with JSON.parse:
 * every decimal of at most 15 significant digits within a double's range round-trips.
 */
const MAYBE_INEXACT = /[\d.]{16}|[eE][+-]?\d{3}/;

const exactNumber = (s: string): number | LosslessNumber => (isSafeNumber(s) ? Number(s) : new LosslessNumber(s));

/**
 * Parse JSON keeping every number's exact decimal value. Throws the native SyntaxError
 * for invalid JSON. Text with duplicate keys (which lossless-json refuses) is read as
 * `JSON.parse` reads it: the last value wins.
 *
 * @example
 * parseJsonExact('{"id":9007199254740993,"n":1.5}'); // { id: LosslessNumber { value: '9007199254740993' }, n: 1.5 }
 */
export function parseJsonExact(text: string): unknown {
  return MAYBE_INEXACT.test(text) ? parseKeepingDigits(text) : JSON.parse(text);
}

/**
 * `parseJsonExact` of text already scanned by `scanJson` (its UTF-8 bytes): the scan
 * found no number that may not fit a double (`plain`), or maybe one (`inexact`). The same
 * value as `parseJsonExact(text)`, without a second pass over the text.
 *
 * @example
 * parseScannedJson('{"id":9007199254740993}', scanJson(bytes)); // { id: LosslessNumber { value: '9007199254740993' } }
 */
export function parseScannedJson(text: string, scan: 'plain' | 'inexact'): unknown {
  return scan === 'inexact' ? parseKeepingDigits(text) : JSON.parse(text);
}

function parseKeepingDigits(text: string): unknown {
  try {
    return parse(text, null, exactNumber);
  } catch {
    return JSON.parse(text);
  }
}

/**
 * Serialise like `JSON.stringify`, writing a `LosslessNumber` as its digits and a
 * `bigint` as an integer. Undefined when `JSON.stringify` would give undefined. `space`
 * indents as `JSON.stringify`'s does (for people: `tandem translate`'s output).
 *
 * @example
 * stringifyExact({ id: new LosslessNumber('9007199254740993'), big: 12345678901234567891n }); // '{"id":9007199254740993,"big":12345678901234567891}'
 */
export function stringifyExact(value: unknown, space?: number): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, space);
  } catch (e) {
    if (e instanceof TypeError && /bigint/i.test(e.message)) return stringify(value, undefined, space) as string | undefined;
    throw e;
  }
  // the native serialiser is several times faster; a LosslessNumber in the value shows as this field
  const losslessField = space ? LOSSLESS_FIELD.replace(':', ': ') : LOSSLESS_FIELD;
  return text !== undefined && text.includes(losslessField) ? (stringify(value, undefined, space) as string | undefined) : text;
}

const LOSSLESS_FIELD = '"isLosslessNumber":true';

/**
 * True for a JSON number in any of its forms: `number`, `LosslessNumber`, `bigint`.
 *
 * @example
 * isJsonNumber(new LosslessNumber('1')); // true
 */
export function isJsonNumber(v: unknown): v is number | LosslessNumber | bigint {
  return typeof v === 'number' || typeof v === 'bigint' || isLosslessNumber(v);
}

/**
 * The decimal text of a JSON number (`String(n)` for a number, the digits as sent for a
 * `LosslessNumber`).
 *
 * @example
 * numberText(new LosslessNumber('12345678901234567891')); // '12345678901234567891'
 */
export function numberText(v: number | LosslessNumber | bigint): string {
  return isLosslessNumber(v) ? v.value : String(v);
}

/**
 * One canonical text per decimal value, so equal values (`1e3`, `1000`, `1000.0`) get
 * one key and different ones (`9007199254740993`, `9007199254740992`) two: integers of
 * up to 400 digits plainly, anything else as `d.ddde<exponent>`.
 *
 * @example
 * numberKey(new LosslessNumber('1.0e19')); // '10000000000000000000'
 */
export function numberKey(v: number | LosslessNumber | bigint): string {
  if (typeof v === 'number' && (Number.isSafeInteger(v) || !Number.isFinite(v))) return String(v);
  const { sign, digits, exponent } = splitNumber(numberText(v));
  if (digits === '0') return '0';
  if (exponent >= digits.length - 1 && exponent < 400) return `${sign}${digits}${'0'.repeat(exponent - digits.length + 1)}`;
  return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent}`;
}

/**
 * Whether two JSON numbers have the same decimal value (`1.0` equals `1`;
 * `9007199254740993` does not equal `9007199254740992`).
 *
 * @example
 * sameNumber(new LosslessNumber('12345678901234567891'), new LosslessNumber('12345678901234567890')); // false
 */
export function sameNumber(a: number | LosslessNumber | bigint, b: number | LosslessNumber | bigint): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return numberKey(a) === numberKey(b);
}

/** Beyond this spread of decimal exponents, a tolerance check uses doubles (the values are worlds apart). */
const MAX_EXACT_SPREAD = 1000;

/**
 * Whether |a − b| ≤ tolerance, computed on exact decimals (so ids past 2^53 that differ
 * by 1 are 1 apart, not 0). A tolerance of 0 is `sameNumber`.
 *
 * @example
 * withinTolerance(new LosslessNumber('9007199254740993'), 9007199254740992, 0.5); // false
 * withinTolerance(1.0004, 1, 0.001); // true
 */
export function withinTolerance(a: number | LosslessNumber | bigint, b: number | LosslessNumber | bigint, tolerance: number): boolean {
  if (sameNumber(a, b)) return true;
  if (!(tolerance > 0)) return false;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= tolerance;
  const xs = [numberText(a), numberText(b), String(tolerance)].map(scaled);
  const lo = Math.min(...xs.map((x) => x.scale));
  if (Math.max(...xs.map((x) => x.scale)) - lo > MAX_EXACT_SPREAD)
    return Math.abs(Number(numberText(a)) - Number(numberText(b))) <= tolerance;
  const [x, y, t] = xs.map((v) => v.mantissa * 10n ** BigInt(v.scale - lo));
  const d = x - y;
  return (d < 0n ? -d : d) <= t;
}

/** A decimal as mantissa × 10^scale. */
function scaled(text: string): { mantissa: bigint; scale: number } {
  const { sign, digits, exponent } = splitNumber(text);
  const m = BigInt(digits);
  return { mantissa: sign === '-' ? -m : m, scale: exponent - (digits.length - 1) };
}

/**
 * A JSON value with every exact number made storable: a `LosslessNumber` or `bigint`
 * becomes its digits as a string (a double would round it again), numbers stay.
 * Returns the input itself when it holds none.
 *
 * @example
 * plainJson({ id: new LosslessNumber('9007199254740993') }); // { id: '9007199254740993' }
 */
export function plainJson(v: unknown): unknown {
  if (isLosslessNumber(v) || typeof v === 'bigint') return numberText(v);
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    v.forEach((x, i) => {
      const y = plainJson(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    });
    return out ?? v;
  }
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    const y = plainJson(x);
    if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
  }
  return out ?? v;
}
