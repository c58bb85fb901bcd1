import { classifyDifferences, compareResponses } from '../../src/compare';
import type { CompareRules } from '../../src/config';
import { LosslessNumber, numberKey, parseJsonExact, stringifyExact, withinTolerance } from '../../src/records';
import { typed } from './helpers';

/** Compare two JSON texts exactly as they came over the wire. */
const cmp = (legacy: string, candidate: string, rules: CompareRules = {}) =>
  compareResponses(typed('application/json', legacy), typed('application/json', candidate), { rules });

describe('numbers compare by exact decimal value', () => {
  it('tells ids past 2^53 apart, and 20-digit integers', () => {
    const r = cmp('{"id":9007199254740993}', '{"id":9007199254740992}');
    expect(r).toMatchObject({ class: 'mismatch' });
    expect(r.differences).toEqual([
      { path: 'id', kind: 'changed', legacy: '9007199254740993', candidate: '9007199254740992', digits: 'both' },
    ]);
    expect(cmp('[12345678901234567891]', '[12345678901234567890]').class).toBe('mismatch');
    expect(cmp('{"x":0.1}', '{"x":0.10000000000000001}').class).toBe('mismatch');
  });

  it('names a change past 2^53 as a number change, and never suspects such a number of being volatile', () => {
    // the stored difference holds each number as its digits: its cause was "value changed"
    // (two strings) or "type changed: string to number", and a 20-digit number "looked volatile"
    const r = cmp('{"balance":12345678901234567893}', '{"balance":12345678901234567894}');
    expect(r.differences).toEqual([
      { path: 'balance', kind: 'changed', legacy: '12345678901234567893', candidate: '12345678901234567894', digits: 'both' },
    ]);
    expect(classifyDifferences(r.differences).map((c) => c.label)).toEqual(['balance: number changed by +1']);
    expect(r.suspectedNoise).toEqual([]);
    const small = cmp('{"balance":12345678901234567893}', '{"balance":5}');
    expect(small.differences[0]).toMatchObject({ legacy: '12345678901234567893', candidate: 5, digits: 'legacy' });
    expect(classifyDifferences(small.differences)[0].label).toBe('balance: number changed by -12345678901234567888');
    // a string of digits stays a string
    const text = cmp('{"ref":"12345678901234567893"}', '{"ref":"12345678901234567894"}');
    expect(text.differences[0].digits).toBeUndefined();
    expect(classifyDifferences(text.differences)[0].label).toBe('ref: value changed');
  });

  it('matches the same value written differently', () => {
    expect(cmp('{"a":1.0,"b":1e3,"c":12345678901234567891}', '{"a":1,"b":1000,"c":1.2345678901234567891e19}').class).toBe('match');
  });

  it('keeps keyed array elements with ids past 2^53 apart (no fallback to positions)', () => {
    const legacy = '{"items":[{"id":9007199254740993,"p":1},{"id":9007199254740992,"p":2}]}';
    const candidate = '{"items":[{"id":9007199254740992,"p":2},{"id":9007199254740993,"p":1}]}';
    expect(cmp(legacy, candidate, { arrayKeys: { items: 'id' } }).class).toBe('match');
    const changed = cmp(legacy, candidate.replace('"p":1', '"p":7'), { arrayKeys: { items: 'id' } });
    expect(changed.differences).toEqual([{ path: 'items[id=9007199254740993].p', kind: 'changed', legacy: 1, candidate: 7 }]);
  });

  it('pairs big numbers by value in unordered arrays', () => {
    expect(cmp('{"t":[9007199254740993,9007199254740992]}', '{"t":[9007199254740992,9007199254740993]}', { unordered: ['t'] }).class).toBe(
      'match',
    );
    expect(cmp('{"t":[9007199254740993,1]}', '{"t":[1,9007199254740992]}', { unordered: ['t'] }).class).toBe('mismatch');
  });

  it('applies a tolerance only where configured, on exact values', () => {
    expect(cmp('{"p":1.0004}', '{"p":1}', { numericTolerance: 0.001 }).class).toBe('match');
    expect(cmp('{"id":9007199254740993}', '{"id":9007199254740992}', { numericTolerance: 0.5 }).class).toBe('mismatch');
    expect(withinTolerance(new LosslessNumber('9007199254740993'), 9007199254740992, 1)).toBe(true);
  });
});

describe('exact JSON', () => {
  it('round-trips big numbers through parse and stringify', () => {
    const text = '{"fromAccount":12345678901234567891,"amount":0.1000000000000000055511151231257827,"n":1.5,"s":"12345678901234567891"}';
    expect(stringifyExact(parseJsonExact(text))).toBe(text);
  });

  it('reads duplicate keys as JSON.parse does, and throws SyntaxError on bad JSON', () => {
    expect(parseJsonExact('{"a":12345678901234567891,"a":2}')).toEqual({ a: 2 });
    expect(() => parseJsonExact('{"a":12345678901234567891,')).toThrow(SyntaxError);
  });

  it('gives one key per decimal value', () => {
    expect(numberKey(new LosslessNumber('1.0e19'))).toBe(numberKey(new LosslessNumber('10000000000000000000')));
    expect(numberKey(0.5)).toBe(numberKey(new LosslessNumber('5e-1')));
    expect(numberKey(new LosslessNumber('9007199254740993'))).not.toBe(numberKey(9007199254740992));
  });
});
