import { shareOfCompared, type ResultsReader } from '../store';

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
export async function rootCauses(
  store: ResultsReader,
  route: string,
  limit: number,
): Promise<{ compared: number; total: number; overCap: number; causes: RootCause[] }> {
  const [counts, counters] = await Promise.all([store.causeCounts(route), store.counters([route])]);
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit);
  const { overCap, details } = await store.causeDetails(
    route,
    top.map(([key]) => key),
  );
  const n = Number(counters[route]?.compared ?? 0);
  const causes = top.map(([key, count], i): RootCause => {
    const { cause, first, last, examples, customers } = details[i];
    const c = parse<Partial<RootCause>>(cause, {});
    return {
      key,
      label: c.label ?? key,
      pattern: c.pattern ?? '',
      kind: c.kind ?? '',
      transform: c.transform ?? '',
      ...(c.detail ? { detail: c.detail } : {}),
      count,
      share: shareOfCompared(count, n),
      firstSeen: first,
      lastSeen: last,
      customers,
      examples: parse<{ id: string; d: string }[]>(examples, []).map((e) => ({ id: e.id, ...parse<{ path: string }>(e.d, { path: '' }) })),
    };
  });
  return { compared: n, total: Object.keys(counts).length, overCap, causes };
}

function parse<T>(json: string | null | undefined, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}
