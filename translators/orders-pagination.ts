import { defineTranslator } from '../src/translate/define-translator';
import { convertPaging, mapRequestQuery, onSuccess, paging, unwrapEnvelope } from '../src/kit';

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
  request: mapRequestQuery(convertPaging(paging.pageLimit, paging.offsetLimit, { defaultSize: LEGACY_DEFAULT_LIMIT })),
  response: onSuccess(unwrapEnvelope()),
});
