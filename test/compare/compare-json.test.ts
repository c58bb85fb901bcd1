import { compareResponses } from '../../src/compare';
import type { CompareRules } from '../../src/config';
import { json } from './helpers';

const cmp = (legacy: unknown, candidate: unknown, rules: CompareRules = {}) => compareResponses(json(legacy), json(candidate), { rules });

describe('compareResponses: JSON tree diff', () => {
  it('matches equal documents whatever the key order', () => {
    const r = cmp({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 });
    expect(r).toEqual({ class: 'match', differences: [], noise: [], suspectedNoise: [] });
  });

  it('reports changed, removed and type_changed with concrete paths', () => {
    const r = cmp(
      { id: 1, price: 10, name: 'x', tags: ['a'], owner: { id: 2 }, n: null },
      { id: 1, price: 12, tags: ['a'], owner: { id: '2' }, n: 0 },
    );
    expect(r.class).toBe('mismatch');
    expect(r.risk).toBe('high');
    expect(r.differences).toEqual([
      { path: 'price', kind: 'changed', legacy: 10, candidate: 12 },
      { path: 'name', kind: 'removed', legacy: 'x' },
      { path: 'owner.id', kind: 'type_changed', legacy: 2, candidate: '2' },
      { path: 'n', kind: 'type_changed', legacy: null, candidate: 0 },
    ]);
    expect(r.signature).toBe('n|name|owner.id|price');
  });

  it('gives medium risk when only values changed', () => {
    const r = cmp({ items: [{ p: 1 }, { p: 2 }] }, { items: [{ p: 1 }, { p: 3 }] });
    expect(r).toMatchObject({ class: 'mismatch', risk: 'medium', signature: 'items[*].p' });
    expect(r.differences).toEqual([{ path: 'items[1].p', kind: 'changed', legacy: 2, candidate: 3 }]);
  });

  it('compares arrays by position by default, reporting extra and missing elements', () => {
    const r = cmp({ a: [1, 2, 3] }, { a: [1, 2] });
    expect(r.differences).toEqual([{ path: 'a[2]', kind: 'removed', legacy: 3 }]);
    expect(r.risk).toBe('high');
    const grown = cmp({ a: [1] }, { a: [1, 9] });
    expect(grown.differences).toEqual([{ path: 'a[1]', kind: 'added', candidate: 9 }]);
    expect(grown.risk).toBe('medium');
  });

  it('diffs a root value that is not an object at $body', () => {
    expect(cmp(1, 2).differences).toEqual([{ path: '$body', kind: 'changed', legacy: 1, candidate: 2 }]);
    expect(cmp([1], { a: 1 }).differences).toEqual([{ path: '$body', kind: 'type_changed', legacy: [1], candidate: { a: 1 } }]);
  });

  it('quotes odd keys and survives __proto__ / constructor keys', () => {
    const r = cmp(JSON.parse('{"a.b":1,"__proto__":{"x":1},"constructor":2}'), JSON.parse('{"a.b":2,"__proto__":{"x":2}}'));
    expect(r.differences).toEqual([
      { path: '["a.b"]', kind: 'changed', legacy: 1, candidate: 2 },
      { path: '__proto__.x', kind: 'changed', legacy: 1, candidate: 2 },
      { path: 'constructor', kind: 'removed', legacy: 2 },
    ]);
  });
});

describe('allowAdded', () => {
  const legacy = { id: 1 };
  const candidate = { id: 1, extra: { deep: true } };

  it('by default fields only in the candidate are not differences', () => {
    expect(cmp(legacy, candidate)).toEqual({ class: 'match', differences: [], noise: [], suspectedNoise: [] });
  });

  it('when false they are listed as added with low risk', () => {
    const r = cmp(legacy, candidate, { allowAdded: false });
    expect(r).toMatchObject({ class: 'mismatch', risk: 'low', signature: 'extra' });
    expect(r.differences).toEqual([{ path: 'extra', kind: 'added', candidate: { deep: true } }]);
  });

  it('never forgives missing fields', () => {
    expect(cmp(candidate, legacy)).toMatchObject({
      class: 'mismatch',
      risk: 'high',
      differences: [{ path: 'extra', kind: 'removed', legacy: { deep: true } }],
    });
  });
});

