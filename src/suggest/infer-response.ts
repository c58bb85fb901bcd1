import { canonicalKey, deepEqual } from '../compare';
import { valueTransform } from '../compare/cause-transform';
import { isRecord } from '../kit/compose';
import type { Pair } from './pairs';
import { MIN_SUPPORT, type Rule } from './rule';
import { inferMoves, type RecordPair } from './infer-moves';

type Rec = Record<string, unknown>;

/**
 * Response rules the pairs show, legacy against the candidate's raw answer: envelopes,
 * arrays reordered by a key, renamed fields, merged fields, type changes, fields only the
 * candidate has (to drop) or only legacy has (no translator can invent them), error bodies.
 *
 * @example
 * inferResponse(pairs).map((r) => r.text); // ['title → name', 'drop sku (only the candidate has it)']
 */
export function inferResponse(pairs: readonly Pair[]): Rule[] {
  const ok = pairs.filter(
    (p) => p.legacy.json && p.candidate.json && p.legacy.status < 300 && p.candidate.status < 300 && p.legacy.status >= 200,
  );
  const rules: Rule[] = [];
  const envelope = inferEnvelope(ok);
  if (envelope) rules.push(envelope);
  const items = envelope?.data.items as string | undefined;
  const records: RecordPair[] = [];
  const reorder = new Map<string, { yes: number; of: number }>();
  for (const p of ok) {
    const c = items && Array.isArray(p.legacy.body) && isRecord(p.candidate.body) ? p.candidate.body[items] : p.candidate.body;
    if (isRecord(p.legacy.body) && isRecord(c)) records.push({ id: p.id, l: p.legacy.body, c });
    else if (Array.isArray(p.legacy.body) && Array.isArray(c)) records.push(...alignLists(p.id, p.legacy.body, c, reorder));
  }
  for (const [key, v] of reorder)
    if (v.yes > 0 && v.yes / v.of >= 0.5)
      rules.push({
        kind: 'reorder',
        text: `lists in another order, same elements by "${key}"`,
        support: v.yes,
        of: v.of,
        counterexamples: [],
        data: { key },
      });
  rules.push(...inferFields(records), ...inferErrors(pairs));
  return rules;
}

function inferEnvelope(ok: readonly Pair[]): Rule | null {
  const shaped = ok.filter((p) => Array.isArray(p.legacy.body) && isRecord(p.candidate.body));
  if (!shaped.length) return null;
  const votes = new Map<string, number>();
  for (const p of shaped)
    for (const [k, v] of Object.entries(p.candidate.body as Rec)) if (Array.isArray(v)) votes.set(k, (votes.get(k) ?? 0) + 1);
  const [items, n] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (!items) return null;
  const totals = new Map<string, number>();
  for (const p of shaped) {
    const header = p.legacy.headers['x-total-count'];
    for (const [k, v] of Object.entries(p.candidate.body as Rec))
      if (
        k !== items &&
        (typeof v === 'number' || typeof v === 'object') &&
        v !== null &&
        String((v as { value?: unknown }).value ?? v) === String(header ?? (p.legacy.body as unknown[]).length)
      )
        totals.set(k, (totals.get(k) ?? 0) + 1);
  }
  const total = [...totals.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    kind: 'envelope',
    text: `candidate wraps the list in { ${items}${total ? `, ${total}` : ''} }`,
    support: n,
    of: ok.length,
    counterexamples: [],
    data: { items, total },
  };
}

/** Pair list elements by a shared unique key (preferring `id`), else by position; count reorders. */
function alignLists(id: string, l: unknown[], c: unknown[], reorder: Map<string, { yes: number; of: number }>): RecordPair[] {
  const lr = l.filter(isRecord);
  const cr = c.filter(isRecord);
  const keyOf = (r: Rec, k: string) => canonicalKey(r[k]);
  const candidates = lr.length ? Object.keys(lr[0]).sort((a, b) => (b === 'id' ? 1 : 0) - (a === 'id' ? 1 : 0)) : [];
  const key = candidates.find((k) => {
    const ls = new Set(lr.map((r) => keyOf(r, k)));
    return ls.size === lr.length && cr.length === lr.length && cr.every((r) => Object.hasOwn(r, k) && ls.has(keyOf(r, k)));
  });
  if (!key) return lr.slice(0, cr.length).map((r, i) => ({ id, l: r, c: cr[i] }));
  const v = reorder.get(key) ?? reorder.set(key, { yes: 0, of: 0 }).get(key)!;
  v.of++;
  if (lr.some((r, i) => keyOf(r, key) !== keyOf(cr[i], key))) v.yes++;
  const byKey = new Map(cr.map((r) => [keyOf(r, key), r]));
  return lr.map((r) => ({ id, l: r, c: byKey.get(keyOf(r, key))! }));
}

