import { generalisePath } from '../compare';
import type { Difference } from '../records';
import type { CauseRecord } from '../store';

/**
 * One cause per difference, as the report groups them: path pattern, kind and value
 * transformation, with a stable key. STAND-IN until the compare module's
 * `classifyDifferences` (issue 19) is on main: this one names the pattern and kind
 * only ("value changed", "missing in candidate"); swap its body for that function.
 *
 * @example
 * classify([{ path: 'items[3].price', kind: 'changed', legacy: 1, candidate: 2 }])[0].key; // 'items[*].price|changed|value_changed'
 */
export function classify(ds: readonly Difference[]): Omit<CauseRecord, 'example'>[] {
  return ds.map((d) => {
    const pattern = generalisePath(d.path);
    const transform = d.kind === 'removed' ? 'missing_in_candidate' : d.kind === 'added' ? 'added_in_candidate' : d.kind === 'type_changed' ? 'type_changed' : 'value_changed';
    const words = { missing_in_candidate: 'missing in candidate', added_in_candidate: 'added in candidate', type_changed: `type changed (${typeName(d.legacy)} to ${typeName(d.candidate)})`, value_changed: 'value changed' }[transform];
    return { key: `${pattern}|${d.kind}|${transform}`, pattern, kind: d.kind, transform, label: `${pattern}: ${words}` };
  });
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
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
