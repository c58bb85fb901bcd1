/**
 * Value coercions for `mapKeys`: ids number ↔ string, numbers or null rendered as
 * strings the way old APIs did. Exact beyond 2^53: a lossless-json number or a bigint
 * becomes its exact digits, and digits too large for a double become a `LosslessNumber`.
 */

import { isLosslessNumber, LosslessNumber } from 'lossless-json';
import { parseDecimal, sameDecimal } from '../compare/decimal';

/**
 * A number (JS number, bigint or lossless-json number) as its decimal string; anything else unchanged.
 *
 * @example
 * toStringValue(42); // '42'
 * toStringValue(new LosslessNumber('9007199254740993')); // '9007199254740993'
 * toStringValue(null); // null
 */
export function toStringValue(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (isLosslessNumber(v)) return v.value;
  return v;
}

/**
 * A decimal string as a number; anything else unchanged. Digits a double cannot hold
 * exactly (beyond 2^53, or more significant digits than a double keeps) become a
 * `LosslessNumber`, which the lossless body codec writes back digit for digit.
 *
 * @example
 * toNumberValue('12.50'); // 12.5
 * toNumberValue('9007199254740993'); // LosslessNumber { value: '9007199254740993' }
 * toNumberValue('abc'); // 'abc'
 */
export function toNumberValue(v: unknown): unknown {
  if (typeof v !== 'string' || v.length > 400 || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return v;
  const n = Number(v);
  if (!Number.isFinite(n)) return new LosslessNumber(v);
  return exactDouble(v, n) ? n : new LosslessNumber(v);
}

/**
 * `"true"`/`"false"` (any case) as booleans, `1`/`0` too; anything else unchanged.
 *
 * @example
 * toBooleanValue('TRUE'); // true
 */
export function toBooleanValue(v: unknown): unknown {
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (v === 1 || v === 0) return v === 1;
  return v;
}

/**
 * Render the way a "stringly typed" API did, at every depth below: numbers become
 * decimal strings, `null` becomes `nullAs` (default `""`; pass `null` to keep nulls);
 * booleans, strings and keys unchanged.
 *
 * @example
 * stringly()({ id: 42, tags: [1, null], ok: true }); // { id: '42', tags: ['1', ''], ok: true }
 */
export function stringly(o: { nullAs?: string | null } = {}): (v: unknown) => unknown {
  const nullAs = o.nullAs === undefined ? '' : o.nullAs;
  const render = (v: unknown, depth: number): unknown => {
    if (v === null) return nullAs;
    if (typeof v === 'number' || typeof v === 'bigint' || isLosslessNumber(v)) return toStringValue(v);
    if (depth > 200 || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) return v.map((x) => render(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x, depth + 1)]));
  };
  return (v) => render(v, 0);
}

/** True when the double `n` has exactly the value of the decimal text `v` (so no digit is lost). */
function exactDouble(v: string, n: number): boolean {
  const a = parseDecimal(String(n));
  const b = parseDecimal(v);
  return a !== undefined && b !== undefined && sameDecimal(a, b);
}
