import {
  combineSort,
  convertPaging,
  defaultParams,
  dropParams,
  encodeParam,
  joinParam,
  mapQuery,
  paging,
  pipe,
  readPosition,
  renameParams,
  splitParam,
  splitSort,
  writePosition,
} from '../../src';
import type { Query } from '../../src/records';

describe('query helpers', () => {
  it('rename keeps order and repeated values, and merges into an existing name', () => {
    const out = renameParams({ q: 'search' })({ q: ['a', 'b'], lang: 'en' });
    expect(out).toEqual({ search: ['a', 'b'], lang: 'en' });
    expect(Object.keys(out)).toEqual(['search', 'lang']);
    expect(renameParams({ q: 'search' })({ search: 'x', q: 'y' })).toEqual({ search: ['x', 'y'] });
  });

  it('drop, default (an empty value counts as present) and re-encode', () => {
    expect(dropParams('debug')({ debug: ['1', '2'], q: 'x' })).toEqual({ q: 'x' });
    expect(defaultParams({ limit: '20', lang: 'en' })({ limit: '' })).toEqual({ limit: '', lang: 'en' });
    expect(joinParam('ids')({ ids: ['1', '2'], x: '1' })).toEqual({ ids: '1,2', x: '1' });
    expect(splitParam('ids')({ ids: '1,,2' })).toEqual({ ids: ['1', '2'] });
    expect(splitParam('ids')({ ids: '' })).toEqual({});
    expect(encodeParam('active', ([v]) => [v === 'yes' ? 'true' : 'false'])({ active: 'yes' })).toEqual({ active: 'true' });
    expect(encodeParam('missing', () => ['x'])({ a: '1' })).toEqual({ a: '1' });
  });

  it('combines sort and order into a signed field list, and back', () => {
    expect(combineSort()({ sort: 'price', order: 'desc', q: 'x' })).toEqual({ q: 'x', sort: '-price' });
    expect(combineSort()({ sort: 'price,name', order: 'DESC,asc' })).toEqual({ sort: '-price,name' });
    expect(combineSort({ field: '_sort', order: '_order', into: '_sort' })({ _sort: ['a', 'b'], _order: 'desc' })).toEqual({
      _sort: '-a,-b',
    });
    expect(combineSort()({ sort: 'price' })).toEqual({ sort: 'price' });
    expect(combineSort()({ order: 'desc' })).toEqual({ order: 'desc' });
    expect(splitSort()({ sort: '-price,name' })).toEqual({ sort: 'price,name', order: 'desc,asc' });
    expect(splitSort({ field: '_sort', order: '_order', into: 'sort' })({ sort: '-id' })).toEqual({ _sort: 'id', _order: 'desc' });
  });

  it('mapQuery applies drop, rename, default, encode and sort in order, and composes with pipe', () => {
    const step = mapQuery({
      drop: ['debug'],
      rename: { q: 'search' },
      defaults: { lang: 'en' },
      encode: { tags: (vs) => [vs.join('|')] },
      sort: {},
    });
    expect(step({ debug: '1', q: 'mug', tags: ['a', 'b'], sort: 'price', order: 'desc' })).toEqual({
      search: 'mug',
      tags: 'a|b',
      lang: 'en',
      sort: '-price',
    });
    expect(pipe<Query>(step, renameParams({ search: 's' }))({ q: 'x' })).toEqual({ s: 'x', lang: 'en' });
  });
});

describe('pagination schemes', () => {
  it.each([
    [paging.pageLimit, paging.offsetLimit, { page: '3', limit: '10' }, { offset: '20', limit: '10' }],
    [paging.offsetLimit, paging.pageLimit, { offset: '20', limit: '10' }, { page: '3', limit: '10' }],
    [paging.pageLimit, paging.pagePerPage, { page: '2', limit: '5', q: 'x' }, { q: 'x', page: '2', per_page: '5' }],
    [paging.pagePerPage, paging.cursorLimit, { page: '3', per_page: '10' }, { cursor: '20', limit: '10' }],
    [paging.cursorLimit, paging.offsetLimit, { cursor: '40', limit: '20' }, { offset: '40', limit: '20' }],
    [
      paging.pageLimit,
      { style: 'page', page: '_page', size: '_limit' } as const,
      { page: ['2', '9'], limit: '7' },
      { _page: '2', _limit: '7' },
    ],
    [paging.pageLimit, paging.offsetLimit, { q: 'x' }, { q: 'x' }],
  ])('%j → %j: %j', (from, to, q, expected) => expect(convertPaging(from, to)(q as Query)).toEqual(expected));

  it('writes a default page size when asked, treating empty values as absent', () => {
    const step = convertPaging(paging.pageLimit, paging.offsetLimit, { defaultSize: 20 });
    expect(step({})).toEqual({ offset: '0', limit: '20' });
    expect(step({ page: '2', limit: '' })).toEqual({ offset: '20', limit: '20' });
  });

  it('supports zero-based pages and custom cursors', () => {
    const zero = { style: 'page', firstPage: 0 } as const;
    expect(convertPaging(zero, paging.offsetLimit)({ page: '0', limit: '10' })).toEqual({ offset: '0', limit: '10' });
    const b64 = {
      style: 'cursor',
      cursor: 'after',
      encode: (o: number) => Buffer.from(`o:${o}`).toString('base64url'),
      decode: (c: string) => Number(Buffer.from(c, 'base64url').toString().slice(2)),
    } as const;
    const c = convertPaging(paging.offsetLimit, b64)({ offset: '30', limit: '10' });
    expect(c).toEqual({ after: Buffer.from('o:30').toString('base64url'), limit: '10' });
    expect(readPosition(c, b64)).toEqual({ offset: 30, size: 10 });
    expect(convertPaging(paging.offsetLimit, b64)({ offset: '0', limit: '10' })).toEqual({ limit: '10' });
  });

  it('refuses what it cannot express', () => {
    expect(() => convertPaging(paging.pageLimit, paging.offsetLimit)({ page: '0' })).toThrow('page must be a positive integer, got "0"');
    expect(() => convertPaging(paging.pageLimit, paging.offsetLimit)({ limit: '-5' })).toThrow(
      'limit must be a positive integer, got "-5"',
    );
    expect(() => convertPaging(paging.pageLimit, paging.offsetLimit)({ page: '2' })).toThrow(
      'limit is needed to turn page=2 into an offset',
    );
    expect(() => writePosition({}, { offset: 15, size: 10 }, paging.pageLimit)).toThrow('offset 15 is not at a page boundary of limit=10');
    expect(() => readPosition({ offset: '99999999999999999999' }, paging.offsetLimit)).toThrow('offset must be an integer of 0 or more');
    expect(() => readPosition({ cursor: 'abc' }, paging.cursorLimit)).toThrow('cannot read cursor "abc"');
  });
});
