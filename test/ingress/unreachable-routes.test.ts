import { unreachableRoutes } from '../../src/config';

describe('unreachableRoutes (tandem config check warnings)', () => {
  it('names a route an earlier one always wins over, including HEAD after GET', () => {
    const warnings = unreachableRoutes([
      { name: 'product', match: 'GET /products/:id' },
      { name: 'head-one', match: 'HEAD /products/7' },
      { name: 'any', match: '* /admin/*' },
      { name: 'admin-users', match: 'POST /admin/users' },
      { name: 'reviews', match: 'GET /products/:id/reviews' },
      { name: 'preflight', match: 'OPTIONS /products/:id' },
    ]);
    expect(warnings).toEqual([
      'routes.1 "head-one" (HEAD /products/7) can never match: routes.0 "product" (GET /products/:id) matches every request it would (a GET route takes HEAD too)',
      'routes.3 "admin-users" (POST /admin/users) can never match: routes.2 "any" (* /admin/*) matches every request it would',
    ]);
  });

  it('says nothing when every route can match', () => {
    expect(
      unreachableRoutes([
        { name: 'a', match: 'GET /a/7' },
        { name: 'b', match: 'GET /a/:id' },
        { name: 'c', match: 'GET /a/*' },
      ]),
    ).toEqual([]);
  });
});
