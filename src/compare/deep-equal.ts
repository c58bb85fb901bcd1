import { isJsonNumber, LosslessNumber, sameNumber } from '../records';

/**
 * Strict structural equality of JSON-like values (plain objects, arrays, primitives).
 * Key order does not matter; array order does; numbers are equal by exact decimal
 * value (`LosslessNumber`s included). No allocation on the equal path.
 *
 * @example
 * deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); // true
 * deepEqual({ a: 1 }, { a: 1, b: undefined }); // false
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    a instanceof LosslessNumber ||
    b instanceof LosslessNumber
  ) {
    return isJsonNumber(a) && isJsonNumber(b) && sameNumber(a, b);
  }
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    if (!Object.hasOwn(y, k) || !deepEqual(x[k], y[k])) return false;
    count++;
  }
  for (const k in y) if (Object.hasOwn(y, k)) count--;
  return count === 0;
}
