import { classifyDifferences } from '../compare';
import type { Difference } from '../records';
import type { CauseRecord } from '../store';

/**
 * One cause per difference, as the report groups them: path pattern, kind and value
 * transformation ("string to number, same value", "+0.01", "same elements, different
 * order"), with a stable key: the compare module's `classifyDifferences`, the same
 * function the dry run uses.
 *
 * @example
 * classify([{ path: 'items[3].price', kind: 'type_changed', legacy: '12.50', candidate: 12.5 }])[0].label; // 'items[*].price: string to number, same value'
 */
export function classify(ds: readonly Difference[]): Omit<CauseRecord, 'example'>[] {
  return classifyDifferences(ds).map(({ key, pattern, kind, transform, detail, label }) => ({
    key,
    pattern,
    kind,
    transform,
    ...(detail === undefined ? {} : { detail }),
    label,
  }));
}

/** Longest JSON kept for an example value; longer ones are cut and marked. */
const MAX_EXAMPLE_JSON = 200;

/**
 * The distinct causes of one mismatch's differences, each with its first difference as
 * an example (values cut to 200 characters of JSON): what the record script aggregates
 * per route (count, first and last seen, customers, examples).
 *
 * @example
 * causesOf(result.differences); // [{ key: 'price|changed|value_changed', label: 'price: value changed', ..., example: { path: 'price', legacy: 10, candidate: 11 } }]
 */
export function causesOf(ds: readonly Difference[]): CauseRecord[] {
  const causes = classify(ds);
  const out = new Map<string, CauseRecord>();
  causes.forEach((c, i) => {
    if (out.has(c.key)) return;
    const d = ds[i];
    out.set(c.key, { ...c, example: { path: d.path, legacy: cut(d.legacy), candidate: cut(d.candidate) } });
  });
  return [...out.values()];
}

function cut(v: unknown): unknown {
  if (v === undefined) return undefined;
  const json = JSON.stringify(v);
  return json !== undefined && json.length > MAX_EXAMPLE_JSON ? `${json.slice(0, MAX_EXAMPLE_JSON)}… (cut)` : v;
}
