import { defineTranslator } from '../src/translate/define-translator';
import { isSuccess, mapRecords, renameKeys } from './support';

const LEGACY_PREFIX = /^\/api\/v1\/products(?=\/|$)/;

/**
 * Products moved from `/api/v1/products/:id` to `/v2/products/:id`, and the
 * candidate calls the product's `name` `title`.
 *
 * - request: the path is rebuilt from the `id` path parameter (re-encoded); without
 *   one, a path under `/api/v1/products` keeps its rest (`/api/v1/products?…` →
 *   `/v2/products`); any other path is an error.
 * - response (2xx only, one product or an array): `title` → `name`, in place.
 *   Error bodies pass untouched.
 *
 * @example
 * // route: { name: 'product-detail', match: 'GET /api/v1/products/:id', translator: 'products-v2' }
 * // GET /api/v1/products/42  →  GET /v2/products/42;  { "title": "Mug" }  →  { "name": "Mug" }
 */
export default defineTranslator({
  name: 'products-v2',
  request(req) {
    const id = req.params.id;
    if (id !== undefined && id !== '') return { ...req, path: `/v2/products/${encodeURIComponent(id)}` };
    if (LEGACY_PREFIX.test(req.path)) return { ...req, path: req.path.replace(LEGACY_PREFIX, '/v2/products') };
    throw new Error(`cannot map ${req.path}: expected GET /api/v1/products/:id`);
  },
  response(res) {
    if (!isSuccess(res.status)) return res;
    return { ...res, body: mapRecords(res.body, (p) => renameKeys(p, { title: 'name' })) };
  },
});
