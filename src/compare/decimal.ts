/**
 * Exact decimal arithmetic on JSON numbers, for describing how two numbers differ
 * without the rounding of binary floating point (`12.5 - 12.49` is `0.01`, not
 * `0.010000000000000009`) and without losing digits beyond 2^53.
 */

import { isLosslessNumber } from 'lossless-json';

/**
 * A decimal as `sign * digits * 10^exp`, normalised: no trailing zeros in `digits`,
 * zero as `{ neg: false, digits: 0n, exp: 0 }`.
 *
 * @example
 * parseDecimal('12.50'); // { neg: false, digits: 125n, exp: -1 }
 */
export interface Decimal {
  neg: boolean;
  digits: bigint;
  exp: number;
}

/** Exponents beyond this are not treated as numbers (keeps `10n ** exp` cheap on hostile input). */
const MAX_EXPONENT = 1000;

/** The JSON number grammar (RFC 8259 section 6). */
const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Read a JSON-number text into a decimal; undefined when it is not one.
 *
 * @example
 * parseDecimal('1.5e3'); // { neg: false, digits: 15n, exp: 2 }
 * parseDecimal('12,5'); // undefined
 */
export function parseDecimal(text: string): Decimal | undefined {
  if (text.length > 400) return undefined;
  const m = JSON_NUMBER.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0) - frac.length;
  if (Math.abs(exp) > MAX_EXPONENT) return undefined;
  return normalise(m[1] === '-', BigInt(m[2] + frac), exp);
}

/**
 * The decimal value of a number-like value: a JS number, a bigint, or a
 * lossless-json `LosslessNumber`. Strings are not numbers here (see `parseDecimal`).
 *
 * @example
 * numericValue(new LosslessNumber('9007199254740993')); // { neg: false, digits: 9007199254740993n, exp: 0 }
 * numericValue('12'); // undefined
 */
export function numericValue(v: unknown): Decimal | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? parseDecimal(String(v)) : undefined;
  if (typeof v === 'bigint') return normalise(v < 0n, v < 0n ? -v : v, 0);
  if (isLosslessNumber(v)) return parseDecimal(v.value);
  return undefined;
}

/**
 * Whether two decimals are the same value.
 *
 * @example
 * sameDecimal(parseDecimal('12.50')!, parseDecimal('12.5')!); // true
 */
export function sameDecimal(a: Decimal, b: Decimal): boolean {
  return a.neg === b.neg && a.digits === b.digits && a.exp === b.exp;
}

/**
 * `b - a`, exactly.
 *
 * @example
 * formatDecimal(subtractDecimal(parseDecimal('12.49')!, parseDecimal('12.5')!), true); // '+0.01'
 */
export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  const scaled = (d: Decimal): bigint => (d.neg ? -1n : 1n) * d.digits * 10n ** BigInt(d.exp - exp);
  const diff = scaled(b) - scaled(a);
  return normalise(diff < 0n, diff < 0n ? -diff : diff, exp);
}

/**
 * Plain decimal text (no exponent; very large or small exponents are written out up to 40 digits,
 * beyond that in `e` notation). `signed` adds `+` to positive values.
 *
 * @example
 * formatDecimal(parseDecimal('-1e-3')!); // '-0.001'
 */
export function formatDecimal(d: Decimal, signed = false): string {
  const sign = d.neg ? '-' : signed ? '+' : '';
  const s = d.digits.toString();
  if (Math.abs(d.exp) > 40) return `${sign}${s}e${d.exp}`;
  if (d.exp >= 0) return sign + s + '0'.repeat(d.exp);
  const point = s.length + d.exp;
  return sign + (point > 0 ? `${s.slice(0, point)}.${s.slice(point)}` : `0.${'0'.repeat(-point)}${s}`);
}

function normalise(neg: boolean, digits: bigint, exp: number): Decimal {
  if (digits === 0n) return { neg: false, digits: 0n, exp: 0 };
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  return { neg, digits, exp };
}
