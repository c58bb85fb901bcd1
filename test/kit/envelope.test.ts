import { LosslessNumber } from 'lossless-json';
import {
  linkHeader,
  mapErrors,
  mapPath,
  onSuccess,
  paging,
  pipe,
  renameErrorField,
  requestOrigin,
  statusText,
  unwrapEnvelope,
  wrapEnvelope,
} from '../../src';
import type { TranslatableRequest, TranslatableResponse, TranslationContext } from '../../src';

const req = (
  path: string,
  query: TranslatableRequest['query'] = {},
  headers: TranslatableRequest['headers'] = { host: 'shop.test' },
): TranslatableRequest => ({ method: 'GET', url: path, path, rawQuery: '', query, headers, body: undefined, params: {} });
const ctx = (r: TranslatableRequest): TranslationContext => ({ request: r, route: 'orders' });
const json = (status: number, body: unknown, headers: TranslatableResponse['headers'] = {}): TranslatableResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('unwrapEnvelope', () => {
  const unwrap = unwrapEnvelope({ link: { paging: paging.pageLimit } });

  it('gives the bare array with x-total-count and an RFC 8288 Link header from the request', () => {
    const out = unwrap(
      json(200, { items: [{ id: 11 }, { id: 12 }], total: 25 }),
      ctx(req('/orders', { page: '2', limit: '10', status: 'open' })),
    );
    expect(out.body).toEqual([{ id: 11 }, { id: 12 }]);
    expect(out.headers['x-total-count']).toBe('25');
    expect(out.headers.link).toBe(
      '</orders?status=open&page=1&limit=10>; rel="first", </orders?status=open&page=1&limit=10>; rel="prev", ' +
        '</orders?status=open&page=3&limit=10>; rel="next", </orders?status=open&page=3&limit=10>; rel="last"',
    );
  });

  it('handles empty pages, empty bodies, null items and missing totals', () => {
    const first = ctx(req('/orders', { limit: '10' }));
    const empty = unwrap(json(200, { items: [], total: 0 }), first);
    expect([empty.body, empty.headers['x-total-count'], empty.headers.link]).toEqual([
      [],
      '0',
      '</orders?page=1&limit=10>; rel="first", </orders?page=1&limit=10>; rel="last"',
    ]);
    const none = unwrap(json(200, undefined), first);
    expect([none.body, none.headers['x-total-count']]).toEqual([[], '0']);
    const nullItems = unwrap(json(200, { items: null, total: 5 }), first);
    expect(nullItems.body).toEqual([]);
    const noTotal = unwrap(json(200, { items: [{ id: 1 }], total: null }, { 'x-total-count': '7' }), first);
    expect('x-total-count' in noTotal.headers).toBe(false);
    expect(noTotal.headers.link).toBe('</orders?page=1&limit=10>; rel="first"');
  });

  it('passes non-envelopes, fails on items that are not a list, and reads nested shapes and big totals', () => {
    expect(unwrap(json(200, [1]), ctx(req('/o'))).body).toEqual([1]);
    expect(() => unwrap(json(200, { items: { id: 1 }, total: 1 }), ctx(req('/o')))).toThrow('expected "items" to be an array, got object');
    const nested = unwrapEnvelope({ items: 'data', total: 'meta.total' })(
      json(200, { data: [1], meta: { total: new LosslessNumber('9007199254740993') } }),
      ctx(req('/o')),
    );
    expect([nested.body, nested.headers['x-total-count'], nested.headers.link]).toEqual([[1], '9007199254740993', undefined]);
  });

  it('uses absolute Link targets when given an origin', () => {
    const r = req('/posts', { _page: '1', _limit: '2' }, { host: 'api.test', 'x-forwarded-proto': 'https' });
    const step = unwrapEnvelope({ link: { paging: { style: 'page', page: '_page', size: '_limit' }, origin: requestOrigin } });
    expect(step(json(200, { items: [1, 2], total: 3 }), ctx(r)).headers.link).toBe(
      '<https://api.test/posts?_page=1&_limit=2>; rel="first", <https://api.test/posts?_page=2&_limit=2>; rel="next", <https://api.test/posts?_page=2&_limit=2>; rel="last"',
    );
  });

  it('builds cursor links without a last relation, and next from a full page when the total is unknown', () => {
    expect(linkHeader(req('/o'), paging.cursorLimit, { offset: 20, size: 10, total: 100, count: 10 })).toBe(
      '</o?limit=10>; rel="first", </o?cursor=10&limit=10>; rel="prev", </o?cursor=30&limit=10>; rel="next"',
    );
    expect(linkHeader(req('/o'), paging.offsetLimit, { offset: 0, size: 2, count: 2 })).toBe(
      '</o?offset=0&limit=2>; rel="first", </o?offset=2&limit=2>; rel="next"',
    );
    expect(linkHeader(req('/o'), paging.offsetLimit, { offset: 0, count: 2 })).toBe('');
  });
});

