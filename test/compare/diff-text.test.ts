import { diffText } from '../../src/compare';

describe('diffText', () => {
  it('returns null for equal texts', () => {
    expect(diffText('a\nb', 'a\nb')).toBeNull();
  });

  it('finds inserted and deleted lines without shifting the rest', () => {
    expect(diffText('a\nb\nc\nd', 'x\na\nb\nd')).toEqual({
      legacy: { lines: 4, differing: 1, firstDifferingLines: [3] },
      candidate: { lines: 4, differing: 1, firstDifferingLines: [1] },
      approximate: false,
    });
  });

  it('sees a CRLF change on every line', () => {
    expect(diffText('a\nb', 'a\r\nb')?.legacy).toEqual({ lines: 2, differing: 1, firstDifferingLines: [1] });
  });

  it('falls back to counting the whole differing middle for very long texts', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const d = diffText(['head', ...a, 'tail'].join('\n'), ['head', ...b, 'tail'].join('\n'))!;
    expect(d.approximate).toBe(true);
    expect(d.legacy).toEqual({ lines: 3002, differing: 3000, firstDifferingLines: [2, 3, 4, 5, 6] });
  });
});
