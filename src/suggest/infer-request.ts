import { deepEqual } from '../compare';
import type { Pair } from './pairs';
import { inferPaging, inferSort } from './infer-query-encoding';
import { MIN_SUPPORT, type Rule } from './rule';

/**
 * Request rules the pairs show (when the candidate was sent something else than the
 * client's request): path templates (`/api/v1/products/:id` → `/v2/products/:id`, path
 * parameters found by value), pagination and sort encodings (`page`/`limit` ↔
 * `offset`/`limit`, `sort`+`order` ↔ `-field`; see `inferPaging`, `inferSort`), and
 * renamed or dropped query parameters.
 *
 * @example
 * inferRequest(pairs); // [{ kind: 'path', text: '/api/v1/products/:id → /v2/products/:id', support: 90, of: 90, ... }]
 */
export function inferRequest(pairs: readonly Pair[]): Rule[] {
  const sent = pairs.filter((p) => p.candidateRequest);
  if (!sent.length) return [];
  const encodings = [inferPaging(sent), inferSort(sent)].filter((r): r is Rule => r !== null);
  // Parameters a paging or sort rule rewrites are not also renamed or dropped.
  const covered = new Set(encodings.flatMap((r) => r.data.params as string[]));
  return [...inferPaths(sent), ...encodings, ...inferQuery(sent, covered)];
}

function templatise(path: string, params: Record<string, string>): string {
  const byValue = new Map(Object.entries(params).map(([k, v]) => [encodeURIComponent(v), k]));
  return path
    .split('/')
    .map((seg) => (byValue.has(seg) ? `:${byValue.get(seg)}` : seg))
    .join('/');
}

function inferPaths(pairs: readonly Pair[]): Rule[] {
  const votes = new Map<string, { from: string; to: string; ids: string[] }>();
  let changed = 0;
  for (const p of pairs) {
    const from = templatise(p.request.path, p.request.params);
    const to = templatise(p.candidateRequest!.path, p.request.params);
    if (from === to) continue;
    changed++;
    const k = `${from} ${to}`;
    (votes.get(k) ?? votes.set(k, { from, to, ids: [] }).get(k)!).ids.push(p.id);
  }
  if (!changed) return [];
  // One rule per legacy template: its most frequent target.
  const best = new Map<string, { from: string; to: string; ids: string[] }>();
  for (const v of votes.values()) if ((best.get(v.from)?.ids.length ?? 0) < v.ids.length) best.set(v.from, v);
  return [...best.values()].map((v) => {
    const of = pairs.filter((p) => templatise(p.request.path, p.request.params) === v.from);
    const against = of.filter((p) => templatise(p.candidateRequest!.path, p.request.params) !== v.to);
    return {
      kind: 'path',
      text: `${v.from} → ${v.to}`,
      support: v.ids.length,
      of: of.length,
      counterexamples: against.slice(0, 3).map((p) => `${p.id}: ${p.candidateRequest!.path}`),
      data: { from: v.from, to: v.to },
    };
  });
}

function inferQuery(pairs: readonly Pair[], covered: ReadonlySet<string>): Rule[] {
  const rules: Rule[] = [];
  const legacyNames = new Set(pairs.flatMap((p) => Object.keys(p.request.query)));
  for (const name of legacyNames) {
    if (covered.has(name)) continue;
    const have = pairs.filter((p) => Object.hasOwn(p.request.query, name));
    if (have.every((p) => deepEqual(p.candidateRequest!.query[name], p.request.query[name]))) continue;
    const targets = new Map<string, number>();
    for (const p of have) {
      for (const [k, v] of Object.entries(p.candidateRequest!.query))
        if (k !== name && !covered.has(k) && !Object.hasOwn(p.request.query, k) && deepEqual(v, p.request.query[name]))
          targets.set(k, (targets.get(k) ?? 0) + 1);
    }
    const [to, n] = [...targets.entries()].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
    if (to !== undefined && n / have.length >= MIN_SUPPORT) {
      rules.push({
        kind: 'query_rename',
        text: `query ${name} → ${to}`,
        support: n,
        of: have.length,
        counterexamples: [],
        data: { from: name, to },
      });
      continue;
    }
    const dropped = have.filter((p) => !Object.hasOwn(p.candidateRequest!.query, name)).length;
    if (dropped / have.length >= MIN_SUPPORT)
      rules.push({
        kind: 'query_drop',
        text: `query ${name} dropped`,
        support: dropped,
        of: have.length,
        counterexamples: [],
        data: { name },
      });
  }
  return rules;
}
