import { headerNamesOf } from '../../src/records';

/** `headerNamesOf` as first written: a Set of lower-cased names. The in-place scan must agree with it. */
function reference(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    out.push(raw[i]);
  }
  return out;
}

const NAMES = [
  'Host',
  'host',
  'HOST',
  'ETag',
  'etag',
  'X-Key',
  'x-\u212Aey',
  'x-key',
  'x-\u0130',
  'x-i\u0307',
  'Set-Cookie',
  'set-cookie',
  'Date',
  'Vary',
  'vary',
];

describe('headerNamesOf', () => {
  it('keeps each name once, first casing, as lower-casing compares names (any case, odd characters, short and long heads)', () => {
    let seed = 7;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 3000; n++) {
      const raw: string[] = [];
      for (let k = Math.floor(r() * (n % 10 === 0 ? 60 : 12)); k > 0; k--) raw.push(NAMES[Math.floor(r() * NAMES.length)], 'v');
      expect([n, headerNamesOf(raw)]).toEqual([n, reference(raw)]);
    }
  });
});
