/**
 * `scanJson` replaces two passes before a compared body is parsed (`jsonTooDeep` over the
 * bytes, the precision regex of `parseJsonExact` over the text) with one. Checked against
 * both on generated input: the same nesting verdict for any bytes, and the same parsed
 * value for any text, every number with the same exact decimal value. (The old regex also
 * looked inside strings: a string holding a long digit run sent the whole text through
 * lossless-json, which keeps an exact integer past 2^53 written short, `1e20`, as a
 * `LosslessNumber`; the scan leaves it the double `1e20`. Same value, same comparison.)
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { isJsonNumber, jsonTooDeep, LosslessNumber, numberKey, parseJsonExact, parseScannedJson, scanJson } from '../../src/records';

/** Old and new both parse (to the same value) or both throw. */
function sameParse(text: string): boolean {
  const scan = scanJson(Buffer.from(text));
  if (scan === 'too_deep') return true;
  const run = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  return isDeepStrictEqual(exactValues(run(() => parseJsonExact(text))), exactValues(run(() => parseScannedJson(text, scan))));
}

/** The value with every number as its exact decimal (`numberKey`), so only a rounded digit tells two apart. */
function exactValues(v: unknown): unknown {
  if (isJsonNumber(v)) return { exact: numberKey(v) };
  if (Array.isArray(v)) return v.map(exactValues);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exactValues(x)]));
}

// JSON number literals of any length and exponent, as sent (not via a double).
const numberText = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fc.option(fc.stringMatching(/^\.[0-9]{1,24}$/), { nil: '' }),
    fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,4}$/), { nil: '' }),
  )
  .map((parts) => parts.join(''));
// Strings that hold digit runs, exponents and escapes the scan must skip.
const stringText = fc
  .array(fc.oneof(fc.stringMatching(/^[0-9.eE+-]{0,20}$/), fc.constantFrom('\\"', '\\\\', '[', '{', 'é', 'true')), { maxLength: 4 })
  .map((parts) => `"${parts.join('')}"`);
const ws = fc.constantFrom('', ' ', '\n ');
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, numberText, stringText, fc.constantFrom('true', 'false', 'null'), tie('array'), tie('object')),
  array: fc.array(fc.tuple(ws, tie('value')), { maxLength: 4 }).map((xs) => `[${xs.map(([w, v]) => w + v).join(',')}]`),
  object: fc
    .array(fc.tuple(stringText, ws, tie('value')), { maxLength: 4 })
    .map((xs) => `{${xs.map(([k, w, v]) => `${k}:${w}${v}`).join(',')}}`),
}));
const value = tree.value as fc.Arbitrary<string>;
// Arbitrary text over JSON's structural characters (mostly invalid JSON).
const jsonish = fc.stringMatching(/^[[\]{}"\\0-9.eE+\- ,:a]{0,60}$/);

describe('scanJson', () => {
  it('refuses exactly what jsonTooDeep refuses, at any bound', () => {
    fc.assert(
      fc.property(fc.oneof(value, jsonish), fc.integer({ min: 0, max: 6 }), (text, max) => {
        const bytes = Buffer.from(text);
        return (scanJson(bytes, max) === 'too_deep') === jsonTooDeep(bytes, max);
      }),
      { numRuns: 3000 },
    );
  });

  it('lets parseScannedJson give the value parseJsonExact gives, on valid and invalid JSON', () => {
    fc.assert(fc.property(fc.oneof(value, value, jsonish), sameParse), { numRuns: 3000 });
  });

  it('flags long numbers and 3-digit exponents outside strings only', () => {
    const scan = (s: string) => scanJson(Buffer.from(s));
    expect(scan('{"id":"12345678901234567890","e":"1e400"}')).toBe('plain');
    expect(scan('[123456789012345]')).toBe('plain');
    expect(scan('[1234567890123456]')).toBe('inexact');
    expect(scan('[0.00000000000001]')).toBe('inexact');
    expect(scan('[1e308]')).toBe('inexact');
    expect(scan('[1E-400]')).toBe('inexact');
    expect(scan('[true,false,1e99]')).toBe('plain');
    expect(parseScannedJson('{"id":9007199254740993}', 'inexact')).toEqual({
      id: new LosslessNumber('9007199254740993'),
    });
    expect(scan('[[1]]')).toBe('plain');
    expect(scanJson(Buffer.from('[["]]]]"]]'), 2)).toBe('plain');
    expect(scanJson(Buffer.from('[[[1]]]'), 2)).toBe('too_deep');
  });
});
