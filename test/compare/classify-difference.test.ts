import { LosslessNumber } from 'lossless-json';
import { classifyDifference, classifyDifferences, compareResponses, groupByCause } from '../../src/compare';
import type { Difference } from '../../src/records';
import { json } from './helpers';

const cause = (d: Difference) => classifyDifference(d);
const changed = (path: string, legacy: unknown, candidate: unknown, kind: Difference['kind'] = 'changed'): Difference => ({
  path,
  kind,
  legacy,
  candidate,
});

describe('classifyDifference', () => {
  it('generalises array indexes and keyed selectors in the pattern', () => {
    expect(cause(changed('items[3].price', 1, 2)).pattern).toBe('items[*].price');
    expect(cause(changed('items[id=7].tags[0]', 'a', 'b')).pattern).toBe('items[*].tags[*]');
    expect(cause(changed('$headers.content-type', 'a', 'b')).pattern).toBe('$headers.content-type');
  });

  it('names a string turned into the same number, keeping the kind', () => {
    const c = cause(changed('items[0].price', '12.50', 12.5, 'type_changed'));
    expect(c).toEqual({
      key: 'items[*].price|type_changed|same_value_retyped:string to number',
      pattern: 'items[*].price',
      kind: 'type_changed',
      transform: 'same_value_retyped',
      detail: 'string to number',
      label: 'items[*].price: string to number, same value',
    });
    expect(cause(changed('id', 42, '42', 'type_changed')).label).toBe('id: number to string, same value');
    expect(cause(changed('ok', 'true', true, 'type_changed')).label).toBe('ok: string to boolean, same value');
  });

  it('tells a type change with another value from a retyping', () => {
    const c = cause(changed('price', '12.50', 13, 'type_changed'));
    expect(c.transform).toBe('type_changed');
    expect(c.label).toBe('price: type changed: string to number');
    expect(cause(changed('tags', 'a', ['a'], 'type_changed')).detail).toBe('string to array');
  });

  it('gives exact numeric deltas, with no binary rounding', () => {
    expect(cause(changed('price', 12.5, 12.51)).detail).toBe('+0.01');
    expect(cause(changed('price', 0.3, 0.1)).detail).toBe('-0.2');
    expect(cause(changed('price', 12.5, 12.51)).key).toBe('price|changed|numeric_delta:+0.01');
    expect(cause(changed('price', 12.5, 12.51)).label).toBe('price: number changed by +0.01');
  });

  it('keeps numbers beyond 2^53 exact (lossless-json numbers and bigints)', () => {
    const big = cause(changed('id', new LosslessNumber('9007199254740993'), new LosslessNumber('9007199254740992')));
    expect(big.detail).toBe('-1');
    expect(cause(changed('id', 9007199254740993n, '9007199254740993', 'type_changed')).transform).toBe('same_value_retyped');
    expect(cause(changed('id', new LosslessNumber('9007199254740993'), '9007199254740992', 'type_changed')).transform).toBe('type_changed');
  });

  it('sees scaled numbers (cents, milliseconds)', () => {
    expect(cause(changed('amount', 12.5, 1250)).label).toBe('amount: number scaled x100');
    expect(cause(changed('ms', 1500, 1.5)).label).toBe('ms: number scaled /1000');
  });

  it('names a redacted value that differs as the mismatch page does, "differs (redacted)", never by its fingerprints', () => {
    const token = { ...changed('token', '[REDACTED:7c098bfc9010aaf8]', '[REDACTED:237ae29d4d66474f]'), redacted: true as const };
    expect(cause(token)).toMatchObject({
      label: 'token: differs (redacted)',
      transform: 'redacted_differs',
      key: 'token|changed|redacted_differs',
    });
    // a secret on one side only is still named by what happened to it
    expect(cause({ path: 'token', kind: 'removed', legacy: '[REDACTED:7c098bfc9010aaf8]', redacted: true }).label).toBe(
      'token: missing in candidate',
    );
  });

  it('names missing, added, null against value and empties', () => {
    expect(cause({ path: 'name', kind: 'removed', legacy: 'x' }).label).toBe('name: missing in candidate');
    expect(cause({ path: 'items[2]', kind: 'added', candidate: { id: 1 } }).label).toBe('items[*]: added in candidate');
    expect(cause(changed('note', null, 'x', 'type_changed')).label).toBe('note: null in legacy, string in candidate');
    expect(cause(changed('note', '', null, 'type_changed')).label).toBe('note: empty string in legacy, null in candidate');
    expect(cause(changed('tags', null, [], 'type_changed')).detail).toBe('empty array');
  });

  it('names case, whitespace and date format changes', () => {
    expect(cause(changed('status', 'ACTIVE', 'active')).transform).toBe('case_changed');
    expect(cause(changed('name', 'Ada  Lovelace ', 'Ada Lovelace')).transform).toBe('whitespace_changed');
    expect(cause(changed('at', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z')).transform).toBe('same_instant_reformatted');
    expect(cause(changed('at', '2024-01-02T03:04:05Z', '2024-01-02T03:04:06Z')).transform).toBe('value_changed');
    expect(cause(changed('code', '1', '2')).transform).toBe('value_changed');
  });

  it('names whole arrays with the same elements in another order', () => {
    expect(cause(changed('tags', ['a', 'b', { x: 1 }], [{ x: 1 }, 'b', 'a'], 'type_changed')).transform).toBe('reordered');
    expect(cause(changed('tags', ['a', 'b'], ['a', 'c'], 'type_changed')).transform).toBe('value_changed');
  });

  it('names status changes by their codes and booleans by flipping', () => {
    expect(cause(changed('$status', 200, 404)).key).toBe('$status|changed|status_changed:200 to 404');
    expect(cause(changed('active', true, false)).label).toBe('active: boolean flipped');
  });

  it('gives one key to the same cause at different indexes', () => {
    expect(cause(changed('items[1].price', '1.0', 1, 'type_changed')).key).toBe(
      cause(changed('items[7].price', '3.50', 3.5, 'type_changed')).key,
    );
  });

  it('never throws on odd input', () => {
    for (const d of [
      changed('a[', 1, 2),
      changed('', undefined, undefined),
      changed('x', NaN, Infinity),
      changed('x', Symbol('s'), 1),
      changed('x', '1e999999', 1),
    ]) {
      expect(() => cause(d)).not.toThrow();
    }
  });
});

describe('classifyDifferences', () => {
  it('sees swapped elements of an array as one reorder at the array', () => {
    const r = compareResponses(
      json({
        items: [
          { id: 1, n: 'a' },
          { id: 2, n: 'b' },
          { id: 3, n: 'c' },
        ],
      }),
      json({
        items: [
          { id: 2, n: 'b' },
          { id: 1, n: 'a' },
          { id: 3, n: 'c' },
        ],
      }),
      { rules: {} },
    );
    const causes = classifyDifferences(r.differences);
    expect(causes).toHaveLength(4);
    expect(new Set(causes.map((c) => c.label))).toEqual(new Set(['items: same elements, different order']));
  });

  it('does not call changed values a reorder', () => {
    const ds = [changed('items[0].id', 1, 2), changed('items[1].id', 2, 3)];
    expect(classifyDifferences(ds).map((c) => c.transform)).toEqual(['numeric_delta', 'numeric_delta']);
    expect(classifyDifferences([changed('items[0].id', 1, 2)])[0].transform).toBe('numeric_delta');
  });

  it('finds a reorder in a nested array and leaves other differences alone', () => {
    const ds = [
      changed('orders[0].lines[0].sku', 'a', 'b'),
      changed('orders[0].lines[1].sku', 'b', 'a'),
      { path: 'orders[0].note', kind: 'removed' as const, legacy: 'x' },
    ];
    expect(classifyDifferences(ds).map((c) => c.label)).toEqual([
      'orders[*].lines: same elements, different order',
      'orders[*].lines: same elements, different order',
      'orders[*].note: missing in candidate',
    ]);
  });
});

describe('groupByCause', () => {
  it('counts differences and comparisons per cause, most frequent first, with examples', () => {
    const groups = groupByCause(
      [
        [changed('items[0].price', '1.50', 1.5, 'type_changed'), changed('items[1].price', '2.00', 2, 'type_changed')],
        [changed('items[0].price', '3.00', 3, 'type_changed'), { path: 'name', kind: 'removed', legacy: 'x' }],
      ],
      2,
    );
    expect(groups.map((g) => [g.cause.label, g.differences, g.comparisons, g.examples.length])).toEqual([
      ['items[*].price: string to number, same value', 3, 2, 2],
      ['name: missing in candidate', 1, 1, 1],
    ]);
  });
});
