/**
 * Difference -> cause: what kind of change a difference is, in terms a person fixing a
 * translator can act on ("items[*].price: string to number, same value"). Differences
 * with one cause share one `key`, across exchanges. Pure: no I/O, never throws.
 */

import type { Difference } from '../records';
import { describeTransform, valueTransform, type CauseTransform } from './cause-transform';
import { canonicalKey } from './canonical-key';
import { differenceSide } from './difference-side';
import { generalisePath, memoisedByPath, parsePathLenient } from './path-parse';
import { formatPath, type PathSegment } from './path';

export type { CauseTransform } from './cause-transform';

/**
 * The cause of a difference.
 *
 * @example
 * const c: DifferenceCause = {
 *   key: 'items[*].price|type_changed|same_value_retyped:string to number',
 *   pattern: 'items[*].price', kind: 'type_changed',
 *   transform: 'same_value_retyped', detail: 'string to number',
 *   label: 'items[*].price: string to number, same value',
 * };
 */
export interface DifferenceCause {
  /** Stable grouping key: `pattern|kind|transform[:detail]`. */
  key: string;
  /** The path with array indices and keyed selectors as `[*]`. For a reorder, the array's own path. */
  pattern: string;
  kind: Difference['kind'];
  transform: CauseTransform;
  detail?: string;
  /** `pattern: what happened`, for people. */
  label: string;
}

/**
 * Classify one difference on its own.
 *
 * @example
 * classifyDifference({ path: 'items[3].price', kind: 'type_changed', legacy: '12.50', candidate: 12.5 }).label;
 * // 'items[*].price: string to number, same value'
 * classifyDifference({ path: 'name', kind: 'removed', legacy: 'x' }).label; // 'name: missing in candidate'
 */
export function classifyDifference(d: Difference): DifferenceCause {
  // a secret on both sides: its fingerprints differ, and that is all anyone can know (the report says "differs (redacted)")
  if (d.redacted && (d.kind === 'changed' || d.kind === 'type_changed'))
    return makeCause(generalisePath(d.path), d.kind, 'redacted_differs');
  const t = valueTransform(d.path, differenceSide(d, 'legacy'), differenceSide(d, 'candidate'));
  return makeCause(generalisePath(d.path), d.kind, t.transform, t.detail);
}

/**
 * Classify the differences of one comparison together, index for index. Beyond
 * `classifyDifference`, this sees an array whose elements were swapped: when the
 * changed elements of one array hold, field by field, the same values in another
 * order, each of those differences is caused by `reordered` at the array's pattern.
 *
 * @example
 * classifyDifferences([
 *   { path: 'items[0].id', kind: 'changed', legacy: 1, candidate: 2 },
 *   { path: 'items[1].id', kind: 'changed', legacy: 2, candidate: 1 },
 * ]).map((c) => c.label); // ['items: same elements, different order', 'items: same elements, different order']
 */
export function classifyDifferences(ds: readonly Difference[]): DifferenceCause[] {
  const out = ds.map(classifyDifference);
  const segs = ds.map((d) => segmentsOf(d.path));
  const open = new Set<number>(ds.map((_, i) => i).filter((i) => ds[i].kind === 'changed' || ds[i].kind === 'type_changed'));
  for (let depth = 0; open.size > 1 && depth < 8; depth++) {
    const groups = groupByArray([...open], segs, depth);
    // no open difference is under `depth + 1` arrays: none is under more
    if (groups.size === 0) break;
    for (const [arrayPath, members] of groups) {
      if (!isReorder(members, ds, segs, arrayPath.length)) continue;
      const pattern = generalisePath(formatPath(arrayPath));
      for (const i of members) {
        out[i] = makeCause(pattern, ds[i].kind, 'reordered');
        open.delete(i);
      }
    }
  }
  return out;
}

/** A difference's path as segments, remembered per path (read only: the reorder check slices them, never changes them). */
const segmentsOf = memoisedByPath(parsePathLenient);

function makeCause(pattern: string, kind: Difference['kind'], transform: CauseTransform, detail?: string): DifferenceCause {
  const key = `${pattern}|${kind}|${transform}${detail === undefined ? '' : `:${detail}`}`;
  const cause: DifferenceCause = { key, pattern, kind, transform, label: `${pattern}: ${describeTransform({ transform, detail })}` };
  if (detail !== undefined) cause.detail = detail;
  return cause;
}

/** Differences grouped by the concrete path of the array at their `depth`-th numeric index. */
function groupByArray(open: number[], segs: PathSegment[][], depth: number): Map<PathSegment[], number[]> {
  const byKey = new Map<string, { path: PathSegment[]; members: number[] }>();
  for (const i of open) {
    let seen = -1;
    const at = segs[i].findIndex((s) => typeof s === 'number' && ++seen === depth);
    if (at < 0) continue;
    const path = segs[i].slice(0, at);
    const k = canonicalKey(path);
    (byKey.get(k) ?? byKey.set(k, { path, members: [] }).get(k)!).members.push(i);
  }
  return new Map([...byKey.values()].map((g) => [g.path, g.members]));
}

/** At least two elements changed, and per field below the element the legacy values are the candidate's permuted. */
function isReorder(members: number[], ds: readonly Difference[], segs: PathSegment[][], at: number): boolean {
  const indices = new Set(members.map((i) => segs[i][at]));
  if (indices.size < 2) return false;
  const byField = new Map<string, Map<string, number>>();
  for (const i of members) {
    const field = canonicalKey(segs[i].slice(at + 1));
    const counts = byField.get(field) ?? byField.set(field, new Map()).get(field)!;
    const l = canonicalKey(ds[i].legacy);
    const c = canonicalKey(ds[i].candidate);
    counts.set(l, (counts.get(l) ?? 0) + 1);
    counts.set(c, (counts.get(c) ?? 0) - 1);
  }
  for (const counts of byField.values()) for (const n of counts.values()) if (n !== 0) return false;
  return true;
}
