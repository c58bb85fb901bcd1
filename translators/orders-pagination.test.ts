import { translateRequest, translateResponse, TranslationFailure } from '../src/translate';
import { ctxFor, jsonResponse, request } from '../test/translate/fixtures';
import ordersPagination, { LEGACY_DEFAULT_LIMIT } from './orders-pagination';

const ctx = ctxFor(request('GET', '/orders', { query: { page: '1' } }), {}, 'orders-list');

describe('orders-pagination request', () => {
  it.each([
    [
      { page: '3', limit: '10' },
      { offset: '20', limit: '10' },
    ],
    [
      { page: '1', limit: '5' },
      { offset: '0', limit: '5' },
    ],
    [{}, { offset: '0', limit: String(LEGACY_DEFAULT_LIMIT) }],
    [{ page: '2' }, { offset: '20', limit: '20' }],
    [
      { page: ['2', '9'], limit: '' },
      { offset: '20', limit: '20' },
    ],
    [
      { page: '2', limit: '10', status: 'open' },
      { status: 'open', offset: '10', limit: '10' },
    ],
  ])('%j → %j', async (query, expected) => {
    const out = await translateRequest(ordersPagination, request('GET', '/orders', { query }));
    expect(out.query).toEqual(expected);
  });

  it.each([
    [{ page: '0' }, 'page must be a positive integer, got "0"'],
    [{ page: 'abc' }, 'page must be a positive integer, got "abc"'],
    [{ limit: '-5' }, 'limit must be a positive integer, got "-5"'],
  ])('fails on %j', async (query, reason) => {
    const e = await translateRequest(ordersPagination, request('GET', '/orders', { query })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TranslationFailure);
    expect((e as Error).message).toBe(`translator "orders-pagination" threw: ${reason}`);
  });
});

describe('orders-pagination response', () => {
  it('unwraps the envelope into a bare array with x-total-count', async () => {
    const out = await translateResponse(ordersPagination, jsonResponse(200, { items: [{ id: 21 }, { id: 22 }], total: 22 }), ctx);
    expect(out).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-total-count': '22' },
      body: [{ id: 21 }, { id: 22 }],
    });
  });

  it('turns an empty page into [] with x-total-count: 0', async () => {
    const out = await translateResponse(ordersPagination, jsonResponse(200, { items: [], total: 0 }), ctx);
    expect(out.body).toEqual([]);
    expect(out.headers['x-total-count']).toBe('0');
    const empty = await translateResponse(ordersPagination, jsonResponse(200, undefined), ctx);
    expect([empty.body, empty.headers['x-total-count']]).toEqual([[], '0']);
  });

  it('treats null items as none and omits the header when total is missing or null', async () => {
    const nullItems = await translateResponse(ordersPagination, jsonResponse(200, { items: null, total: 5 }), ctx);
    expect([nullItems.body, nullItems.headers['x-total-count']]).toEqual([[], '5']);
    const noTotal = await translateResponse(
      ordersPagination,
      jsonResponse(200, { items: [{ id: 1 }], total: null }, { 'x-total-count': '7' }),
      ctx,
    );
    expect(noTotal.body).toEqual([{ id: 1 }]);
    expect('x-total-count' in noTotal.headers).toBe(false);
  });

  it('leaves errors and non-envelope bodies untouched, and fails on items that are not an array', async () => {
    const err = jsonResponse(400, { error: 'bad offset' });
    expect((await translateResponse(ordersPagination, err, ctx)).body).toEqual({ error: 'bad offset' });
    expect((await translateResponse(ordersPagination, jsonResponse(200, [{ id: 1 }]), ctx)).body).toEqual([{ id: 1 }]);
    const e = await translateResponse(ordersPagination, jsonResponse(200, { items: { id: 1 }, total: 1 }), ctx).catch((x: unknown) => x);
    expect((e as TranslationFailure).message).toBe('translator "orders-pagination" threw: expected "items" to be an array, got object');
    expect((e as TranslationFailure).stage).toBe('response');
  });
});
