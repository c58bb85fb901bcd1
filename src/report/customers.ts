import type { ResultsReader } from '../store';
import { matchFigures } from './queries';

/**
 * One customer on one route: volume and match rate, to judge who is ready to opt in.
 *
 * @example
 * const { items }: { items: CustomerRow[] } = await customerRows(store, ['product'], { offset: 0, limit: 100 });
 */
export interface CustomerRow {
  customer: string;
  route: string;
  compared: number;
  match: number;
  mismatch: number;
  noise: number;
  errors: number;
  matchRate: number | null;
}

/**
 * Which rows to return.
 *
 * @example
 * const q: CustomerQuery = { route: 'product', offset: 0, limit: 200 };
 */
export interface CustomerQuery {
  route?: string;
  customer?: string;
  offset: number;
  limit: number;
}

/**
 * Per customer, per route rows from the per-customer counters the record script keeps
 * (fields `<customer>|<class>`; customers past the route's cap count as `(other)`), sorted by customer then by
 * volume, paginated.
 *
 * @example
 * const { total, items } = await customerRows(store, ['product'], { offset: 0, limit: 100 });
 */
export async function customerRows(
  store: ResultsReader,
  routes: string[],
  q: CustomerQuery,
): Promise<{ total: number; items: CustomerRow[] }> {
  const names = q.route ? routes.filter((r) => r === q.route) : routes;
  const replies = await store.customerCounters(names);
  const rows: CustomerRow[] = [];
  names.forEach((route, i) => {
    const byCustomer = new Map<string, Record<string, number>>();
    for (const [field, n] of Object.entries(replies[i])) {
      const cut = field.lastIndexOf('|');
      const customer = field.slice(0, cut);
      if (q.customer !== undefined && customer !== q.customer) continue;
      const c = byCustomer.get(customer) ?? {};
      c[field.slice(cut + 1)] = Number(n);
      byCustomer.set(customer, c);
    }
    for (const [customer, c] of byCustomer) rows.push(toRow(customer, route, c));
  });
  rows.sort((a, b) => a.customer.localeCompare(b.customer) || b.compared - a.compared || a.route.localeCompare(b.route));
  return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit) };
}

function toRow(customer: string, route: string, c: Record<string, number>): CustomerRow {
  const f = matchFigures(c);
  return {
    customer,
    route,
    compared: c.compared ?? 0,
    match: c.match ?? 0,
    mismatch: c.mismatch ?? 0,
    noise: c.noise_only ?? 0,
    errors: f.errors,
    matchRate: f.rate,
  };
}