describe('wrapEnvelope', () => {
  it('turns a bare array and its total header into an envelope', () => {
    const out = wrapEnvelope()(json(200, [{ id: 1 }], { 'x-total-count': '42' }), ctx(req('/o')));
    expect(out.body).toEqual({ items: [{ id: 1 }], total: 42 });
    expect('x-total-count' in out.headers).toBe(false);
    expect(wrapEnvelope({ items: 'data', total: 'meta.total', totalFromLength: true })(json(200, []), ctx(req('/o'))).body).toEqual({
      data: [],
      meta: { total: 0 },
    });
    expect(wrapEnvelope()(json(200, { a: 1 }), ctx(req('/o'))).body).toEqual({ a: 1 });
  });

  it('round-trips with unwrapEnvelope', () => {
    const c = ctx(req('/o', { page: '1', limit: '2' }));
    const env = { items: [{ id: 1 }, { id: 2 }], total: 2 };
    expect(pipe<TranslatableResponse, [TranslationContext]>(unwrapEnvelope(), wrapEnvelope())(json(200, env), c).body).toEqual(env);
  });
});

describe('mapErrors', () => {
  it('maps error bodies by exact status, class, then default, leaving successes alone', () => {
    const step = mapErrors({ 404: {}, '5xx': statusText('message'), default: renameErrorField('message', 'error') });
    expect(step(json(404, { error: 'Not Found' }), ctx(req('/o'))).body).toEqual({});
    expect(step(json(503, 'down'), ctx(req('/o'))).body).toEqual({ message: 'Service Unavailable' });
    expect(step(json(422, { message: 'bad email' }), ctx(req('/o'))).body).toEqual({ error: 'bad email' });
    expect(step(json(400, null), ctx(req('/o'))).body).toEqual({ error: 'Bad Request' });
    expect(step(json(200, { error: 'x' }), ctx(req('/o'))).body).toEqual({ error: 'x' });
  });

  it('gives fresh bodies and a JSON content type when the response had none', () => {
    const step = mapErrors({ 404: { error: 'Not Found' } });
    const a = step({ status: 404, headers: {}, body: undefined }, ctx(req('/o')));
    expect(a).toEqual({ status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'Not Found' } });
    (a.body as Record<string, string>).error = 'changed';
    expect(step({ status: 404, headers: {}, body: undefined }, ctx(req('/o'))).body).toEqual({ error: 'Not Found' });
    expect(mapErrors({})(json(500, 'x'), ctx(req('/o'))).body).toBe('x');
    const text = mapErrors({ 404: {} })(
      { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not Found' },
      ctx(req('/o')),
    );
    expect(text).toEqual({ status: 404, headers: { 'content-type': 'application/json' }, body: {} });
  });

  it('composes with onSuccess in one response pipeline', () => {
    const response = pipe<TranslatableResponse, [TranslationContext]>(onSuccess(unwrapEnvelope()), mapErrors({ 404: {} }));
    expect(response(json(404, { error: 'Not Found' }), ctx(req('/o'))).body).toEqual({});
    expect(response(json(200, { items: [1], total: 1 }), ctx(req('/o'))).body).toEqual([1]);
  });
});

describe('mapPath', () => {
  const step = mapPath({ '/api/v1/products/:id': '/v2/products/:id', '/api/v1/products': '/v2/products' });

  it('maps templates, re-encoding parameters from the route or the path', () => {
    expect(step(req('/api/v1/products/42')).path).toBe('/v2/products/42');
    expect(step({ ...req('/api/v1/products/a%2Fb'), params: { id: 'a/b' } }).path).toBe('/v2/products/a%2Fb');
    expect(step(req('/api/v1/products/a%2Fb')).path).toBe('/v2/products/a%2Fb');
    expect(step(req('/api/v1/products/')).path).toBe('/v2/products');
  });

  it('fails on paths no template matches, unless told to keep them', () => {
    expect(() => step(req('/api/v1/productsearch'))).toThrow(
      'cannot map /api/v1/productsearch: expected /api/v1/products/:id or /api/v1/products',
    );
    expect(mapPath({ '/a/:x': '/b/:x' }, { otherwise: 'keep' })(req('/c')).path).toBe('/c');
  });
});
