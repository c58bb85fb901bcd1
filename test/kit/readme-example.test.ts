import {
  combineSort,
  convertPaging,
  defineTranslator,
  mapBody,
  mapErrors,
  mapKeys,
  mapPath,
  mapRequestQuery,
  onSuccess,
  paging,
  pipe,
  statusText,
  toStringValue,
  unwrapEnvelope,
} from '../../src';
import { translateRequest, translateResponse } from '../../src/translate';
import { ctxFor, jsonResponse, request } from '../translate/fixtures';

// The README's kit example, verbatim apart from the import.
const ordersV2 = defineTranslator({
  name: 'orders-v2',
  request: pipe(
    mapPath({ '/api/v1/orders/:id': '/v2/orders/:id', '/api/v1/orders': '/v2/orders' }),
    mapRequestQuery(convertPaging(paging.pageLimit, paging.offsetLimit, { defaultSize: 20 }), combineSort()),
  ),
  response: pipe(
    onSuccess(
      unwrapEnvelope({ items: 'items', total: 'total', link: { paging: paging.pageLimit } }),
      mapBody(mapKeys({ rename: { title: 'name' }, coerce: { '**.id': toStringValue } })),
    ),
    mapErrors({ 404: {}, '5xx': statusText('error') }),
  ),
});

describe('the README kit example', () => {
  it('maps the request and the response as documented', async () => {
    const req = request('GET', '/api/v1/orders', { query: { page: '2', limit: '1', sort: 'date', order: 'desc' } });
    expect(await translateRequest(ordersV2, req)).toMatchObject({ path: '/v2/orders', query: { offset: '1', limit: '1', sort: '-date' } });
    const out = await translateResponse(ordersV2, jsonResponse(200, { items: [{ id: 7, title: 'x' }], total: 3 }), ctxFor(req));
    expect(out.body).toEqual([{ id: '7', name: 'x' }]);
    expect(out.headers).toMatchObject({ 'x-total-count': '3' });
    expect(out.headers.link).toContain('rel="next"');
    expect((await translateResponse(ordersV2, jsonResponse(404, { error: 'Not Found' }), ctxFor(req))).body).toEqual({});
  });
});
