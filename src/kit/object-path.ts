/** Copy-on-write access to plain dot paths (`meta.total`, `data`) in JSON values. */

import { isRecord } from './compose';

const split = (path: string): string[] => (path === '' ? [] : path.split('.'));

/**
 * The value at a dot path, and whether it is there at all.
 *
 * @example
 * getPath({ meta: { total: 3 } }, 'meta.total'); // { present: true, value: 3 }
 */
export function getPath(v: unknown, path: string): { present: boolean; value?: unknown } {
  let cur = v;
  for (const k of split(path)) {
    if (!isRecord(cur) || !Object.hasOwn(cur, k)) return { present: false };
    cur = cur[k];
  }
  return { present: true, value: cur };
}

/**
 * A copy with the value set at a dot path; '' replaces the whole value.
 *
 * @example
 * setPath({ a: 1 }, 'meta.total', 3); // { a: 1, meta: { total: 3 } }
 */
export function setPath(v: unknown, path: string, value: unknown): unknown {
  const keys = split(path);
  if (!keys.length) return value;
  const [k, ...rest] = keys;
  const obj = isRecord(v) ? v : {};
  return { ...obj, [k]: setPath(obj[k], rest.join('.'), value) };
}

/**
 * A copy without the key at a dot path (unchanged when absent).
 *
 * @example
 * deletePath({ a: 1, b: { c: 2 } }, 'b.c'); // { a: 1, b: {} }
 */
export function deletePath(v: unknown, path: string): unknown {
  const keys = split(path);
  if (!keys.length || !isRecord(v) || !Object.hasOwn(v, keys[0])) return v;
  const [k, ...rest] = keys;
  if (!rest.length) {
    const { [k]: _gone, ...others } = v;
    return others;
  }
  return { ...v, [k]: deletePath(v[k], rest.join('.')) };
}
