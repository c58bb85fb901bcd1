import { classifyDifferences } from '../compare';
import type { Difference } from '../records';
import type { CauseRecord } from '../store';

/** Longest JSON kept for an example value; longer ones are cut and marked. */
const MAX_EXAMPLE_JSON = 200;

/**
 * The distinct causes of one mismatch's differences, each with its first difference as
 * an example (values cut to 200 characters of JSON): what the record script aggregates
 * per route (count, first and last seen, customers, examples). A cause is path pattern,
 * kind and value transformation ("string to number, same value", "+0.01", "same
 * elements, different order") with a stable key: the compare module's
 * `classifyDifferences`, the same function the dry run uses. Each record is built as one
 * literal in the stored field order (spreading the cause and a conditional `detail` per
 * difference cost a fifth of a differing pair's classification).
 *
 * @example
 * causesOf(result.differences); // [{ key: 'price|changed|value_changed', label: 'price: value changed', ..., example: { path: 'price', legacy: 10, candidate: 11 } }]
 */
export function causesOf(ds: readonly Difference[]): CauseRecord[] {
  const causes = classifyDifferences(ds);
  const out = new Map<string, CauseRecord>();
  for (let i = 0; i < causes.length; i++) {
    const { key, pattern, kind, transform, detail, label } = causes[i];
    if (out.has(key)) continue;
    const d = ds[i];
    const example = { path: d.path, legacy: cut(d.legacy), candidate: cut(d.candidate) };
    out.set(
      key,
      detail === undefined ? { key, pattern, kind, transform, label, example } : { key, pattern, kind, transform, detail, label, example },
    );
  }
  return [...out.values()];
}

function cut(v: unknown): unknown {
  // a number, boolean, null or short string is never longer than the cut as JSON (a character escapes to 6 at most)
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string' && v.length * 6 + 2 <= MAX_EXAMPLE_JSON) return v;
  const json = JSON.stringify(v);
  return json !== undefined && json.length > MAX_EXAMPLE_JSON ? `${json.slice(0, MAX_EXAMPLE_JSON)}… (cut)` : v;
}
