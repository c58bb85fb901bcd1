import { isLosslessNumber } from 'lossless-json';
import { formatDecimal, numericValue } from './decimal';

/** Past this depth a value's key is its depth marker only (bounded recursion over outside data). */
const MAX_DEPTH = 64;

/**
 * A string identity of a JSON-like value: object keys sorted, numbers by exact
 * normalised decimal value (`12.50` and `12.5` are one number) (a lossless-json number and a bigint keep every digit), type-tagged
 * so `1` and `"1"` differ. Equal keys mean deep-equal values.
 *
 * @example
 * canonicalKey({ b: 1, a: [true] }) === canonicalKey({ a: [true], b: 1 }); // true
 * canonicalKey(1) === canonicalKey('1'); // false
 */
export function canonicalKey(v: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) return '…';
  if (v === null) return 'null';
  if (isLosslessNumber(v) || typeof v === 'number' || typeof v === 'bigint') {
    const d = numericValue(v);
    return `n${d ? formatDecimal(d) : String(v)}`;
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (Array.isArray(v)) return `[${v.map((x) => canonicalKey(x, depth + 1)).join(',')}]`;
      return `{${Object.keys(v as object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalKey((v as Record<string, unknown>)[k], depth + 1)}`)
        .join(',')}}`;
    default:
      return 'undefined';
  }
}
