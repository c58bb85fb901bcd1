import type { ComparisonResult, ExchangeRecord, ResultClass, Risk } from '../../src/records';
import { encodeBody } from '../../src/records';
import type { ResultsStore } from '../../src/store';

/** A plain JSON response record. */
export function jsonResponse(status: number, body: unknown) {
  return { status, headers: { 'content-type': 'application/json' }, body: encodeBody(Buffer.from(JSON.stringify(body))), durationMs: 1 };
}

/** A stored-exchange record as the worker would see it. */
export function fakeExchange(o: {
  id: string;
  route: string;
  at: number;
  customer?: string;
  legacy?: unknown;
  candidate?: unknown;
  path?: string;
}): ExchangeRecord {
  return {
    id: o.id,
    route: o.route,
    customer: o.customer ?? 'anonymous',
    at: o.at,
    requestId: `req-${o.id}`,
    request: { method: 'GET', path: o.path ?? `/products/${o.id}`, query: {}, headers: { 'x-request-id': `req-${o.id}` }, body: null },
    params: {},
    legacy: jsonResponse(200, o.legacy ?? { id: o.id, price: 10 }),
    candidateRequest: { method: 'GET', path: o.path ?? `/v2/products/${o.id}`, query: {}, headers: {}, body: null },
    candidate: jsonResponse(200, o.candidate ?? { id: o.id, price: 11 }),
  };
}

/** A comparison result of a class; mismatches get a signature, risk and one difference per path. */
export function fakeResult(cls: ResultClass, o: { paths?: string[]; risk?: Risk } = {}): ComparisonResult {
  if (cls !== 'mismatch') return { class: cls, differences: [], noise: [], suspectedNoise: [] };
  const paths = o.paths ?? ['price'];
  return {
    class: 'mismatch',
    risk: o.risk ?? 'medium',
    signature: [...paths].sort().join(','),
    differences: paths.map((p) => ({ path: p, kind: 'changed' as const, legacy: 10, candidate: 11 })),
    noise: [],
    suspectedNoise: [],
  };
}

/** Record one result directly through the store (what the worker does after comparing). */
export function recordOne(store: ResultsStore, ex: ExchangeRecord, result: ComparisonResult) {
  return store.record(ex, result, { fieldPaths: result.differences.map((d) => d.path), noisePaths: [] });
}

/** Record `n` results in parallel batches of `batch`. */
export async function recordMany(
  store: ResultsStore,
  n: number,
  make: (i: number) => [ExchangeRecord, ComparisonResult],
  batch = 500,
): Promise<void> {
  for (let start = 0; start < n; start += batch) {
    const jobs: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const [ex, res] = make(i);
      jobs.push(recordOne(store, ex, res));
    }
    await Promise.all(jobs);
  }
}
