import { generalisePath, memoisedByPath } from '../../src/compare';
import { PATH_MEMO } from '../../src/compare/path-parse';

describe('memoisedByPath: a pure function of a path worked out once per path, within bounds', () => {
  it('calls the function once per path and gives every caller its result', () => {
    const fn = jest.fn((p: string) => ({ upper: p.toUpperCase() }));
    const memo = memoisedByPath(fn);
    const first = memo('items[3].price');
    expect(memo('items[3].price')).toBe(first);
    expect(memo('name')).toEqual({ upper: 'NAME' });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('remembers a result that is undefined, and never a path longer than the bound (worked out each time)', () => {
    const fn = jest.fn((p: string): undefined => void p);
    const memo = memoisedByPath(fn);
    memo('a');
    memo('a');
    const long = 'x'.repeat(PATH_MEMO.chars + 1);
    memo(long);
    memo(long);
    expect(fn.mock.calls.map(([p]) => p.length)).toEqual([1, long.length, long.length]);
  });

  it('remembers no path longer than a bound of its own, when one is given', () => {
    const fn = jest.fn((p: string) => p.length);
    const memo = memoisedByPath(fn, 4);
    memo('abcd');
    memo('abcd');
    memo('abcde');
    memo('abcde');
    expect(fn.mock.calls.map(([p]) => p)).toEqual(['abcd', 'abcde', 'abcde']);
  });

  it('forgets everything when full, so it holds at most PATH_MEMO.entries paths', () => {
    const fn = jest.fn((p: string) => p.length);
    const memo = memoisedByPath(fn);
    for (let i = 0; i < PATH_MEMO.entries; i++) memo(`f${i}`);
    memo('f0');
    expect(fn).toHaveBeenCalledTimes(PATH_MEMO.entries);
    memo('one more'); // full: forgets the others
    memo('f0');
    expect(fn).toHaveBeenCalledTimes(PATH_MEMO.entries + 2);
  });

  it('leaves generalisePath giving what it gave, remembered or not', () => {
    const paths = ['items[3].price', 'items[id=7].tags[0]', '["a.b"][2]', 'a[', `${'k.'.repeat(200)}[1]`];
    const twice = paths.map((p) => [generalisePath(p), generalisePath(p)]);
    expect(twice.map(([a]) => a)).toEqual(['items[*].price', 'items[*].tags[*]', '["a.b"][*]', 'a[', `${'k.'.repeat(200)}[*]`]);
    for (const [a, b] of twice) expect(b).toBe(a);
  });
});
