import { isLearned, learnedNoise, mergeRuntimeRules } from '../../src/rules';

const t = { learnRate: 0.5, learnSamples: 5 };

describe('learned noise thresholds', () => {
  it('needs at least learnSamples repeated requests', () => {
    expect(learnedNoise({ repeats: 4, differed: { ts: 4 } }, t)).toEqual([]);
    expect(learnedNoise({ repeats: 5, differed: { ts: 5 } }, t)).toEqual(['ts']);
  });

  it('needs a difference rate of at least learnRate', () => {
    const e = { repeats: 10, differed: { a: 5, b: 4, c: 10, d: 0 } };
    expect(learnedNoise(e, t)).toEqual(['a', 'c']);
    expect(learnedNoise(e, { learnRate: 0.9, learnSamples: 5 })).toEqual(['c']);
    expect(isLearned(e, 'b', t)).toBe(false);
    expect(isLearned(e, 'a', t)).toBe(true);
    expect(isLearned(e, 'missing', t)).toBe(false);
  });

  it('leaves out paths marked "not noise" and paths that are not valid patterns', () => {
    expect(learnedNoise({ repeats: 5, differed: { ts: 5, id: 5, 'bad[': 5 } }, t, ['id'])).toEqual(['ts']);
  });

  it('merges runtime lists over configured rules', () => {
    expect(
      mergeRuntimeRules(
        { ignore: ['a'], numericTolerance: 1 },
        { ignore: ['b', 'a'], noise: ['n'], notNoise: ['ts'], unordered: [], arrayKeys: {}, learned: ['ts', 'id'] },
      ),
    ).toEqual({
      ignore: ['a', 'b'],
      noise: ['n', 'id'],
      numericTolerance: 1,
    });
    expect(mergeRuntimeRules({}, { ignore: [], noise: [], notNoise: [], unordered: [], arrayKeys: {}, learned: [] })).toEqual({});
  });
});
