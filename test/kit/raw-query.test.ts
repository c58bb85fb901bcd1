import { combineSort, convertPaging, defineTranslator, dropParams, mapQuery, mapRequestQuery, paging, pipe, renameParams } from '../../src';
import { parseQuery, rewriteRawQuery, type RequestRecord } from '../../src/records';
import { translateRequest } from '../../src/translate';

/**
 * The kit's query helpers under #15's raw-query contract: a helper that changes nothing
 * leaves the client's raw query alone (never serialised again), and a helper that
 * changes some parameters rewrites only those: the others keep their place and bytes.
 */
const RAW = '?b=2&q=hello%20world&a=1&b=3&flag&n=%FF&x=a+b&constructor=c&__proto__=p';
const record = (rawQuery: string): RequestRecord => ({
  method: 'GET',
  path: '/api/v1/items',
  query: parseQuery(rawQuery),
  rawQuery,
  headers: { host: 'legacy.test' },
  body: null,
});
const sent = async (request: ReturnType<typeof mapRequestQuery>, rawQuery = RAW) =>
  (await translateRequest(defineTranslator({ name: 't', request }), record(rawQuery))).rawQuery;

describe('kit query helpers and the raw query', () => {
  it('a helper that changes nothing leaves the raw query byte for byte (nothing serialised again)', async () => {
    // Each of these is a no-op on this query: the parameters they name are absent, or already as asked.
    for (const step of [
      dropParams('debug'),
      renameParams({ missing: 'other' }),
      combineSort({ field: 'none' }),
      convertPaging(paging.pageLimit, paging.offsetLimit),
      mapQuery({ defaults: { a: '5' } }),
    ]) {
      expect(await sent(mapRequestQuery(step))).toBe(RAW);
    }
    const req = {
      method: 'GET',
      url: `/p${RAW}`,
      path: '/p',
      rawQuery: RAW,
      query: parseQuery(RAW),
      headers: {},
      body: undefined,
      params: {},
    };
    expect(mapRequestQuery(dropParams('debug'))(req)).toBe(req);
  });

  it('rewrites only the parameters a helper changed; the others keep their place and encoding', async () => {
    expect(await sent(mapRequestQuery(dropParams('a')))).toBe('?b=2&q=hello%20world&b=3&flag&n=%FF&x=a+b&constructor=c&__proto__=p');
    // A rename keeps the value's bytes and the place; a default is appended.
    expect(await sent(mapRequestQuery(renameParams({ q: 'search' }), mapQuery({ defaults: { lang: 'en' } })))).toBe(
      '?b=2&search=hello%20world&a=1&b=3&flag&n=%FF&x=a+b&constructor=c&__proto__=p&lang=en',
    );
    // Pagination: page goes, limit stays where it was, offset is appended.
    expect(await sent(mapRequestQuery(convertPaging(paging.pageLimit, paging.offsetLimit)), '?q=a%20b&page=3&limit=10&flag')).toBe(
      '?q=a%20b&limit=10&flag&offset=20',
    );
    // sort + order: the combined value is written in sort's place.
    expect(await sent(mapRequestQuery(combineSort()), '?sort=price&q=a%20b&order=desc')).toBe('?sort=-price&q=a%20b');
  });

  it('keeps __proto__ and constructor as plain parameters through every helper', () => {
    const q = parseQuery(RAW);
    for (const step of [
      renameParams({ q: 'search' }),
      dropParams('a'),
      mapQuery({ defaults: { lang: 'en' }, sort: {} }),
      combineSort(),
      convertPaging(paging.pageLimit, paging.offsetLimit, { defaultSize: 10 }),
    ]) {
      const out = step(q);
      expect(Object.getPrototypeOf(out)).toBeNull();
      expect(out['__proto__']).toBe('p');
      expect(out['constructor']).toBe('c');
    }
  });

  it('a translator that changes the query after a kit step gets that change sent too', async () => {
    const request = pipe(mapRequestQuery(dropParams('a')), (r) => {
      r.query.added = 'yes';
      return r;
    });
    expect(await sent(request)).toBe('?b=2&q=hello%20world&b=3&flag&n=%FF&x=a+b&constructor=c&__proto__=p&added=yes');
  });

  it('rewriteRawQuery is idempotent and writes changed values in place', () => {
    const once = rewriteRawQuery(RAW, parseQuery(RAW), { ...parseQuery(RAW), a: '9 9' });
    expect(once).toBe('?b=2&q=hello%20world&a=9%209&b=3&flag&n=%FF&x=a+b&constructor=c&__proto__=p');
    expect(rewriteRawQuery(once, parseQuery(once), parseQuery(once))).toBe(once);
    expect(rewriteRawQuery('', {}, { page: '2' })).toBe('?page=2');
    expect(rewriteRawQuery('?a=1', parseQuery('?a=1'), {})).toBe('');
  });
});
