import { canonicalKey, deepEqual } from '../compare';
import { isRecord } from '../kit/compose';
import { MIN_SUPPORT, type Rule } from './rule';

/** One legacy record beside the candidate's, from the exchange `id` (a list answer gives several). */
export interface RecordPair {
  id: string;
  l: Record<string, unknown>;
  c: Record<string, unknown>;
}

/** Leaf values of a record by dot path (nested records walked, bounded in depth and count; arrays are leaves). */
function leaves(v: unknown, prefix = '', depth = 0, out = new Map<string, unknown>()): Map<string, unknown> {
  if (!isRecord(v) || depth >= 4) {
    if (prefix && out.size < 200) out.set(prefix, v);
    return out;
  }
  for (const [k, x] of Object.entries(v)) if (!k.includes('.')) leaves(x, prefix ? `${prefix}.${k}` : k, depth + 1, out);
  return out;
}

const top = (path: string) => path.split('.')[0];
const parent = (path: string) => path.slice(0, path.lastIndexOf('.'));

/**
 * Fields moved into or out of a nested object: a legacy leaf (`price`, `dimensions.width`)
 * whose value is, in at least `MIN_SUPPORT` of the pairs that have it, the candidate's
 * leaf at another depth or under another parent (`pricing.amount`, `width`). Plain
 * top-level renames are left to the rename rule; fields already explained are skipped.
 * A value that is the same in every pair is no evidence (a constant matches anything).
 * Marks a flat candidate field moved away, and a legacy object all of whose fields were
 * found, as explained.
 */
export function inferMoves(records: readonly RecordPair[], used: { l: Set<string>; c: Set<string> }): Rule[] {
  // One entry per record pair (a list answer gives several pairs with the exchange's id).
  const maps = records.slice(0, 2000).map((r, n) => ({ n, id: r.id, l: leaves(r.l), c: leaves(r.c) }));
  const onlyL = new Set<string>();
  const onlyC = new Set<string>();
  for (const m of maps) {
    for (const k of m.l.keys()) if (!m.c.has(k) && !used.l.has(top(k)) && onlyL.size < 300) onlyL.add(k);
    for (const k of m.c.keys()) if (!m.l.has(k) && !used.c.has(top(k)) && onlyC.size < 300) onlyC.add(k);
  }
  const rules: Rule[] = [];
  const moved = new Set<string>();
  for (const a of onlyL) {
    const have = maps.filter((m) => m.l.has(a));
    let best: { b: string; ok: Set<number>; values: Set<string> } | null = null;
    for (const b of onlyC) {
      if (moved.has(b) || (!a.includes('.') && !b.includes('.'))) continue;
      const ok = have.filter((m) => m.c.has(b) && deepEqual(m.l.get(a), m.c.get(b)));
      if (!best || ok.length > best.ok.size)
        best = { b, ok: new Set(ok.map((m) => m.n)), values: new Set(ok.map((m) => canonicalKey(m.l.get(a)))) };
    }
    if (!best || best.ok.size / have.length < MIN_SUPPORT || (best.ok.size > 1 && best.values.size < 2)) continue;
    const { b } = best;
    moved.add(b);
    const how =
      b.includes('.') && !a.startsWith(`${parent(b)}.`) ? `moved out of ${parent(b)}` : `moved into ${parent(a) || 'the top level'}`;
    const against = have.filter((m) => !best.ok.has(m.n));
    rules.push({
      kind: 'move',
      text: `candidate ${b} is legacy ${a} (${how})`,
      support: best.ok.size,
      of: have.length,
      counterexamples: against.slice(0, 3).map((m) => `${m.id}: ${a}=${JSON.stringify(m.l.get(a))} vs ${b}=${JSON.stringify(m.c.get(b))}`),
      data: { from: b, to: a },
    });
  }
  const found = new Set(rules.map((r) => r.data.to as string));
  for (const r of rules) if (!(r.data.from as string).includes('.')) used.c.add(r.data.from as string);
  for (const t of new Set([...found].map(top))) if ([...onlyL].filter((k) => top(k) === t).every((k) => found.has(k))) used.l.add(t);
  return rules;
}
