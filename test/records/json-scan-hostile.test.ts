/**
 * `scanJson` against the old path on hostile token soup: digit runs split by dots, signs and
 * exponents, strings with escapes at the end, BOMs and multi-byte characters. A text the scan
 * calls `plain` must hold no number a double cannot (lossless-json finds none unsafe), and
 * its nesting verdict must be `jsonTooDeep`'s.
 */
import fc from 'fast-check';
import { parse } from 'lossless-json';
import { jsonTooDeep, scanJson } from '../../src/records';

const TOKENS = [
  '0',
  '1',
  '9',
  '5',
  '.',
  'e',
  'E',
  '+',
  '-',
  '"',
  '\\',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ' ',
  '\uFEFF',
  'é',
  '\u{1F600}',
  'true',
  'null',
  '"a"',
];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));
const number = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^(0|[1-9]\d{0,25})$/),
    fc.option(fc.stringMatching(/^\d{1,25}$/)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,5}$/))),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);
const doc = fc
  .array(fc.oneof(number, fc.constantFrom('"x"', '"1234567890123456"', 'true')), { minLength: 1, maxLength: 6 })
  .map((xs) => `[${xs.join(',')}]`);

/** A double holds it exactly: at most 15 significant digits, within range (not rounded to 0 or infinity). */
function fits(s: string): boolean {
  const [mantissa] = s.replace('-', '').split(/[eE]/);
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  const n = Number(s);
  return digits.length <= 15 && Number.isFinite(n) && (n !== 0 || digits === '');
}

function unsafeNumbers(text: string): string[] {
  const out: string[] = [];
  try {
    parse(text, null, (s) => {
      if (!fits(s)) out.push(s);
      return 0;
    });
  } catch {
    return [];
  }
  return out;
}

describe('scanJson on hostile input', () => {
  it('never calls plain a text with a number a double cannot hold', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          doc,
          soup,
          fc.tuple(doc, soup).map(([a, b]) => a + b),
        ),
        (text) => {
          const scan = scanJson(Buffer.from(text));
          if (scan === 'plain') expect(unsafeNumbers(text)).toEqual([]);
        },
      ),
      { numRuns: 20_000 },
    );
  });
  it('counts nesting as jsonTooDeep does', () => {
    fc.assert(
      fc.property(soup, fc.integer({ min: 0, max: 6 }), (text, max) => {
        expect(scanJson(Buffer.from(text), max) === 'too_deep').toBe(jsonTooDeep(Buffer.from(text), max));
      }),
      { numRuns: 20_000 },
    );
  });
  it.each(['[-0.00000000000000001]', '[1E400]', '[1e-400]', '[123456789.0123456e5]', '[1e0001]'])('calls %s inexact', (t) => {
    expect(scanJson(Buffer.from(t))).toBe('inexact');
  });
});
