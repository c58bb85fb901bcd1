/**
 * `causesOf` builds each cause record as one literal (no spreads) and skips the JSON of
 * values too short to cut. Checked against the former construction on generated
 * difference lists: the same records, fields in the same order (what the store writes).
 */
import fc from 'fast-check';
import { classifyDifferences } from '../../src/compare';
import { jsonType } from '../../src/compare/cause-transform';
import { numericValue } from '../../src/compare/decimal';
import { LosslessNumber, type Difference } from '../../src/records';
import { causesOf } from '../../src/worker/difference-causes';

/** causesOf as it was: classify with spreads, every value through JSON.stringify. */
function formerCausesOf(ds: readonly Difference[]): unknown[] {
  const cut = (v: unknown): unknown => {
    if (v === undefined) return undefined;
    const json = JSON.stringify(v);
    return json !== undefined && json.length > 200 ? `${json.slice(0, 200)}… (cut)` : v;
  };
  const causes = classifyDifferences(ds).map(({ key, pattern, kind, transform, detail, label }) => ({
    key,
    pattern,
    kind,
    transform,
    ...(detail === undefined ? {} : { detail }),
    label,
  }));
  const out = new Map<string, unknown>();
  causes.forEach((c, i) => {
    if (out.has(c.key)) return;
    const d = ds[i];
    out.set(c.key, { ...c, example: { path: d.path, legacy: cut(d.legacy), candidate: cut(d.candidate) } });
  });
  return [...out.values()];
}

const path = fc.oneof(
  fc.constantFrom('a', 'price', '$status', 'items[0].id', 'items[1].id', 'items[2].qty', 'x[0].y[1].z', 'x[1].y[0].z', 'm["a b"]'),
  fc.tuple(fc.constantFrom('items', 'tags'), fc.nat(3), fc.constantFrom('', '.id', '.name')).map(([a, i, f]) => `${a}[${i}]${f}`),
);
const scalar = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, 2, '1', '12.50', 'A', 'a', '2024-01-01T00:00:00Z', '\u0000"\\'),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 60 }),
  fc.stringMatching(/^-?[1-9][0-9]{15,21}$/).map((s) => new LosslessNumber(s)),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 40 }),
  fc.dictionary(fc.constantFrom('a', 'b'), scalar, { noNullPrototype: true }),
);
const difference: fc.Arbitrary<Difference> = fc
  .tuple(path, fc.constantFrom('changed', 'type_changed', 'added', 'removed'), value, value)
  .map(([p, kind, legacy, candidate]) => {
    const d: Difference = { path: p, kind: kind as Difference['kind'] };
    if (kind !== 'added') d.legacy = legacy;
    if (kind !== 'removed') d.candidate = candidate;
    return d;
  });

describe('causesOf', () => {
  it('gives the records the former construction gave, field order included', () => {
    fc.assert(
      fc.property(fc.array(difference, { maxLength: 8 }), (ds) => {
        const ours = causesOf(ds);
        expect(JSON.stringify(ours)).toBe(JSON.stringify(formerCausesOf(ds)));
        expect(ours).toEqual(formerCausesOf(ds));
      }),
      { numRuns: 1000 },
    );
  });

  it('types values as before: every double and bigint a number, a LosslessNumber only when it reads as a decimal', () => {
    const former = (v: unknown): string => {
      if (v === undefined) return 'missing';
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'array';
      if (numericValue(v) !== undefined) return 'number';
      return typeof v === 'bigint' ? 'number' : typeof v;
    };
    const values = [NaN, Infinity, -0, 5e-324, 1e300, 12n, new LosslessNumber('1e5000'), new LosslessNumber('1'.repeat(500))];
    for (const v of values) expect(jsonType(v)).toBe(former(v));
    fc.assert(fc.property(value, (v) => jsonType(v) === former(v)));
  });
});