function inferFields(records: readonly RecordPair[]): Rule[] {
  const rules: Rule[] = [];
  const used = { l: new Set<string>(), c: new Set<string>() };
  const onlyL = (r: RecordPair) => Object.keys(r.l).filter((k) => !Object.hasOwn(r.c, k));
  const onlyC = (r: RecordPair) => Object.keys(r.c).filter((k) => !Object.hasOwn(r.l, k));
  const legacyOnly = new Set(records.flatMap(onlyL));
  const candOnly = new Set(records.flatMap(onlyC));
  for (const a of legacyOnly) {
    const have = records.filter((r) => Object.hasOwn(r.l, a));
    let best: { b: string; n: number; bad: string[] } | null = null;
    for (const b of candOnly) {
      if (used.c.has(b)) continue;
      const bad = have
        .filter((r) => !deepEqual(r.l[a], r.c[b]))
        .map((r) => `${r.id}: ${a}=${JSON.stringify(r.l[a])} vs ${b}=${JSON.stringify(r.c[b])}`);
      const n = have.length - bad.length;
      if (!best || n > best.n) best = { b, n, bad };
    }
    if (best && best.n / have.length >= MIN_SUPPORT) {
      rules.push({
        kind: 'rename',
        text: `candidate ${best.b} is legacy ${a}`,
        support: best.n,
        of: have.length,
        counterexamples: best.bad,
        data: { from: best.b, to: a },
      });
      used.l.add(a);
      used.c.add(best.b);
      continue;
    }
    const join = bestJoin(
      a,
      have,
      [...candOnly].filter((b) => !used.c.has(b)),
    );
    if (join) {
      rules.push(join);
      used.l.add(a);
      (join.data.from as string[]).forEach((b) => used.c.add(b));
    }
  }
  rules.push(...inferMoves(records, used), ...inferTypes(records));
  for (const b of candOnly) {
    if (used.c.has(b)) continue;
    const n = records.filter((r) => Object.hasOwn(r.c, b) && !Object.hasOwn(r.l, b)).length;
    rules.push({
      kind: 'drop',
      text: `only the candidate has ${b}`,
      support: n,
      of: records.length,
      counterexamples: [],
      data: { name: b },
    });
  }
  for (const a of legacyOnly) {
    if (used.l.has(a)) continue;
    const n = records.filter((r) => Object.hasOwn(r.l, a) && !Object.hasOwn(r.c, a)).length;
    rules.push({
      kind: 'missing',
      text: `only legacy has ${a}: the candidate must send it (no translator can invent it)`,
      support: n,
      of: records.length,
      counterexamples: [],
      data: { name: a },
    });
  }
  return rules;
}

/** `a` = non-null parts of two candidate fields joined by a space. */
function bestJoin(a: string, have: readonly RecordPair[], cand: string[]): Rule | null {
  const join = (x: unknown, y: unknown) =>
    [x, y]
      .filter((v) => v !== null && v !== undefined)
      .map((v) => String(v).trim())
      .filter(Boolean)
      .join(' ');
  for (const b of cand) {
    for (const c of cand) {
      if (b === c) continue;
      const n = have.filter((r) => typeof r.l[a] === 'string' && typeof r.c[b] === 'string' && join(r.c[b], r.c[c]) === r.l[a]).length;
      if (n && n / have.length >= MIN_SUPPORT)
        return {
          kind: 'join',
          text: `legacy ${a} = ${b} + " " + ${c}`,
          support: n,
          of: have.length,
          counterexamples: [],
          data: { from: [b, c], to: a },
        };
    }
  }
  return null;
}

function inferTypes(records: readonly RecordPair[]): Rule[] {
  const rules: Rule[] = [];
  const common = new Set(records.flatMap((r) => Object.keys(r.l).filter((k) => Object.hasOwn(r.c, k))));
  for (const k of common) {
    const both = records.filter((r) => Object.hasOwn(r.l, k) && Object.hasOwn(r.c, k) && r.l[k] !== null && r.c[k] !== null);
    const retyped = both.filter(
      (r) => valueTransform(k, r.l[k], r.c[k]).transform === 'same_value_retyped' && typeof r.l[k] !== typeof r.c[k],
    );
    if (!retyped.length || retyped.length / both.length < MIN_SUPPORT) continue;
    const detail = valueTransform(k, retyped[0].l[k], retyped[0].c[k]).detail ?? '';
    const decimals = new Set(retyped.map((r) => (typeof r.l[k] === 'string' ? ((r.l[k] as string).split('.')[1] ?? '').length : -1)));
    const fixed =
      detail === 'string to number' && decimals.size === 1 && retyped.some((r) => String(r.c[k]) !== r.l[k]) ? [...decimals][0] : undefined;
    rules.push({
      kind: 'coerce',
      text: `${k}: legacy ${detail.split(' to ')[0]}, candidate ${detail.split(' to ')[1]}, same value`,
      support: retyped.length,
      of: both.length,
      counterexamples: [],
      data: { name: k, detail, fixed },
    });
  }
  return rules;
}

function inferErrors(pairs: readonly Pair[]): Rule[] {
  const byStatus = new Map<number, Pair[]>();
  for (const p of pairs)
    if (p.legacy.status >= 400 && p.legacy.status === p.candidate.status && !deepEqual(p.legacy.body, p.candidate.body))
      (byStatus.get(p.legacy.status) ?? byStatus.set(p.legacy.status, []).get(p.legacy.status)!).push(p);
  return [...byStatus.entries()].flatMap(([status, ps]) => {
    const body = ps[0].legacy.body;
    const n = ps.filter((p) => deepEqual(p.legacy.body, body)).length;
    return n / ps.length >= MIN_SUPPORT
      ? [
          {
            kind: 'error_body' as const,
            text: `${status}: legacy answers ${JSON.stringify(body)}`,
            support: n,
            of: ps.length,
            counterexamples: [],
            data: { status, body },
          },
        ]
      : [];
  });
}
