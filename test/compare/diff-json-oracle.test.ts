/**
 * Property test of the JSON differ against an independent oracle, json-diff-ts: on
 * generated JSON pairs, with no compare rules but `allowAdded: false` (by default Tandem
 * lets the candidate add fields; json-diff-ts reports every ADD), both must agree on whether the two
 * documents are equal and on the set of paths that differ.
 *
 * Path mapping (json-diff-ts's JSONPath → Tandem's path):
 * - json-diff-ts writes `$.a.b[0]`; Tandem writes `a.b[0]`: drop the leading `$.`;
 * - a root that is not an object is `$.$root` there: the root itself is `$body` here, an
 *   element of a root array `$.$root[1]` is `[1]` here;
 * - a type change is one `type_changed` here and a REMOVE plus an ADD at the same path
 *   there, so paths are compared as sets.
 * Keys are generated as identifiers (`[a-z_][a-z0-9_]*`), which both write as `.key`
 * (Tandem quotes other keys as `["a b"]`, json-diff-ts does not); numbers are finite
 * doubles, which compare by value in both.
 */
import fc from 'fast-check';
import { atomizeChangeset, diff } from 'json-diff-ts';
import { compileRules } from '../../src/compare';
import { diffJson } from '../../src/compare/diff-json';

const NO_RULES = compileRules({ allowAdded: false });

/** json-diff-ts's path written as Tandem writes it (see the mapping above). */
function tandemPath(jsonPath: string): string {
  const p = jsonPath.replace(/^\$\./, '');
  if (p === '$root') return '$body';
  return p.startsWith('$root') ? p.slice('$root'.length) : p;
}

function oracle(a: unknown, b: unknown): Set<string> {
  return new Set(atomizeChangeset(diff(a as never, b as never)).map((c) => tandemPath(c.path)));
}

function ours(a: unknown, b: unknown): Set<string> {
  return new Set(diffJson(a, b, NO_RULES).map((d) => d.path));
}

// A small domain (few keys, few values) so that independent documents often share parts.
const key = fc.oneof(fc.constantFrom('a', 'b', 'c', '_d'), fc.stringMatching(/^[a-z_][a-z0-9_]{0,3}$/));
const scalar = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, 'x', ''),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.string({ maxLength: 3 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

/** Pairs that are equal, slightly apart (one edited copy), or unrelated. */
const pair = fc.oneof(
  value.map((v) => [v, structuredClone(v)] as const),
  fc.tuple(value, value),
  fc.tuple(fc.dictionary(key, value, { maxKeys: 4 }), key, value).map(([doc, k, v]) => [doc, { ...structuredClone(doc), [k]: v }] as const),
);

describe('diffJson against json-diff-ts (independent oracle)', () => {
  it('agrees on equality and on the set of differing paths', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const expected = oracle(a, b);
        const found = ours(a, b);
        expect(found.size === 0).toBe(expected.size === 0);
        expect([...found].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('maps the path syntax as documented', () => {
    expect([...oracle({ a: { b: [1, 2] } }, { a: { b: [1, 3] } })]).toEqual(['a.b[1]']);
    expect([...oracle([1, 2], [1])]).toEqual(['[1]']);
    expect([...oracle(1, 2)]).toEqual(['$body']);
    expect([...oracle({ a: 1 }, { a: '1' })]).toEqual(['a']);
  });
});