describe('numericTolerance', () => {
  it('forgives differences within the tolerance only', () => {
    const rules = { numericTolerance: 0.01 };
    expect(cmp({ p: 10.0, q: [1.001] }, { p: 10.005, q: [1.0] }, rules).class).toBe('match');
    expect(cmp({ p: 10.0 }, { p: 10.02 }, rules).differences).toEqual([{ path: 'p', kind: 'changed', legacy: 10, candidate: 10.02 }]);
  });

  it('includes the boundary', () => {
    expect(cmp({ p: 1 }, { p: 1.5 }, { numericTolerance: 0.5 }).class).toBe('match');
    expect(cmp({ p: 1 }, { p: 1.75 }, { numericTolerance: 0.5 }).class).toBe('mismatch');
  });

  it('is exact by default', () => {
    expect(cmp({ p: 0.1 + 0.2 }, { p: 0.3 }).class).toBe('mismatch');
  });
});

describe('ignore rules', () => {
  const legacy = {
    id: 1,
    meta: { trace: 'a', at: 1 },
    items: [
      { id: 1, updatedAt: 'x', p: 1 },
      { id: 2, updatedAt: 'y', p: 2 },
    ],
    deep: { a: { requestId: 'r1' } },
    requestId: 'r1',
  };
  const candidate = {
    id: 1,
    meta: { trace: 'b' },
    items: [
      { id: 1, updatedAt: 'z', p: 1 },
      { id: 2, updatedAt: 'w', p: 2 },
    ],
    deep: { a: { requestId: 'r2' } },
    requestId: 'r2',
  };

  it('reports everything without rules', () => {
    expect(cmp(legacy, candidate).differences.map((d) => d.path)).toEqual([
      'meta.trace',
      'meta.at',
      'items[0].updatedAt',
      'items[1].updatedAt',
      'deep.a.requestId',
      'requestId',
    ]);
  });

  it('applies *, [*] and ** wildcards to concrete paths', () => {
    expect(cmp(legacy, candidate, { ignore: ['items[*].updatedAt', 'meta.**', '**.requestId'] }).class).toBe('match');
    const partial = cmp(legacy, candidate, { ignore: ['items[*].updatedAt', 'meta.*'] });
    expect(partial.differences.map((d) => d.path)).toEqual(['deep.a.requestId', 'requestId']);
  });

  it('ignores the whole subtree under an ignored path', () => {
    expect(cmp(legacy, candidate, { ignore: ['meta', 'items', 'deep', 'requestId'] }).class).toBe('match');
  });

  it('applies to keyed array paths too', () => {
    const rules = { arrayKeys: { items: 'id' }, ignore: ['items[*].updatedAt', 'meta.**', '**.requestId'] };
    expect(cmp(legacy, { ...candidate, items: [...candidate.items].reverse() }, rules).class).toBe('match');
  });
});

