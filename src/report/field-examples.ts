import { generalisePath } from '../compare';
import type { ResultsReader } from '../store';
import { requestLine } from './request-line';

/**
 * A stored mismatch where a field differed: when, who, the request, and the field's
 * differences there (concrete path, kind, legacy and candidate values).
 *
 * @example
 * const e: FieldExample = { id: 'lx1-abc', at: 1717000000000, customer: 'acme', requestLine: 'GET /p/1?x=1',
 *   differences: [{ path: 'items[3].price', kind: 'changed', legacy: 12.5, candidate: 12.51 }] };
 */
export interface FieldExample {
  id: string;
  at: number;
  customer: string;
  requestLine: string;
  differences: { path: string; kind: string; legacy?: unknown; candidate?: unknown }[];
}

/** True when a generalised difference path is the field or lies below it. */
function under(field: string, path: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/**
 * The newest stored mismatches where a field (a generalised path of the field tree,
 * e.g. `items[*].price`, or a parent such as `items`) differs, at most `limit`, read
 * through the signature indexes of the signatures that contain it.
 *
 * @example
 * const { total, items } = await fieldExamples(store, 'product', 'price', 20);
 */
export async function fieldExamples(
  store: ResultsReader,
  route: string,
  field: string,
  limit: number,
): Promise<{ total: number; items: FieldExample[] }> {
  const sigs = (await store.signatures(route)).filter((s) => s.signature.split('|').some((p) => under(field, p)));
  const total = sigs.reduce((n, s) => n + s.count, 0);
  if (!sigs.length) return { total, items: [] };
  const scored = await store.signatureSamples(
    route,
    sigs.map((s) => s.signature),
    limit,
  );
  scored.sort((a, b) => b[1] - a[1]);
  const records = await store.mismatches([...new Set(scored.map(([id]) => id))].slice(0, limit));
  const items = records.map((m) => ({
    id: m.exchange.id,
    at: m.exchange.at,
    customer: m.exchange.customer,
    requestLine: requestLine(m.exchange.request),
    differences: m.result.differences
      .filter((d) => under(field, generalisePath(d.path)))
      .map(({ path, kind, legacy, candidate }) => ({ path, kind, legacy, candidate })),
  }));
  return { total, items };
}
