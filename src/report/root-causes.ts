import type { ResultsStore } from '../store';
import { reportKeys } from './report-keys';

/**
 * One root cause of a route's mismatches: what changed (pattern, kind, transformation,
 * label), how often (mismatches with it, and their share of all comparisons), when
 * (first and last seen), for whom (distinct customers, estimated), and examples.
 *
 * @example
 * const c: RootCause = { key: 'price|changed|value_changed', label: 'price: value changed', pattern: 'price', kind: 'changed',
 *   transform: 'value_changed', count: 38, share: 0.19, firstSeen: 1, lastSeen: 2, customers: 3,
 *   examples: [{ id: 'lx1-abc', path: 'price', legacy: 10, candidate: 11 }] };
 */
export interface RootCause {
  key: string;
  label: string;
  pattern: string;
  kind: string;
  transform: string;
  detail?: string;
  count: number;
  /** count / compared comparisons of the route (null before any). */
  share: number | null;
  firstSeen: number;
  lastSeen: number;
  /** Distinct customers with this cause (HyperLogLog estimate, exact for small counts). */
  customers: number;
  examples: { id: string; path: string; legacy?: unknown; candidate?: unknown }[];
}

/**
 * A route's root causes, most frequent first, at most `limit`; `overCap` counts
 * mismatches whose cause came after the route already had the maximum of distinct causes.
 *
 * @example
 * const { causes } = await rootCauses(store, 'product', 100);
 */
export async function rootCauses(store: ResultsStore, route: string, limit: number): Promise<{ compared: number; total: number; overCap: number; causes: RootCause[] }> {
  const k = reportKeys(store.keys);
  const [counts, compared] = await Promise.all([store.redis.hgetall(k.causes(route)), store.redis.hget(store.keys.counters(route), 'compared')]);
  const top = Object.entries(counts).map(([key, n]) => [key, Number(n)] as const).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
  const pipe = store.redis.pipeline();
  pipe.hget(k.causeMeta(route), '|over_cap');
  for (const [key] of top) {
    pipe.hmget(k.causeMeta(route), `${key}|cause`, `${key}|first`, `${key}|last`, `${key}|examples`);
    pipe.pfcount(k.causeCustomers(route, key));
  }
  const replies = ((await pipe.exec()) ?? []).map(([, v]) => v);
  const n = Number(compared ?? 0);
  const causes = top.map(([key, count], i): RootCause => {
    const [cause, first, last, examples] = (replies[1 + i * 2] ?? []) as (string | null)[];
    const c = parse<Partial<RootCause>>(cause, {});
    return {
      key, label: c.label ?? key, pattern: c.pattern ?? '', kind: c.kind ?? '', transform: c.transform ?? '', ...(c.detail ? { detail: c.detail } : {}),
      count, share: n ? count / n : null, firstSeen: Number(first ?? 0), lastSeen: Number(last ?? 0), customers: Number(replies[2 + i * 2] ?? 0),
      examples: parse<{ id: string; d: string }[]>(examples, []).map((e) => ({ id: e.id, ...parse<{ path: string }>(e.d, { path: '' }) })),
    };
  });
  return { compared: n, total: Object.keys(counts).length, overCap: Number(replies[0] ?? 0), causes };
}

function parse<T>(json: string | null | undefined, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}
