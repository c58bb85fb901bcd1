import { translateRequest, translateResponse, TranslationFailure } from '../src/translate';
import { ctxFor, jsonResponse, request } from '../test/translate/fixtures';
import productsV2 from './products-v2';

const legacyRequest = request('GET', '/api/v1/products/42', { query: { lang: 'en' }, headers: { accept: 'application/json' } });
const ctx = ctxFor(legacyRequest, { id: '42' }, 'product-detail');

describe('products-v2 request', () => {
  it('rebuilds the versioned path from the id parameter, keeping query and headers', async () => {
    const out = await translateRequest(productsV2, legacyRequest, { id: '42' });
    expect(out).toEqual({
      method: 'GET',
      path: '/v2/products/42',
      query: { lang: 'en' },
      rawQuery: '?lang=en',
      headers: { host: 'legacy.test', accept: 'application/json' },
      body: null,
    });
  });

  it('re-encodes ids that need it', async () => {
    const out = await translateRequest(productsV2, request('GET', '/api/v1/products/a%2Fb'), { id: 'a/b' });
    expect(out.path).toBe('/v2/products/a%2Fb');
  });

  it('maps the collection path without an id, and fails on a path it does not know', async () => {
    expect((await translateRequest(productsV2, request('GET', '/api/v1/products'))).path).toBe('/v2/products');
    const e = await translateRequest(productsV2, request('GET', '/api/v1/productsearch')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TranslationFailure);
    expect((e as Error).message).toBe(
      'translator "products-v2" threw: cannot map /api/v1/productsearch: expected GET /api/v1/products/:id',
    );
  });
});

describe('products-v2 response', () => {
  it('renames title back to name in place', async () => {
    const out = await translateResponse(productsV2, jsonResponse(200, { id: 42, title: 'Blue mug', price: 9.5 }), ctx);
    expect(out.body).toEqual({ id: 42, name: 'Blue mug', price: 9.5 });
    expect(Object.keys(out.body as object)).toEqual(['id', 'name', 'price']);
  });

  it('keeps a null title as a null name and adds nothing when title is missing', async () => {
    expect((await translateResponse(productsV2, jsonResponse(200, { id: 1, title: null }), ctx)).body).toEqual({ id: 1, name: null });
    expect((await translateResponse(productsV2, jsonResponse(200, { id: 1 }), ctx)).body).toEqual({ id: 1 });
  });

  it('renames in every product of a list, and handles an empty list', async () => {
    const out = await translateResponse(productsV2, jsonResponse(200, [{ title: 'a' }, { title: 'b', name: 'stale' }, 'odd']), ctx);
    expect(out.body).toEqual([{ name: 'a' }, { name: 'b' }, 'odd']);
    expect((await translateResponse(productsV2, jsonResponse(200, []), ctx)).body).toEqual([]);
  });

  it('leaves error bodies and empty bodies alone', async () => {
    const notFound = await translateResponse(productsV2, jsonResponse(404, { error: 'not found', title: 'Not Found' }), ctx);
    expect(notFound).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: { error: 'not found', title: 'Not Found' },
    });
    expect((await translateResponse(productsV2, jsonResponse(200, undefined), ctx)).body).toBeUndefined();
  });
});
