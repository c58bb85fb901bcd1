import { isJsonNumber, numberKey } from '../records';
import { emitElement, type DiffContext, type ValueDiffer } from './diff-context';
import type { KeyedSegment, PathSegment } from './path';

/**
 * Index an array by a key field: key value as text → position (numbers by their exact
 * decimal value, so ids past 2^53 stay distinct). Null when any element
 * is not an object, lacks a scalar key, or repeats a key (the caller then falls back
 * to positional comparison).
 *
 * @example
 * indexByKey([{ id: 1 }, { id: 2 }], 'id'); // Map { '1' => 0, '2' => 1 }
 * indexByKey([{ id: 1 }, { id: 1 }], 'id'); // null
 */
export function indexByKey(arr: readonly unknown[], key: string): Map<string, number> | null {
  const out = new Map<string, number>();
  for (let i = 0; i < arr.length; i++) {
    const el = arr[i];
    if (typeof el !== 'object' || el === null || Array.isArray(el)) return null;
    const v = (el as Record<string, unknown>)[key];
    if (typeof v !== 'string' && typeof v !== 'boolean' && !isJsonNumber(v)) return null;
    const s = isJsonNumber(v) ? numberKey(v) : String(v);
    if (out.has(s)) return null;
    out.set(s, i);
  }
  return out;
}

/**
 * Diff arrays whose elements are matched by a key field, regardless of order. Paths
 * use keyed selectors: `items[id=7].price`. Returns false (and records nothing) when
 * the key is unusable on either side, so the caller compares by position instead.
 *
 * @example
 * diffKeyed([{ id: 1, p: 1 }], [{ id: 1, p: 2 }], 'id', ['items'], ctx, diffValue); // true, 'items[id=1].p' changed
 */
export function diffKeyed(a: unknown[], b: unknown[], key: string, path: PathSegment[], ctx: DiffContext, differ: ValueDiffer): boolean {
  const ia = indexByKey(a, key);
  const ib = ia && indexByKey(b, key);
  if (!ia || !ib) return false;
  for (const [value, i] of ia) {
    const seg: KeyedSegment = { key, value };
    const j = ib.get(value);
    if (j === undefined) {
      emitElement(ctx, path, seg, 'removed', a[i]);
      continue;
    }
    path.push(seg);
    differ(a[i], b[j], path, ctx);
    path.pop();
  }
  for (const [value, j] of ib) if (!ia.has(value)) emitElement(ctx, path, { key, value }, 'added', b[j]);
  return true;
}