describe('arrays matched by key', () => {
  const rules = { arrayKeys: { items: 'id' } };

  it('pairs elements by key regardless of order and writes keyed paths', () => {
    const r = cmp(
      {
        items: [
          { id: 7, price: 1 },
          { id: 8, price: 2 },
          { id: 9, price: 3 },
        ],
      },
      {
        items: [
          { id: 10, price: 4 },
          { id: 8, price: 2 },
          { id: 7, price: 5 },
        ],
      },
      rules,
    );
    expect(r.differences).toEqual([
      { path: 'items[id=7].price', kind: 'changed', legacy: 1, candidate: 5 },
      { path: 'items[id=9]', kind: 'removed', legacy: { id: 9, price: 3 } },
      { path: 'items[id=10]', kind: 'added', candidate: { id: 10, price: 4 } },
    ]);
    expect(r.signature).toBe('items[*]|items[*].price');
    expect(r.risk).toBe('high');
  });

  it('matches nested arrays by pattern', () => {
    const r = cmp(
      {
        data: {
          items: [
            { sku: 'a', n: 1 },
            { sku: 'b', n: 2 },
          ],
        },
      },
      {
        data: {
          items: [
            { sku: 'b', n: 2 },
            { sku: 'a', n: 3 },
          ],
        },
      },
      { arrayKeys: { '**.items': 'sku' } },
    );
    expect(r.differences).toEqual([{ path: 'data.items[sku=a].n', kind: 'changed', legacy: 1, candidate: 3 }]);
  });

  it('falls back to positions when keys are missing or repeated', () => {
    const r = cmp(
      {
        items: [
          { id: 1, p: 1 },
          { id: 1, p: 2 },
        ],
      },
      {
        items: [
          { id: 1, p: 2 },
          { id: 1, p: 1 },
        ],
      },
      rules,
    );
    expect(r.differences.map((d) => d.path)).toEqual(['items[0].p', 'items[1].p']);
  });

  it('matches string and number keys and reports the key type change', () => {
    const r = cmp({ items: [{ id: 7 }] }, { items: [{ id: '7' }] }, rules);
    expect(r.differences).toEqual([{ path: 'items[id=7].id', kind: 'type_changed', legacy: 7, candidate: '7' }]);
  });
});

describe('unordered arrays', () => {
  const rules = { unordered: ['tags', 'rows'] };

  it('compares as multisets', () => {
    expect(cmp({ tags: ['a', 'b', 'b', 1, null] }, { tags: [null, 'b', 1, 'a', 'b'] }, rules).class).toBe('match');
    expect(cmp({ rows: [{ a: 1 }, { a: 2 }] }, { rows: [{ a: 2 }, { a: 1 }] }, rules).class).toBe('match');
  });

  it('respects multiplicity', () => {
    const r = cmp({ tags: ['a', 'b', 'b'] }, { tags: ['b', 'a', 'a'] }, rules);
    expect(r.differences).toEqual([{ path: 'tags[2]', kind: 'changed', legacy: 'b', candidate: 'a' }]);
  });

  it('reports unpaired elements as removed / added at their own index', () => {
    const r = cmp({ tags: ['a', 'b', 'c'] }, { tags: ['c', 'a'] }, rules);
    expect(r.differences).toEqual([{ path: 'tags[1]', kind: 'removed', legacy: 'b' }]);
    const grown = cmp({ tags: ['a'] }, { tags: ['z', 'a', 'y'] }, rules);
    expect(grown.differences).toEqual([
      { path: 'tags[0]', kind: 'added', candidate: 'z' },
      { path: 'tags[2]', kind: 'added', candidate: 'y' },
    ]);
  });

  it('pairs elements that differ only in what the rules forgive', () => {
    const r = cmp(
      {
        rows: [
          { id: 1, at: 'x' },
          { id: 2, at: 'y' },
          { id: 3, n: 1.0 },
        ],
      },
      {
        rows: [
          { id: 3, n: 1.001 },
          { id: 2, at: 'q' },
          { id: 1, at: 'p' },
        ],
      },
      { unordered: ['rows'], ignore: ['rows[*].at'], numericTolerance: 0.01 },
    );
    expect(r.class).toBe('match');
  });

  it('diffs leftover elements field by field', () => {
    const r = cmp(
      {
        rows: [
          { id: 1, p: 1 },
          { id: 2, p: 2 },
        ],
      },
      {
        rows: [
          { id: 2, p: 2 },
          { id: 1, p: 5 },
        ],
      },
      rules,
    );
    expect(r.differences).toEqual([{ path: 'rows[0].p', kind: 'changed', legacy: 1, candidate: 5 }]);
  });

  it('is order-sensitive for arrays not listed', () => {
    expect(cmp({ other: [1, 2] }, { other: [2, 1] }, rules).class).toBe('mismatch');
  });
});
