import type { Query } from '../records';
import { combineSort, readPosition, splitSort, type PagingScheme, type Position } from '../kit';
import { deepEqual } from '../compare';
import type { Pair } from './pairs';
import { MIN_SUPPORT, type Rule } from './rule';

/** Parameter names the usual pagination schemes use (REST conventions, json-server's `_page`/`_start`/`_limit`/`_per_page`). */
const PAGE = ['page', '_page', 'p', 'pageNumber'];
const OFFSET = ['offset', '_start', 'skip', 'start'];
const SIZE = ['limit', 'per_page', '_limit', '_per_page', 'size', 'page_size', 'pageSize', 'perPage'];
/** Sort as a field and a direction, or as one signed list (`-price`). */
const SORT_FIELD = ['sort', '_sort', 'sort_by', 'sortBy', 'orderBy', 'order_by'];
const SORT_ORDER = ['order', '_order', 'direction', 'dir', 'sort_order', 'sortOrder'];

type Scheme = Extract<PagingScheme, { style: 'page' | 'offset' }>;

/** Every page or offset scheme whose position parameter the query names (with each size parameter it names, or `limit`). */
function schemesIn(q: Query): Scheme[] {
  const has = (n: string) => Object.hasOwn(q, n);
  const sizes = SIZE.filter(has);
  const out: Scheme[] = [];
  for (const size of sizes.length ? sizes : ['limit']) {
    for (const page of PAGE.filter(has)) out.push({ style: 'page', page, size });
    for (const offset of OFFSET.filter(has)) out.push({ style: 'offset', offset, size });
  }
  return out;
}

const nameOf = (s: Scheme) => `${s.style === 'page' ? s.page : s.offset}/${s.size}`;
const paramsOf = (s: Scheme) => [s.style === 'page' ? s.page! : s.offset!, s.size!];

function position(q: Query, s: Scheme): Position | undefined {
  if (!Object.hasOwn(q, paramsOf(s)[0])) return undefined;
  try {
    return readPosition(q, s);
  } catch {
    return undefined;
  }
}

/**
 * Pagination re-encoded between the two requests (`page`/`limit` ↔ `offset`/`limit`,
 * `_page`/`_limit` ↔ `_start`/`_limit`, ...): for each pair whose client request names a
 * paging scheme, the candidate's request names another that reads as the same position.
 * One rule, the best-supported pair of schemes, with n of m (m: pairs whose client
 * request uses that scheme) and counterexamples.
 *
 * @example
 * inferPaging(pairs)?.text; // 'pagination page/limit → offset/limit'
 */
export function inferPaging(pairs: readonly Pair[]): Rule | null {
  const votes = new Map<string, { from: Scheme; to: Scheme; ids: string[] }>();
  for (const p of pairs) {
    const cq = p.candidateRequest!.query;
    for (const from of schemesIn(p.request.query)) {
      const at = position(p.request.query, from);
      if (!at) continue;
      for (const to of schemesIn(cq)) {
        if (nameOf(to) === nameOf(from)) continue;
        const there = position(cq, to);
        if (!there || there.offset !== at.offset || (there.size ?? at.size) !== at.size) continue;
        const k = `${nameOf(from)} ${nameOf(to)}`;
        const v = votes.get(k) ?? votes.set(k, { from, to, ids: [] }).get(k)!;
        if (!v.ids.includes(p.id)) v.ids.push(p.id);
      }
    }
  }
  const best = [...votes.values()].sort((a, b) => b.ids.length - a.ids.length)[0];
  if (!best) return null;
  const uses = pairs.filter((p) => position(p.request.query, best.from));
  if (best.ids.length / uses.length < MIN_SUPPORT) return null;
  const against = uses.filter((p) => !best.ids.includes(p.id));
  return {
    kind: 'paging',
    text: `pagination ${nameOf(best.from)} → ${nameOf(best.to)}`,
    support: best.ids.length,
    of: uses.length,
    counterexamples: against
      .slice(0, 3)
      .map((p) => `${p.id}: ${JSON.stringify(p.request.query)} vs ${JSON.stringify(p.candidateRequest!.query)}`),
    data: { from: best.from, to: best.to, params: [...new Set([...paramsOf(best.from), ...paramsOf(best.to)])] },
  };
}

/**
 * Sort re-encoded between the two requests: a field and a direction (`sort=price&order=desc`)
 * against one signed list (`sort=-price`), either way, found by running the kit's own
 * `combineSort` / `splitSort` on the client's query. n of m: m is the pairs whose client
 * request names the sort.
 *
 * @example
 * inferSort(pairs)?.text; // 'sort sort + order → signed sort (-field)'
 */
export function inferSort(pairs: readonly Pair[]): Rule | null {
  const votes = new Map<string, { combine: boolean; field: string; order: string; into: string; ids: string[] }>();
  const vote = (p: Pair, combine: boolean, field: string, order: string, into: string) => {
    const k = `${combine} ${field} ${order} ${into}`;
    const v = votes.get(k) ?? votes.set(k, { combine, field, order, into, ids: [] }).get(k)!;
    v.ids.push(p.id);
  };
  for (const p of pairs) {
    const q = p.request.query;
    const cq = p.candidateRequest!.query;
    for (const field of SORT_FIELD) {
      for (const order of SORT_ORDER) {
        for (const into of SORT_FIELD) {
          if (Object.hasOwn(q, field) && Object.hasOwn(q, order) && !Object.hasOwn(cq, order) && Object.hasOwn(cq, into)) {
            if (deepEqual(combineSort({ field, order, into })(q)[into], cq[into])) vote(p, true, field, order, into);
          }
          if (
            Object.hasOwn(q, into) &&
            !Object.hasOwn(q, order) &&
            Object.hasOwn(cq, field) &&
            Object.hasOwn(cq, order) &&
            /(^|,)-/.test(String(q[into]))
          ) {
            const split = splitSort({ field, order, into })(q);
            if (deepEqual(split[field], cq[field]) && deepEqual(split[order], cq[order])) vote(p, false, field, order, into);
          }
        }
      }
    }
  }
  const best = [...votes.values()].sort((a, b) => b.ids.length - a.ids.length)[0];
  if (!best) return null;
  const uses = pairs.filter(
    (p) =>
      Object.hasOwn(p.request.query, best.combine ? best.order : best.into) &&
      (best.combine || /(^|,)-/.test(String(p.request.query[best.into]))),
  );
  if (best.ids.length / uses.length < MIN_SUPPORT) return null;
  const text = best.combine
    ? `sort ${best.field} + ${best.order} → signed ${best.into} (-field)`
    : `sort signed ${best.into} (-field) → ${best.field} + ${best.order}`;
  const against = uses.filter((p) => !best.ids.includes(p.id));
  return {
    kind: 'sort',
    text,
    support: best.ids.length,
    of: uses.length,
    counterexamples: against
      .slice(0, 3)
      .map((p) => `${p.id}: ${JSON.stringify(p.request.query)} vs ${JSON.stringify(p.candidateRequest!.query)}`),
    data: { combine: best.combine, field: best.field, order: best.order, into: best.into, params: [best.field, best.order, best.into] },
  };
}
