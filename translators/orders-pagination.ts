import { defineTranslator } from '../src/translate/define-translator';
import type { Query } from '../src/records';
import { isRecord, isSuccess } from './support';

/**
 * The page size legacy used without `limit`; sent explicitly so the candidate's default cannot differ.
 *
 * @example
 * // GET /orders?page=2 → GET /orders?offset=20&limit=20
 */
export const LEGACY_DEFAULT_LIMIT = 20;

/**
 * Legacy pages with a 1-based `page` and `limit` and answers a bare array with the
 * total in `x-total-count`; the candidate takes `offset`/`limit` and answers
 * `{ items, total }`.
 *
 * - request: `page=3&limit=10` → `offset=20&limit=10`; missing `page` is 1, missing
 *   `limit` is `LEGACY_DEFAULT_LIMIT`; repeated values use the first; other query
 *   parameters are kept. A `page` or `limit` that is not a positive integer is an
 *   error (a translation error, not a guess).
 * - response (2xx): `{ items, total }` → `items` with `x-total-count: <total>`;
 *   missing or null `items` → `[]`; an empty body → `[]` with `x-total-count: 0`;
 *   missing or null `total` → no header. A body that is not an envelope passes
 *   untouched, so the comparison shows the shape difference.
 *
 * @example
 * // GET /orders?page=2&limit=5 → GET /orders?offset=5&limit=5
 * // { "items": [], "total": 0 } → [] with x-total-count: 0
 */
export default defineTranslator({
  name: 'orders-pagination',
  request(req) {
    const { page, limit, ...rest } = req.query;
    const size = positiveInt(limit, 'limit') ?? LEGACY_DEFAULT_LIMIT;
    const pageNo = positiveInt(page, 'page') ?? 1;
    return { ...req, query: { ...rest, offset: String((pageNo - 1) * size), limit: String(size) } };
  },
  response(res) {
    if (!isSuccess(res.status)) return res;
    const body = res.body;
    if (body === undefined || body === null) return { ...res, body: [], headers: { ...res.headers, 'x-total-count': '0' } };
    if (!isRecord(body) || !('items' in body || 'total' in body)) return res;
    const items = body.items ?? [];
    if (!Array.isArray(items)) throw new Error(`expected "items" to be an array, got ${typeof items}`);
    const headers = { ...res.headers };
    delete headers['x-total-count'];
    if (typeof body.total === 'number' || (typeof body.total === 'string' && body.total !== '')) headers['x-total-count'] = String(body.total);
    return { ...res, headers, body: items };
  },
});

function positiveInt(value: Query[string] | undefined, name: string): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return Number(v);
}
