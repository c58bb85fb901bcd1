import type { ComparisonResult, ExchangeRecord } from '../../../src/records';
import { encodeBody } from '../../../src/records';

const FIELDS = ['price', 'currency', 'stock', 'title', 'tags', 'rating', 'sku', 'weight', 'color', 'size'];

/**
 * A realistic mismatching exchange `n` on `route`: JSON bodies of about `bodyBytes`
 * each, one or two differing fields from a fixed set (so signatures stay few, as in
 * real traffic), a customer out of 50, and values that differ per `n` (so no two are
 * duplicates).
 *
 * @example
 * const { exchange, result, extra } = sampleMismatch('product', 7, 600);
 * await store.record(exchange, result, extra);
 */
export function sampleMismatch(route: string, n: number, bodyBytes = 600, at = Date.now()) {
  const field = FIELDS[n % FIELDS.length];
  const second = n % 3 === 0 ? FIELDS[(n + 3) % FIELDS.length] : undefined;
  const pad = 'x'.repeat(Math.max(0, bodyBytes - 200));
  const legacyBody: Record<string, unknown> = { id: n, [field]: n, ...(second ? { [second]: 'a' } : {}), description: pad };
  const candidateBody: Record<string, unknown> = { id: n, [field]: n + 1, ...(second ? { [second]: 'b' } : {}), description: pad };
  const json = (v: unknown) => encodeBody(Buffer.from(JSON.stringify(v)));
  const headers = { 'content-type': 'application/json' };
  const exchange: ExchangeRecord = {
    id: `${at.toString(36)}-${route}-${n}`,
    route,
    customer: `customer-${n % 50}`,
    at,
    requestId: `req-${n}`,
    params: { id: String(n) },
    request: { method: 'GET', path: `/products/${n}`, query: {}, headers: { accept: 'application/json' }, body: null },
    legacy: { status: 200, headers, body: json(legacyBody), durationMs: 3 },
    candidateRequest: {
      method: 'GET',
      path: `/v2/products/${n}`,
      query: {},
      headers: { accept: 'application/json', 'x-tandem-shadow': '1' },
      body: null,
    },
    candidate: { status: 200, headers, body: json(candidateBody), durationMs: 4 },
  };
  const paths = second ? [field, second].sort() : [field];
  const result: ComparisonResult = {
    class: 'mismatch',
    risk: field === 'price' || field === 'currency' ? 'high' : 'medium',
    differences: paths.map((p) => ({ path: p, kind: 'changed' as const, legacy: legacyBody[p], candidate: candidateBody[p] })),
    noise: [],
    suspectedNoise: [],
    signature: paths.join(','),
  };
  return { exchange, result, extra: { fieldPaths: paths, noisePaths: [] as string[] } };
}
