import { compilePathPattern, formatPath, generalisePath, matchesPathPattern, parsePath, parsePathLenient } from '../../src/compare';

describe('matchesPathPattern', () => {
  it.each([
    // exact
    ['a.b', 'a.b', true],
    ['a.b', 'a.c', false],
    ['a.b', 'a.b.c', false],
    ['a', 'a.b', false],
    // * is one segment of any kind
    ['a.*', 'a.b', true],
    ['a.*', 'a[3]', true],
    ['a.*', 'a.b.c', false],
    ['a.*', 'a', false],
    ['*.id', 'user.id', true],
    ['*.id', 'id', false],
    // [*] is one array element, index or keyed
    ['items[*].updatedAt', 'items[3].updatedAt', true],
    ['items[*].updatedAt', 'items[id=7].updatedAt', true],
    ['items[*].updatedAt', 'items.x.updatedAt', false],
    ['items[*].updatedAt', 'items[3].createdAt', false],
    ['items[*]', 'items[0]', true],
    ['[*].id', '[2].id', true],
    // literal index and keyed selectors
    ['items[3].price', 'items[3].price', true],
    ['items[3].price', 'items[4].price', false],
    ['items[id=7].price', 'items[id=7].price', true],
    ['items[id=7].price', 'items[id=8].price', false],
    ['items[id=7].price', 'items[7].price', false],
    // ** is any depth, including none
    ['meta.**', 'meta', true],
    ['meta.**', 'meta.trace.id', true],
    ['meta.**', 'metadata.x', false],
    ['**.requestId', 'requestId', true],
    ['**.requestId', 'a.b[2].requestId', true],
    ['**.requestId', 'a.requestId.x', false],
    ['a.**.z', 'a.z', true],
    ['a.**.z', 'a.b.c[1].z', true],
    ['a.**.z', 'a.b.c', false],
    ['**', 'anything[1].at.all', true],
    ['**.a.**.b', 'x.a.y.z.b', true],
    ['**.a.**.b', 'x.a.y.z', false],
    // quoted keys and headers
    ['["a.b"].c', '["a.b"].c', true],
    ['["a.b"].c', 'a.b.c', false],
    ['$headers.*', '$headers.content-type', true],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(matchesPathPattern(pattern, path)).toBe(expected);
  });

  it('accepts segments as well as strings', () => {
    expect(matchesPathPattern('items[*].id', ['items', { key: 'id', value: '7' }, 'id'])).toBe(true);
  });

  it('throws a clear error for malformed patterns', () => {
    expect(() => compilePathPattern('items[abc')).toThrow(/invalid path "items\[abc"/);
    expect(() => compilePathPattern('a..b')).toThrow(/empty segment/);
    expect(() => compilePathPattern('')).toThrow(/empty path/);
    expect(() => compilePathPattern('a[x]')).toThrow(/not an index/);
  });

  it('reads malformed concrete paths leniently instead of throwing', () => {
    expect(parsePathLenient('a.x[y.b[2]')).toEqual(['a', 'x[y', 'b', 2]);
    expect(matchesPathPattern('**.b', 'a.x[y.b')).toBe(true);
    expect(matchesPathPattern('a.*', 'a.')).toBe(true);
  });
});

describe('paths', () => {
  it('formats concrete paths readably and quotes odd keys', () => {
    expect(formatPath(['items', 3, 'price'])).toBe('items[3].price');
    expect(formatPath(['items', { key: 'id', value: '7' }, 'price'])).toBe('items[id=7].price');
    expect(formatPath(['a.b', 'c d', '*', ''])).toBe('["a.b"]["c d"]["*"][""]');
    expect(formatPath([{ key: 'sku', value: 'A]1' }])).toBe('[sku="A]1"]');
    expect(formatPath([0, 'x'])).toBe('[0].x');
    expect(formatPath([])).toBe('$body');
  });

  it('parses what it formats', () => {
    const cases = [
      ['items', 3, 'price'],
      ['items', { key: 'id', value: '7' }, 'price'],
      ['a.b', 'c d', '*', '', 'ok'],
      [{ key: 'sku', value: 'A]1"x' }, 0],
      ['$headers', 'content-type'],
    ];
    for (const segs of cases) expect(parsePath(formatPath(segs))).toEqual(segs);
  });

  it('refuses wildcards in concrete paths', () => {
    expect(() => parsePath('a.*')).toThrow(/wildcards/);
  });
});

describe('generalisePath', () => {
  it.each([
    ['items[3].price', 'items[*].price'],
    ['items[id=7].tags[0]', 'items[*].tags[*]'],
    ['[2].a', '[*].a'],
    ['$status', '$status'],
    ['$headers.content-type', '$headers.content-type'],
    ['a.b', 'a.b'],
    ['items[*].price', 'items[*].price'],
    ['["a.b"][1]', '["a.b"][*]'],
    ['meta.**', 'meta.**'],
  ])('%s → %s', (path, expected) => {
    expect(generalisePath(path)).toBe(expected);
  });

  it('never throws on malformed input', () => {
    expect(generalisePath('a[1].x[y')).toBe('a[*].x[y');
  });
});
