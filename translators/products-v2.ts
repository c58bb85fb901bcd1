import { defineTranslator } from '../src/translate/define-translator';
import { mapBody, mapKeys, mapPath, onSuccess } from '../src/kit';

/**
 * Products moved from `/api/v1/products/:id` to `/v2/products/:id`, and the
 * candidate calls the product's `name` `title`.
 *
 * - request: the path template is mapped (the id re-encoded); `/api/v1/products` maps
 *   to `/v2/products`; any other path is an error.
 * - response (2xx only, one product or an array): `title` → `name`, in place.
 *   Error bodies pass untouched.
 *
 * @example
 * // route: { name: 'product-detail', match: 'GET /api/v1/products/:id', translator: 'products-v2' }
 * // GET /api/v1/products/42  →  GET /v2/products/42;  { "title": "Mug" }  →  { "name": "Mug" }
 */
export default defineTranslator({
  name: 'products-v2',
  request: mapPath(
    { '/api/v1/products/:id': '/v2/products/:id', '/api/v1/products': '/v2/products' },
    {
      otherwise: (req) => {
        throw new Error(`cannot map ${req.path}: expected GET /api/v1/products/:id`);
      },
    },
  ),
  response: onSuccess(mapBody(mapKeys({ rename: { title: 'name' } }))),
});
